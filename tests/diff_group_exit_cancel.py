# diff_group_exit_cancel: when a TaskGroup's exit raises Cancelled (found by
# tests/test_diff_trio.py; not among issue 15's listed items). Trio's rule:
# a nursery's exit re-raises a Cancelled that came out of its body or of a
# child, and never raises one merely because the owner was cancelled while it
# waited (that one is delivered at the owner's next checkpoint).
# 1. move_on_after(0) around a group whose child blocks: the child is
#    cancelled, so the group exit raises and the scope catches it
#    (cancelled_caught True, "after group" never printed).
# 2. A child cancels its owner while the owner waits at the group exit and
#    returns without a checkpoint: the exit returns normally, "after group"
#    is printed, and the owner is cancelled at its next checkpoint (sleep).
# Expected output (diff_group_exit_cancel.exp) is what Trio prints for the
# twin in tests/_dt_twins.py.
import zsync_mp as zs


def log(*a):
    print(zs.ticks_ms(), *a)


async def blocked(rx):
    try:
        await rx.recv()
    except zs.Cancelled:
        log("child cancelled")
        raise


async def case1():
    tx, rx = zs.channel(0)
    with zs.move_on_after(0) as sc:
        async with zs.TaskGroup() as tg:
            tg.spawn(blocked(rx))
        log("case 1: after group, inside the expired scope")
    log("case 1: cancelled_caught", sc.cancelled_caught)


async def canceller(box):
    box[0].cancel()  # no checkpoint after this


async def owner(box):
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(canceller(box))
        log("case 2: owner after group")
        await zs.sleep_ms(5)
        log("case 2: owner after sleep")
    except zs.Cancelled:
        log("case 2: owner cancelled")
        raise


async def main():
    await zs.sleep_ms(10)
    await case1()
    box = []
    async with zs.TaskGroup() as tg:
        box.append(tg.spawn(owner(box)))
    log("case 2: owner.cancelled()", box[0].cancelled())


zs.run(main(), clock=zs.VirtualClock())
