# Small parts of zsync_mp.asyncio's API, on every interpreter (the same
# calls run side by side with CPython's own asyncio in
# tests/test_aio_small_api.py): Task.get_name (default "Task-<n>", unique;
# a given name kept; set_name stores str(name)), get_coro (the coroutine
# while the task runs; None once it is done, as README says),
# loop.is_running/is_closed (closed after close() until it runs again),
# Queue.qsize/get_nowait/put_nowait/task_done/join and their errors,
# ensure_future, iscoroutine.
import zsync_mp.asyncio as asyncio


async def child():
    await asyncio.sleep(0)
    return 7


async def tasks():
    a = asyncio.create_task(child())
    b = asyncio.create_task(child())
    c = asyncio.create_task(child(), name="worker")
    na, nb = a.get_name(), b.get_name()
    print("default names: Task-<n>:", na.startswith("Task-") and nb.startswith("Task-"), "unique:", na != nb)
    print("given name:", c.get_name())
    a.set_name(42)
    print("set_name(42):", repr(a.get_name()))
    coro = child()
    t = asyncio.ensure_future(coro)
    print("ensure_future: a task", asyncio.ensure_future(t) is t, "get_coro while it runs:", t.get_coro() is coro)
    print("iscoroutine:", asyncio.iscoroutine(coro), asyncio.iscoroutine(child))
    print("results:", await asyncio.gather(a, b, c, t))
    print("get_coro once done:", t.get_coro())
    print("is_running inside:", asyncio.get_running_loop().is_running())


async def queue():
    q = asyncio.Queue(maxsize=2)
    try:
        q.get_nowait()
    except asyncio.QueueEmpty:
        print("get_nowait on empty: QueueEmpty")
    q.put_nowait("a")
    q.put_nowait("b")
    try:
        q.put_nowait("c")
    except asyncio.QueueFull:
        print("put_nowait on full: QueueFull")
    print("qsize:", q.qsize(), "get_nowait:", q.get_nowait(), "qsize:", q.qsize())

    async def finish():
        q.task_done()
        await asyncio.sleep(0)
        print("got", await q.get())
        q.task_done()

    t = asyncio.create_task(finish())
    await q.join()
    print("joined once every item taken was done")
    await t
    try:
        q.task_done()
    except ValueError:
        print("one task_done too many: ValueError")


loop = asyncio.new_event_loop()
print("new loop: running", loop.is_running(), "closed", loop.is_closed())
loop.run_until_complete(tasks())
loop.run_until_complete(queue())
print("after run: running", loop.is_running())
loop.close()
print("after close: closed", loop.is_closed())
loop.run_until_complete(asyncio.sleep(0))
print("runs again after close: closed", loop.is_closed())
