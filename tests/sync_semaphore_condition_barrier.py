# Semaphore, BoundedSemaphore, Condition and Barrier.
import zsync_mp as zs


async def main():
    sem = zs.Semaphore(2)
    active = [0, 0]

    async def worker(i):
        async with sem:
            active[0] += 1
            active[1] = max(active[1], active[0])
            await zs.sleep_ms(3)
            active[0] -= 1

    async with zs.TaskGroup() as tg:
        for i in range(5):
            tg.spawn(worker(i))
    print("max concurrent", active[1], "value", sem.value, "done at", zs.ticks_ms())
    print("try_acquire", sem.try_acquire(), sem.try_acquire(), sem.try_acquire(), "locked", sem.locked())
    sem.release()
    sem.release()
    sem.release()
    print("plain semaphore may exceed its start value:", sem.value)

    b = zs.BoundedSemaphore(1)
    await b.acquire()
    b.release()
    try:
        b.release()
    except ValueError as e:
        print("bounded:", e)
    for bad in (-1, "x"):
        try:
            zs.Semaphore(bad)
        except (ValueError, TypeError) as e:
            print(type(e).__name__, e)

    cond = zs.Condition()
    items = []

    async def consumer(name):
        async with cond:
            await cond.wait_for(lambda: items)
            print(name, "got", items.pop(0), "at", zs.ticks_ms())

    async with zs.TaskGroup() as tg:
        tg.spawn(consumer("c1"))
        tg.spawn(consumer("c2"))
        await zs.sleep_ms(2)
        async with cond:
            items.append("x")
            cond.notify()
        await zs.sleep_ms(2)
        async with cond:
            items.append("y")
            cond.notify_all()
    try:
        cond.notify()
    except RuntimeError as e:
        print("notify without lock:", e)
    try:
        await cond.wait()
    except RuntimeError as e:
        print("wait without lock:", e)

    # Cancelled in wait(): the lock is re-acquired before the error propagates.
    async def cancelled_waiter():
        async with cond:
            try:
                await cond.wait()
            except zs.Cancelled:
                print("cancelled in wait, holds lock:", cond.locked())
                raise

    async with zs.TaskGroup() as tg:
        t = tg.spawn(cancelled_waiter())
        await zs.sleep_ms(1)
        t.cancel()
    print("lock free after:", not cond.locked())

    bar = zs.Barrier(3)

    async def party(name, ms):
        await zs.sleep_ms(ms)
        i = await bar.wait()
        print(name, "passed barrier at", zs.ticks_ms(), "index", i)

    async with zs.TaskGroup() as tg:
        for name, ms in (("p1", 1), ("p2", 5), ("p3", 9)):
            tg.spawn(party(name, ms))
    print("barrier reusable, waiting", bar.n_waiting)
    try:
        zs.Barrier(0)
    except ValueError as e:
        print("Barrier(0):", e)


zs.run(main(), clock=zs.VirtualClock())
