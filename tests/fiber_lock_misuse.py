# Inside a fiber, io.lock(thread lock) raises a TypeError naming the problem
# before the thread lock is touched: it is not taken (no blocking acquire()
# stopping every task, no "can't be used in 'await' expression" after it,
# no lock left held), the fiber carries on, and other tasks keep running.
from _io_dev import need_fibers

need_fibers()
import _thread

import zsync_mp as zs


def worker(io, lk):
    io.sleep_ms(2)
    try:
        with io.lock(lk):
            print("  fiber: inside the lock?!")
    except TypeError as e:
        print("  fiber at %d: TypeError: %s" % (zs.ticks_ms(), str(e).split(", got")[0]))
    print("  thread lock held:", lk.locked())
    io.sleep_ms(2)
    return "fiber done at %d" % zs.ticks_ms()


async def ticker():
    for _ in range(3):
        await zs.sleep_ms(3)
        print("  tick", zs.ticks_ms())


async def main():
    async with zs.TaskGroup() as tg:
        tg.spawn(ticker())
        print(await zs.fiber(worker, _thread.allocate_lock()))


zs.run(main(), clock=zs.VirtualClock())
