# diff_cancel_grandchild: cancelling a group's scope cancels the grandchildren
# at once, not when the child in between next runs (found by
# tests/test_diff_trio.py; issue 15 item 1 names Task.cancel(), this is a
# TaskGroup cancelled by a failure in its body). The grandchild is ready
# after yield_now() when the outer group is cancelled: it must end cancelled
# at that yield_now(), as a direct child does, without printing "resumed".
# Expected output (diff_cancel_grandchild.exp) is what Trio prints for the
# twin in tests/_dt_twins.py.
import zsync_mp as zs


class Boom(Exception):
    pass


def log(*a):
    print(zs.ticks_ms(), *a)


async def grandchild():
    try:
        await zs.yield_now()
        log("grandchild: resumed after the cancel")
        await zs.sleep_ms(5)
    except zs.Cancelled:
        log("grandchild: cancelled")
        raise


async def child():
    async with zs.TaskGroup() as tg:
        tg.spawn(grandchild())


async def nothing():
    pass


async def main():
    await zs.sleep_ms(10)
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(child())
            # The inner group's failure reaches the outer group in the step
            # where the grandchild first runs (and yields): the grandchild
            # is ready, its parent parked at its group's exit.
            async with zs.TaskGroup() as inner:
                inner.spawn(nothing())
                raise Boom()
    except zs.TaskGroupError:
        log("group raised")


zs.run(main(), clock=zs.VirtualClock())
