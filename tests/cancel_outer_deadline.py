# A cancelled scope catches its own Cancelled only if no enclosing unshielded
# scope is cancelled too (Trio's rule): when an outer and an inner deadline
# expire at the same tick, the outer one wins, the code between the two
# exits never runs, and fail_after raises. A shielded inner scope still
# catches its own, and the outer cancellation arrives at the next checkpoint.
import zsync_mp as zs


async def lib_call():
    with zs.move_on_after(0.05) as s:
        await zs.sleep(1)
    print("lib_call returned: not reached (inner caught %s)" % s.cancelled_caught)


async def main():
    t0 = zs.ticks_ms()
    try:
        with zs.fail_after(0.05):
            await lib_call()
            print("not reached")
    except zs.TimeoutError:
        print("TimeoutError at", zs.ticks_diff(zs.ticks_ms(), t0))

    # Cancelled by hand at the same time: the outer scope catches.
    with zs.CancelScope() as outer:
        with zs.CancelScope() as inner:
            inner.cancel()
            outer.cancel()
            await zs.yield_now()
        print("between the exits: not reached")
    print("outer caught", outer.cancelled_caught, "inner caught", inner.cancelled_caught)

    # A shielded inner scope catches its own; the outer one is delivered next.
    with zs.CancelScope() as outer:
        with zs.CancelScope(shield=True) as inner:
            inner.cancel()
            outer.cancel()
            await zs.yield_now()
        print("between the exits (shielded inner): runs")
        await zs.yield_now()
        print("not reached")
    print("outer caught", outer.cancelled_caught, "inner caught", inner.cancelled_caught)

    # Task.cancel() (the root scope) and an inner scope cancelled together.
    scopes = []

    async def victim():
        with zs.CancelScope() as s:
            scopes.append(s)
            await zs.sleep(1)
        print("victim goes on: not reached", s.cancelled_caught)

    t = zs.spawn(victim())
    await zs.sleep_ms(10)
    scopes[0].cancel()
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        print("victim cancelled:", t.cancelled())
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
