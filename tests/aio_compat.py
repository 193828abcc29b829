# zsync_mp.asyncio runs plain asyncio code: tasks, gather (with and without
# return_exceptions), wait_for/wait_for_ms, Event, Lock, Queue, Semaphore,
# TaskGroup, timeout, ThreadSafeFlag, and edge-triggered cancellation.
import zsync_mp.asyncio as asyncio


async def work(name, ms, fail=False):
    print("start", name)
    await asyncio.sleep_ms(ms)
    if fail:
        raise ValueError(name)
    print("end", name)
    return name


async def catcher():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("caught cancel, going on")
    await asyncio.sleep_ms(5)  # a caught cancel is not re-raised (asyncio)
    return "survived"


async def producer(q, n):
    for i in range(n):
        await q.put(i)
    await q.put(None)


async def main():
    print(await asyncio.gather(work("a", 20), work("b", 10)))
    r = await asyncio.gather(work("c", 20, True), work("d", 1), return_exceptions=True)
    print([(type(x).__name__, x.args) if isinstance(x, Exception) else x for x in r])
    try:
        await asyncio.gather(work("e", 5, True), work("f", 50))
    except ValueError as e:
        print("gather raised", type(e).__name__, e.args)
    await asyncio.sleep_ms(60)
    print(await asyncio.wait_for(work("g", 5), 1))
    try:
        await asyncio.wait_for_ms(work("h", 100), 10)
    except asyncio.TimeoutError:
        print("timeout h")
    t = asyncio.create_task(catcher())
    await asyncio.sleep(0)
    print("cancel ->", t.cancel())
    print(await t)
    ev = asyncio.Event()
    w = asyncio.create_task(ev.wait())
    await asyncio.sleep(0)
    ev.set()
    print("event wait ->", await w)
    lock = asyncio.Lock()
    async with lock:
        print("locked", lock.locked())
    print("locked", lock.locked())
    q = asyncio.Queue(2)
    asyncio.create_task(producer(q, 5))
    got = []
    while True:
        v = await q.get()
        if v is None:
            break
        got.append(v)
    print("queue", got, q.empty())
    sem = asyncio.Semaphore(2)
    async with sem:
        print("sem acquired, locked", sem.locked())
    async with asyncio.TaskGroup() as tg:
        a = tg.create_task(work("tg1", 30))  # (real time: a wide gap keeps the order under load)
        b = tg.create_task(work("tg2", 1))
    print("taskgroup", a.result(), b.result())
    try:
        async with asyncio.timeout(0.01):
            await asyncio.sleep(1)
    except asyncio.TimeoutError:
        print("timeout block")
    flag = asyncio.ThreadSafeFlag()
    flag.set()
    await flag.wait()
    print("flag ok")
    print("current task is a Task:", isinstance(asyncio.current_task(), asyncio.Task))
    return "main done"


print(asyncio.run(main()))
