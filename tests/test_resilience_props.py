# CPython-only property tests for zsync_mp.resilience under the virtual clock:
# the token bucket never lets more through than burst + rate * window, retry
# delays stay in their jitter band and are a function of the seed, stream
# operators lose, duplicate and reorder nothing, and supervisors never restart
# more often than their intensity allows.
from hypothesis import given, settings, strategies as st

import zsync_mp as zs
from zsync_mp.resilience import (
    RateLimiter, retry, backoff_ms, Prng, CircuitBreaker, CircuitOpen, Supervisor, child, TooManyRestarts, streams,
)

SETTINGS = settings(max_examples=60, deadline=None)


@SETTINGS
@given(st.integers(1, 10), st.integers(1, 500), st.integers(1, 8), st.lists(st.integers(0, 120), min_size=1, max_size=60))
def test_rate_limiter_bound(rate, per_ms, burst, gaps):
    # Whatever the call times, grants in any window [a, b] never exceed
    # burst + rate * (b - a) / per_ms.
    granted = []

    async def main():
        rl = RateLimiter(rate, per_ms=per_ms, burst=burst)
        for g in gaps:
            await zs.sleep_ms(g)
            while rl.try_acquire():
                granted.append(zs.ticks_ms())

    zs.run(main(), clock=zs.VirtualClock())
    for i in range(len(granted)):
        for j in range(i, len(granted)):
            n = j - i + 1
            span = granted[j] - granted[i]
            assert n * per_ms <= burst * per_ms + rate * span


@SETTINGS
@given(st.integers(1, 5), st.integers(1, 300), st.integers(1, 3), st.lists(st.integers(1, 3), min_size=1, max_size=8))
def test_rate_limiter_acquire_fifo_and_exact(rate, per_ms, burst, wants):
    # acquire() serves waiters in order, each as soon as its tokens exist.
    order = []

    async def user(i, n, rl):
        await rl.acquire(n)
        order.append((i, zs.ticks_ms()))

    async def main():
        rl = RateLimiter(rate, per_ms=per_ms, burst=burst)
        async with zs.TaskGroup() as tg:
            for i, n in enumerate(wants):
                tg.spawn(user(i, min(n, burst), rl))

    zs.run(main(), clock=zs.VirtualClock())
    assert [i for i, _ in order] == list(range(len(wants)))
    # Reference model, stepped one ms at a time: credits grow by rate per ms
    # up to burst * per_ms; each waiter is served at the first ms its tokens fit.
    cap = burst * per_ms
    credits, t, expect = cap, 0, []
    for n in wants:
        need = min(n, burst) * per_ms
        while credits < need:
            t += 1
            credits = min(cap, credits + rate)
        credits -= need
        expect.append(t)
    assert [t for _, t in order] == expect


@SETTINGS
@given(st.integers(0, 2**31), st.integers(0, 200), st.integers(0, 2000), st.sampled_from([1, 1.5, 2, 3]),
       st.floats(0, 1), st.integers(1, 6))
def test_retry_delays_in_band_and_seeded(seed, base, extra, factor, jitter, fails):
    max_ms = base + extra

    def run_once():
        delays = []
        n = [0]

        async def f():
            n[0] += 1
            if n[0] <= fails:
                raise OSError(n[0])
            return n[0]

        async def main():
            return await retry(f, attempts=fails + 1, base_ms=base, max_ms=max_ms, factor=factor, jitter=jitter,
                               seed=seed, on_retry=lambda a, e, d: delays.append(d))

        assert zs.run(main(), clock=zs.VirtualClock()) == fails + 1
        return delays

    d1 = run_once()
    assert d1 == run_once()
    for i, d in enumerate(d1):
        full = backoff_ms(i, base, max_ms, factor)
        assert full - int(full * jitter) <= d <= full <= max_ms


@SETTINGS
@given(st.integers(0, 2**32), st.integers(1, 1000))
def test_prng_below_range(seed, n):
    p = Prng(seed)
    for _ in range(20):
        assert 0 <= p.below(n) < n


@SETTINGS
@given(st.integers(1, 4), st.integers(1, 50), st.integers(1, 3),
       st.lists(st.tuples(st.integers(0, 30), st.booleans()), min_size=1, max_size=30))
def test_breaker_model(fail_max, reset_ms, half_open_max, calls):
    # Sequential calls against a reference model of the state machine.
    log = []

    async def main():
        br = CircuitBreaker(fail_max=fail_max, reset_ms=reset_ms, half_open_max=half_open_max)
        state, fails, t_open, oks = "closed", 0, None, 0
        for gap, ok in calls:
            await zs.sleep_ms(gap)
            now = zs.ticks_ms()
            if state == "open" and now - t_open >= reset_ms:
                state, oks = "half_open", 0
            expect_reject = state == "open"

            async def svc():
                if not ok:
                    raise OSError()

            try:
                await br.call(svc)
                rejected = False
            except CircuitOpen:
                rejected = True
            except OSError:
                rejected = False
            assert rejected == expect_reject, (state, br.state)
            if not rejected:
                if state == "closed":
                    fails = 0 if ok else fails + 1
                    if fails >= fail_max:
                        state, t_open = "open", now
                elif ok:
                    oks += 1
                    if oks >= half_open_max:
                        state, fails = "closed", 0
                else:
                    state, t_open = "open", now
            assert br.state == state
            log.append(state)

    zs.run(main(), clock=zs.VirtualClock())


@SETTINGS
@given(st.lists(st.integers(-50, 50), max_size=30), st.integers(1, 5), st.integers(0, 3))
def test_streams_map_filter_batch(items, n, cap):
    out = {}

    async def main():
        async with zs.TaskGroup() as tg:
            tx, rx = zs.channel(cap)

            async def prod():
                with tx:
                    for v in items:
                        await tx.send(v)

            tg.spawn(prod())
            b = streams.batch(tg, streams.map(tg, streams.filter(tg, rx, lambda v: v % 2 == 0, cap), lambda v: v * 3, cap), n, capacity=cap)
            out["b"] = [x async for x in b]

    zs.run(main(), clock=zs.VirtualClock())
    flat = [v for bt in out["b"] for v in bt]
    assert flat == [v * 3 for v in items if v % 2 == 0]
    assert all(1 <= len(bt) <= n for bt in out["b"])
    assert all(len(bt) == n for bt in out["b"][:-1])


@SETTINGS
@given(st.lists(st.lists(st.integers(0, 5), max_size=8), min_size=1, max_size=4), st.integers(1, 3))
def test_streams_merge_broadcast(plans, fan):
    # merge: a permutation keeping each input's order; broadcast: every
    # output sees the whole merged stream in the same order.
    outs = {}

    async def prod(i, gaps, tx):
        with tx:
            for j, g in enumerate(gaps):
                await zs.sleep_ms(g)
                await tx.send((i, j))

    async def reader(k, rx):
        outs[k] = [v async for v in rx]

    async def main():
        async with zs.TaskGroup() as tg:
            rxs = []
            for i, gaps in enumerate(plans):
                tx, rx = zs.channel(1)
                tg.spawn(prod(i, gaps, tx))
                rxs.append(rx)
            for k, r in enumerate(streams.broadcast(tg, streams.merge(tg, rxs), fan)):
                tg.spawn(reader(k, r))

    zs.run(main(), clock=zs.VirtualClock())
    first = outs[0]
    assert sorted(first) == sorted((i, j) for i, g in enumerate(plans) for j in range(len(g)))
    for i in range(len(plans)):
        assert [v for v in first if v[0] == i] == [(i, j) for j in range(len(plans[i]))]
    assert all(outs[k] == first for k in range(fan))


@SETTINGS
@given(st.lists(st.integers(0, 40), min_size=1, max_size=20), st.integers(1, 30))
def test_debounce_emits_quiet_items(gaps, quiet):
    # An item is emitted iff the next one came quiet ms or more after it (or
    # it is the last); emissions keep order.
    out = []

    async def main():
        async with zs.TaskGroup() as tg:
            tx, rx = zs.channel(1)

            async def prod():
                with tx:
                    for i, g in enumerate(gaps):
                        await zs.sleep_ms(g)
                        await tx.send(i)

            tg.spawn(prod())
            async for v in streams.debounce(tg, rx, quiet):
                out.append(v)

    zs.run(main(), clock=zs.VirtualClock())
    expect = [i for i in range(len(gaps)) if i == len(gaps) - 1 or gaps[i + 1] >= quiet]
    assert out == expect


@SETTINGS
@given(st.lists(st.integers(1, 60), min_size=1, max_size=25), st.integers(0, 4), st.integers(1, 200),
       st.sampled_from(["one_for_one", "one_for_all", "rest_for_one"]))
def test_supervisor_intensity(lifetimes, max_restarts, within_ms, strategy):
    # A crashing child with the given lifetimes: restarts inside any window of
    # within_ms never exceed max_restarts, and escalation happens exactly when
    # one more would.
    starts = []
    runs = [0]

    async def crashy():
        i = runs[0]
        runs[0] += 1
        starts.append(zs.ticks_ms())
        await zs.sleep_ms(lifetimes[min(i, len(lifetimes) - 1)])
        if i + 1 >= len(lifetimes):
            await zs.sleep(10)  # the last run is healthy
        raise OSError(i)

    async def idle():
        await zs.sleep(100)

    result = {}

    async def main():
        sup = Supervisor([child("idle", idle), child("c", crashy)], strategy=strategy,
                         max_restarts=max_restarts, within_ms=within_ms)
        with zs.move_on_after(5):
            try:
                await sup.run()
            except TooManyRestarts as e:
                result["esc"] = (zs.ticks_ms(), e.child)

    zs.run(main(), clock=zs.VirtualClock())
    restarts = starts[1:]
    for i in range(len(restarts)):
        inside = [t for t in restarts[:i + 1] if restarts[i] - t < within_ms]
        assert len(inside) <= max_restarts
    if "esc" in result:
        t, cid = result["esc"]
        assert cid == "c"
        recent = [r for r in restarts if t - r < within_ms]
        assert len(recent) == max_restarts
