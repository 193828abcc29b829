# The timer heap drops dead entries (exited scopes, cancelled sleeps) in a
# compaction once they outnumber the live ones 4 to 1 (past 64 entries).
# A timer added when that happens must survive it: the deadline of a scope
# entered then fires on time, and a sleep started then ends on time. (A
# compaction run after the new entry, before its owner marked it live,
# dropped it: the scope never timed out, the sleep never ended.)
import zsync_mp as zs
from zsync_mp.kernel import core


async def fill_to_the_brim(K):
    # Each scope exits before its deadline: its entry stays, dead; stop when
    # the next entry compacts (past 64 entries, 4 dead to 1 live).
    while K.timer_count <= 64:
        with zs.move_on_after(60):
            await zs.yield_now()


async def main():
    K = core._K
    await fill_to_the_brim(K)
    print("entries:", K.timer_count, "live:", K.live)
    t0 = zs.ticks_ms()
    with zs.move_on_after(0.01) as cs:
        await zs.sleep(1)
    print("a 10 ms deadline added at a compaction fired:", cs.cancelled_caught, "after", zs.ticks_diff(zs.ticks_ms(), t0), "ms")
    await fill_to_the_brim(K)
    t0 = zs.ticks_ms()
    await zs.sleep_ms(5)
    print("a 5 ms sleep added at a compaction ended after", zs.ticks_diff(zs.ticks_ms(), t0), "ms")
    print("entries:", K.timer_count, "live:", K.live)


zs.run(main(), clock=zs.VirtualClock())
