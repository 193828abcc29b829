# A zsync_mp awaitable captured to be awaited later (asyncio's create_task,
# BlockingIo.await_) is replayed on the general _OP: yield_now() and an unset
# Event's wait() have their own fast awaitables, which park at the await, so
# an event set before the captured wait first runs must still count.
import zsync_mp as zs
import zsync_mp.asyncio as asyncio


async def main():
    t = asyncio.create_task(zs.yield_now())
    print("create_task(zs.yield_now()) ->", await asyncio.wait_for(t, 1))
    ev = zs.Event()
    t = asyncio.create_task(ev.wait())
    ev.set()  # before the task first runs
    print("zs.Event set before the captured wait runs ->", await asyncio.wait_for(t, 1))
    aev = asyncio.Event()
    t = asyncio.create_task(aev.wait())
    aev.set()
    print("asyncio.Event set before the captured wait runs ->", await asyncio.wait_for(t, 1))
    ev2 = zs.Event()
    t = asyncio.create_task(ev2.wait())
    await asyncio.sleep(0)  # the captured wait parks first
    ev2.set()
    print("zs.Event set after the captured wait parked ->", await asyncio.wait_for(t, 1))


asyncio.run(main())
io = zs.BlockingIo()
print("BlockingIo.await_(zs.yield_now()) ->", io.await_(zs.yield_now()))
ev = zs.Event()
ev.set()
print("BlockingIo.await_(set event.wait()) ->", io.await_(ev.wait()))
