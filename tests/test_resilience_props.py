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
    assert [t for _, t in order] == gcra_releases(rate, per_ms, burst, [(0, min(n, burst)) for n in wants])


def gcra_releases(rate, per_ms, burst, plan):
    # Reference GCRA (virtual scheduling), time in units of 1/rate ms: one
    # token every per_ms units, the bucket full at `tat`. plan: (gap, n), each
    # request made gap ms after the previous release; it is served at its
    # ideal time max(arrival, tat + need - cap), rounded up to a whole ms.
    cap = burst * per_ms
    tat, t, out = 0, 0, []
    for gap, n in plan:
        need = n * per_ms
        t += gap
        g = max(t * rate, tat + need - cap)
        tat = max(tat, g) + need
        t = -(-g // rate)
        out.append(t)
    return out


@SETTINGS
@given(st.integers(1, 6), st.integers(1, 40), st.integers(1, 4),
       st.lists(st.tuples(st.integers(0, 30), st.integers(1, 4)), min_size=1, max_size=25))
def test_rate_limiter_gcra_release_times(rate, per_ms, burst, plan):
    # One task acquiring after the given pauses: each acquire returns at its
    # tokens' ideal arrival time rounded up (GCRA), and releases never beat
    # the rate: a window [a, b] holds at most burst + rate * (b - a + 1) /
    # per_ms of them (each lags its ideal time by under 1 ms).
    plan = [(g, min(n, burst)) for g, n in plan]
    got = []

    async def main():
        rl = RateLimiter(rate, per_ms=per_ms, burst=burst)
        for gap, n in plan:
            await zs.sleep_ms(gap)
            await rl.acquire(n)
            got.append(zs.ticks_ms())

    zs.run(main(), clock=zs.VirtualClock())
    assert got == gcra_releases(rate, per_ms, burst, plan)
    for i in range(len(got)):
        for j in range(i, len(got)):
            tokens = sum(n for _, n in plan[i:j + 1])
            assert tokens * per_ms <= burst * per_ms + rate * (got[j] - got[i] + 1)


@SETTINGS
@given(st.integers(0, 300), st.integers(0, 400), st.integers(0, 100000), st.sampled_from([1, 1.1, 1.5, 2, 3, 2.5]))
def test_backoff_formula(n, base, extra, factor):
    # backoff_ms is int(min(max_ms, base_ms * factor**n)), non-decreasing in n.
    max_ms = base + extra
    full = base * factor ** n  # exact for an int factor
    assert backoff_ms(n, base, max_ms, factor) == (max_ms if full >= max_ms else int(full))
    assert backoff_ms(n, base, max_ms, factor) <= backoff_ms(n + 1, base, max_ms, factor) <= max_ms


def gapped(tg, gaps):
    # A Receiver of 0, 1, ...: item i sent gaps[i] ms after the previous one.
    tx, rx = zs.channel(1)

    async def prod():
        with tx:
            for i, g in enumerate(gaps):
                await zs.sleep_ms(g)
                await tx.send(i)

    tg.spawn(prod())
    return rx


@SETTINGS
@given(st.lists(st.integers(0, 30), min_size=1, max_size=15), st.lists(st.integers(0, 60), min_size=1, max_size=15),
       st.integers(1, 25), st.booleans())
def test_throttle_spacing(gaps, pauses, interval, drop):
    # Through an unbuffered output, consecutive items reach the consumer at
    # least interval ms apart whatever the consumer's pauses; without drop
    # every item arrives, in order.
    got = []

    async def main():
        async with zs.TaskGroup() as tg:
            rx = gapped(tg, gaps)
            k = 0
            async for v in streams.throttle(tg, rx, interval, drop=drop, capacity=0):
                got.append((v, zs.ticks_ms()))
                await zs.sleep_ms(pauses[k % len(pauses)])
                k += 1

    zs.run(main(), clock=zs.VirtualClock())
    assert all(b[1] - a[1] >= interval for a, b in zip(got, got[1:]))
    if not drop:
        assert [v for v, _ in got] == list(range(len(gaps)))


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
            rx = gapped(tg, gaps)
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
