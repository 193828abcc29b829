# A loop that fails (here: a deadlock) closes the tasks it leaves suspended
# before run() returns, so their cleanup (`async with sem:` exits) can never
# resume a task of the dead loop inside a later loop when the garbage
# collector finalizes them.
import gc

import zsync_mp as zs
from zsync_mp.kernel import core as _kernel


async def holder(sem, ev):
    async with sem:
        await ev.wait()  # never set: the loop deadlocks


async def waiter(sem, name):
    async with sem:
        print(name, "resumed holding the semaphore")


async def main1():
    sem = zs.Semaphore(1)
    ev = zs.Event()
    a = zs.spawn(holder(sem, ev))
    zs.spawn(waiter(sem, "B (a task of run 1)"))
    await a


try:
    zs.run(main1(), clock=zs.VirtualClock())
except RuntimeError as e:
    print("run 1:", str(e).split(" (")[0])


def foreign(task, exc):
    print("a task of run 1 ran in run 2:", type(exc).__name__)


async def main2():
    _kernel._K.exc_handler = foreign  # report on stdout, where the trace is compared
    gc.collect()  # whatever run 1 left is finalized now, inside run 2
    await zs.sleep_ms(1)
    print("run 2 done")


gc.disable()
zs.run(main2(), clock=zs.VirtualClock())
gc.enable()
