# diff_group_exit_yields: a TaskGroup exit with no child left to wait for is
# still a schedule point that cannot be cancelled (Trio's nursery exit:
# cancel_shielded_checkpoint), found by make stress (tests/test_diff_trio.py).
# t1's sleep and main's inner sleep end at the same tick; main leaves an
# empty inner group and then cancels t1: t1 has already run its step, so it
# returns. Expected output (diff_group_exit_yields.exp) is what Trio prints
# for the twin in tests/_dt_twins.py.
import zsync_mp as zs


def log(*a):
    print(zs.ticks_ms(), *a)


async def t1():
    await zs.sleep_ms(1)
    log("t1 slept 1")


async def nothing():
    pass


async def main():
    async with zs.TaskGroup() as tg:
        a = tg.spawn(t1())
        async with zs.TaskGroup() as inner:
            inner.spawn(nothing())
            await zs.sleep_ms(1)
        log("inner group done")
        a.cancel()
        log("cancelled t1")
    log("t1 cancelled:", a.cancelled())


zs.run(main(), clock=zs.VirtualClock())
