# An exception other than Cancelled thrown into a task waiting in
# TaskGroup.__aexit__ (e.g. KeyboardInterrupt delivered there) stops the
# children, waits for them, then comes out: no task outlives its group.
import zsync_mp as zs
from zsync_mp.kernel.deliver import throw


async def child(log, i):
    try:
        await zs.sleep(1)
    except zs.Cancelled:
        log.append(i)
        raise


async def owner(kids, log):
    async with zs.TaskGroup() as tg:
        kids.append(tg.spawn(child(log, 0)))
        kids.append(tg.spawn(child(log, 1)))
    # the owner is now parked in __aexit__ waiting for the children


async def main():
    kids = []
    log = []
    t = zs.spawn(owner(kids, log))
    await zs.sleep_ms(10)
    throw(t, OSError("thrown into the waiting owner"))
    try:
        await t
    except OSError as e:
        print("owner ended with", type(e).__name__, e)
    print("children done:", [k.done() for k in kids], "cancelled in order:", log)


zs.run(main(), clock=zs.VirtualClock())
