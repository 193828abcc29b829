# CircuitBreaker judges a call by the state it was admitted in (pybreaker's
# rule): a call admitted while CLOSED that ends after the circuit opened
# neither closes it, nor frees a trial slot, nor re-opens it; only calls
# admitted as half-open trials decide there, and at most half_open_max of
# them reach the service at once. Once the circuit is CLOSED again, a late
# outcome counts as an ordinary one. Same through call(), `async with` and
# the manual allow()/record_*() API. Times are virtual ms.
import zsync_mp as zs
from zsync_mp.resilience import CircuitBreaker, CircuitOpen

running = [0]  # calls inside the service right now


async def svc(name, ms, ok):
    running[0] += 1
    print("%3d %s: in service (%d running)" % (zs.ticks_ms(), name, running[0]))
    try:
        await zs.sleep_ms(ms)
    finally:
        running[0] -= 1
    if not ok:
        raise OSError(name)
    return name


async def call(br, name, ms, ok, delay=0, via_with=False):
    await zs.sleep_ms(delay)
    try:
        if via_with:
            async with br:
                _r = await svc(name, ms, ok)
        else:
            _r = await br.call(svc, name, ms, ok)
        what = "ok"
    except CircuitOpen:
        what = "rejected"
    except OSError:
        what = "failed"
    print("%3d %s: %s -> %s failures=%d" % (zs.ticks_ms(), name, what, br.state, br.failures))


async def late_success(via_with):
    # slow is admitted while closed; bad trips the circuit at 1; it goes
    # half-open at 11 and trial takes the only slot until 32. slow's success
    # at 30 is old news: the circuit stays half-open, so probe (31) is
    # rejected; the trial's success closes it.
    br = CircuitBreaker(fail_max=1, reset_ms=10, half_open_max=1)
    async with zs.TaskGroup() as tg:
        tg.spawn(call(br, "slow", 30, True, 0, via_with))
        tg.spawn(call(br, "bad", 1, False, 0, via_with))
        tg.spawn(call(br, "trial", 21, True, 11, via_with))
        tg.spawn(call(br, "probe", 5, True, 31, via_with))
    print("    end:", br.state, "opened", br.opened, "rejected", br.rejected)


async def slots():
    # half_open_max=2: two slow closed-admitted successes while half-open
    # must not open slots for more than 2 trials at once.
    br = CircuitBreaker(fail_max=1, reset_ms=10, half_open_max=2)
    async with zs.TaskGroup() as tg:
        tg.spawn(call(br, "slow1", 20, True))
        tg.spawn(call(br, "slow2", 21, True))
        tg.spawn(call(br, "bad", 1, False))
        for i in range(4):
            tg.spawn(call(br, "t%d" % i, 20 + i, True, 11 + 11 * (i // 2)))
    print("    end:", br.state)


async def late_failure():
    # A closed-admitted failure while open does not extend the cool-down;
    # while half-open it neither re-opens nor takes the trial's say.
    br = CircuitBreaker(fail_max=1, reset_ms=10, half_open_max=1)
    async with zs.TaskGroup() as tg:
        tg.spawn(call(br, "slow-a", 5, False))
        tg.spawn(call(br, "slow-b", 15, False))
        tg.spawn(call(br, "bad", 1, False))
        tg.spawn(call(br, "trial", 10, True, 11))

        async def watch():
            for t in (4, 6, 14, 16):
                await zs.sleep_ms(t - zs.ticks_ms())  # to t ms
                print("%3d     watch: %s remaining_ms=%d" % (zs.ticks_ms(), br.state, br.remaining_ms()))

        tg.spawn(watch())
    print("    end:", br.state, "opened", br.opened)


async def after_close():
    # Once closed again, late outcomes are ordinary: an old call failing
    # counts (fail_max=2: one is not enough); a trial still running when
    # the others closed the circuit counts the same way.
    br = CircuitBreaker(fail_max=2, reset_ms=10, half_open_max=2)
    async with zs.TaskGroup() as tg:
        tg.spawn(call(br, "slow", 40, False))
        tg.spawn(call(br, "bad1", 1, False))
        tg.spawn(call(br, "bad2", 2, False))
        tg.spawn(call(br, "tA", 3, True, 12))
        tg.spawn(call(br, "tB", 10, True, 12))
        tg.spawn(call(br, "tC", 20, False, 16))
    print("    end:", br.state, "failures", br.failures, "opened", br.opened)


async def manual():
    # allow()/record_*() from the task that asked: an old admission reported
    # while half-open changes nothing; the trial's report decides.
    br = CircuitBreaker(fail_max=1, reset_ms=10, half_open_max=1)
    print("  allow (closed):", br.allow())
    br.record_failure()  # another caller's failure trips it
    await zs.sleep_ms(10)
    print("  half-open:", br.state)
    done = zs.Event()

    async def trial():
        print("  trial allow:", br.allow())
        await done.wait()
        br.record_success()
        print("  trial reported:", br.state)

    async with zs.TaskGroup() as tg:
        tg.spawn(trial())
        await zs.sleep_ms(1)
        br.record_success()  # the closed-admitted call's late success
        print("  old success reported:", br.state, "allow:", br.allow())
        br.record_failure()
        print("  old failure reported:", br.state, "allow:", br.allow())
        done.set()


for title, scenario in [
    ("late success of a closed-admitted call, call():", lambda: late_success(False)),
    ("the same through `async with`:", lambda: late_success(True)),
    ("at most half_open_max trials reach the service:", slots),
    ("late failures while open and half-open:", late_failure),
    ("late outcomes once closed again:", after_close),
    ("manual API:", manual),
]:
    print(title)
    zs.run(scenario(), clock=zs.VirtualClock())  # each from 0 ms
