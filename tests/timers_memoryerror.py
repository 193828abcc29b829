# A MemoryError while the timer heap grows (a full heap on a board: the
# HIL soak at a 105 KB heap hit it) fails only the call that needed the
# entry: sleep() or entering a deadline scope raises MemoryError, and the
# kernel stays whole. Before the fix one of the heap's three lists could
# grow and the next not, so the next timer raised IndexError (a failed scope entry
# left the loop's count of live timers one short). The failure is injected
# into each list's append in turn; after each, sleeps and deadlines still
# fire on time and the loop counts no timer nobody waits for.
import zsync_mp as zs
from zsync_mp.kernel import core
from zsync_mp.kernel.port import native
from _inject import FailOnce


async def fill(K):
    # Use every slot the lists have, so the next entry must grow them.
    while K.timer_count < len(K.timer_deadlines):
        with zs.move_on_after(60):
            await zs.yield_now()
    return K.timer_count


async def check(what):
    K = core._K
    t0 = zs.ticks_ms()
    await zs.sleep_ms(20)
    slept = zs.ticks_diff(zs.ticks_ms(), t0)
    with zs.move_on_after(0.01) as cs:
        await zs.sleep(1)
    print("  after a failed %s: slept 20 ms: %s; a 10 ms deadline fired: %s; live timers: %d"
          % (what, slept >= 20, cs.cancelled_caught, K.live))


async def main():
    K = core._K
    names = ("timer_deadlines", "timer_objects", "timer_seqs")
    for name in names:
        setattr(K, name, FailOnce(getattr(K, name)))
    for name in names:
        for what in ("sleep", "deadline scope"):
            if what == "sleep" and native is not None:
                # (tests/timers_memoryerror.core.exp)
                print("sleep with", name, "unable to grow: the C Task sleeps in its own heap, no list entry")
                continue
            await fill(K)
            getattr(K, name).arm("no room to grow the timer heap")
            try:
                if what == "sleep":
                    await zs.sleep_ms(5)
                else:
                    with zs.move_on_after(5):
                        print("entered?!")
                print(what, "with", name, "unable to grow: no error?!")
            except MemoryError as e:
                print(what, "with", name, "unable to grow: MemoryError:", e)
            await check(what)
    print("done")


zs.run(main(), clock=zs.VirtualClock())
