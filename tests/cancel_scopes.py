# Cancel scopes: nesting, own-cancellation only, shields, deadlines, fail_after.
import zsync_mp as zs


async def main():
    with zs.move_on_after(0.01) as s:
        await zs.sleep(1)
        print("not reached")
    print("move_on_after caught", s.cancelled_caught, "at", zs.ticks_ms())

    with zs.move_on_after(1) as s:
        await zs.sleep_ms(5)
    print("completed in time, caught", s.cancelled_caught, "at", zs.ticks_ms())

    # The inner scope must not swallow the outer scope's cancellation.
    with zs.move_on_after(0.02) as outer:
        with zs.move_on_after(10) as inner:
            await zs.sleep(1)
        print("not reached")
    print("outer caught", outer.cancelled_caught, "inner caught", inner.cancelled_caught, "at", zs.ticks_ms())

    # A shield holds off an outer cancellation until it exits.
    with zs.CancelScope() as outer:
        outer.cancel()
        with zs.CancelScope(shield=True):
            await zs.sleep_ms(3)
            print("shielded work finished at", zs.ticks_ms())
        print("after the shield, before a checkpoint")
        await zs.yield_now()
    print("outer caught", outer.cancelled_caught)

    # Cancel already called: the first checkpoint raises.
    with zs.CancelScope() as s:
        s.cancel()
        print("no checkpoint yet")
        await zs.yield_now()
        print("not reached")
    print("pre-cancelled caught", s.cancelled_caught)

    try:
        with zs.fail_after(0.005):
            await zs.sleep(1)
    except zs.TimeoutError as e:
        print("fail_after raised", type(e).__name__, "is zs.TimeoutError:", isinstance(e, zs.TimeoutError))
    print("at", zs.ticks_ms())

    # Deadlines are ticks; they can be moved while the scope is active.
    with zs.CancelScope() as s:
        print("deadline", s.deadline)
        s.deadline = zs.ticks_add(zs.ticks_ms(), 50)
        s.deadline = zs.ticks_add(zs.ticks_ms(), 7)
        await zs.sleep(1)
    print("moved deadline caught", s.cancelled_caught, "at", zs.ticks_ms())

    with zs.move_on_at(zs.ticks_add(zs.ticks_ms(), 4)) as s:
        await zs.Event().wait()
    print("move_on_at caught", s.cancelled_caught, "at", zs.ticks_ms())

    # Cancellation in a scope is delivered once, and the task goes on.
    n = 0
    with zs.CancelScope() as s:
        s.cancel()
        try:
            await zs.yield_now()
        except zs.Cancelled:
            n += 1
            raise
    print("delivered", n, "time(s)")

    s = zs.CancelScope()
    with s:
        pass
    try:
        with s:
            pass
    except RuntimeError as e:
        print("re-enter:", e)
    a = zs.CancelScope()
    b = zs.CancelScope()
    a.__enter__()
    b.__enter__()
    try:
        a.__exit__(None, None, None)
    except RuntimeError as e:
        print("out of order:", e)
    b.__exit__(None, None, None)
    a.__exit__(None, None, None)


zs.run(main(), clock=zs.VirtualClock())
