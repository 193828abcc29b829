# CircuitBreaker: closed -> open -> half-open -> closed/open, counts, cool-down,
# `async with` and call(), what counts as a failure, cancellation, misuse.
import zsync_mp as zs
from zsync_mp.resilience import CircuitBreaker, CircuitOpen, CLOSED, OPEN, HALF_OPEN

healthy = [False]


async def service(x):
    await zs.sleep_ms(1)
    if not healthy[0]:
        raise OSError("down")
    return x * 2


async def attempt(br, x):
    try:
        r = await br.call(service, x)
        print("  %d: ok %d" % (zs.ticks_ms(), r), br.state, br.failures)
    except CircuitOpen as e:
        print("  %d: CircuitOpen remaining_ms=%d" % (zs.ticks_ms(), e.remaining_ms), br.state)
    except OSError as e:
        print("  %d: OSError %s" % (zs.ticks_ms(), e), br.state, br.failures)


async def main():
    print("states", CLOSED, OPEN, HALF_OPEN)
    br = CircuitBreaker(fail_max=3, reset_ms=100, name="db")
    print("trip after 3 failures in a row")
    for i in range(5):
        await attempt(br, i)
    print("opened", br.opened, "rejected", br.rejected)
    print(str(CircuitOpen.__name__), "message:", end=" ")
    try:
        async with br:
            pass
    except CircuitOpen as e:
        print(e)
    print("cool-down: opened at 3; still open at 102, half-open at 103")
    await zs.sleep_ms(99)
    print("  %d:" % zs.ticks_ms(), br.state, br.remaining_ms())
    await zs.sleep_ms(1)
    print("  %d:" % zs.ticks_ms(), br.state, br.remaining_ms())
    print("a failed trial re-opens with a new cool-down")
    await attempt(br, 1)
    await attempt(br, 1)
    await zs.sleep_ms(100)
    print("a successful trial closes")
    healthy[0] = True
    await attempt(br, 2)
    await attempt(br, 3)

    print("a success resets the count")
    healthy[0] = False
    await attempt(br, 1)
    await attempt(br, 1)
    healthy[0] = True
    await attempt(br, 1)
    print("  failures", br.failures)

    print("half_open_max=2: two trials at once, both must succeed")
    br2 = CircuitBreaker(fail_max=1, reset_ms=10, half_open_max=2)
    healthy[0] = False
    await attempt(br2, 0)
    await zs.sleep_ms(10)
    healthy[0] = True
    async with zs.TaskGroup() as tg:
        for i in range(3):
            tg.spawn(attempt(br2, i))
    print("  state", br2.state)

    print("async with: a failure in the body counts")
    br3 = CircuitBreaker(fail_max=2, reset_ms=50)
    for i in range(3):
        try:
            async with br3:
                await zs.sleep_ms(1)
                raise OSError("body")
        except OSError:
            print("  body failed", br3.state, br3.failures)
        except CircuitOpen:
            print("  rejected", br3.state)

    print("fail_on: other exceptions count as success")
    br4 = CircuitBreaker(fail_max=1, fail_on=OSError)
    try:
        async with br4:
            raise ValueError("caller bug")
    except ValueError:
        print("  ValueError passed through", br4.state, br4.failures)

    print("a cancelled call is neither; it frees its trial slot")
    br5 = CircuitBreaker(fail_max=1, reset_ms=10)
    br5.record_failure()
    await zs.sleep_ms(10)
    with zs.move_on_after(0.005):
        async with br5:
            print("  trial started", br5.state)
            await zs.sleep_ms(100)
    print("  after cancel", br5.state, "allow", br5.allow())
    br5.record_success()
    print("  after trial success", br5.state)

    print("manual API and reset()")
    br6 = CircuitBreaker(fail_max=1, reset_ms=1000)
    print("  allow", br6.allow())
    br6.record_failure()
    print("  allow", br6.allow(), br6.state, "rejected", br6.rejected)
    br6.reset()
    print("  after reset", br6.state, br6.allow())

    print("plain function through call()")
    print("  ->", await br6.call(lambda a, b: a + b, 2, 3))

    print("misuse")
    for what, mk in [
        ("fail_max=0", lambda: CircuitBreaker(fail_max=0)),
        ("fail_max=1.5", lambda: CircuitBreaker(fail_max=1.5)),
        ("reset_ms=-1", lambda: CircuitBreaker(reset_ms=-1)),
        ("half_open_max=0", lambda: CircuitBreaker(half_open_max=0)),
        ("fail_on='x'", lambda: CircuitBreaker(fail_on="x")),
        ("name=3", lambda: CircuitBreaker(name=3)),
    ]:
        try:
            mk()
            print(what, "accepted?!")
        except (TypeError, ValueError) as e:
            print(what, "->", type(e).__name__, e)
    try:
        await br6.call(5)
    except TypeError as e:
        print("call(5) -> TypeError", e)


zs.run(main(), clock=zs.VirtualClock())
