# retry(): backoff, jitter from a seed, deadline, retry_on, cancellation, misuse.
import zsync_mp as zs
from zsync_mp.resilience import retry, RetryTimeout, Prng, backoff_ms


def flaky(fails, exc=OSError):
    # An async function failing `fails` times, then returning "ok@<ticks>".
    n = [0]

    async def f():
        n[0] += 1
        print("  attempt", n[0], "at", zs.ticks_ms())
        await zs.sleep_ms(1)
        if n[0] <= fails:
            raise exc("fail %d" % n[0])
        return "ok@%d" % zs.ticks_ms()

    return f


def er(e):
    # Exception reprs differ between interpreters: print type(str) instead.
    return "%s(%s)" % (type(e).__name__, e)


def log(attempt, err, delay):
    print("  retry after", attempt, er(err), "sleep", delay)


async def main():
    print("prng", [Prng(42).below(100) for _ in range(1)], [Prng(7).next() for _ in range(1)])
    p = Prng(123)
    print("prng seq", [p.below(1000) for _ in range(5)])
    print("backoff", [backoff_ms(n, 100, 1000, 2) for n in range(6)], [backoff_ms(n, 10, 100, 1.5) for n in range(4)])

    print("no jitter: exponential, capped")
    r = await retry(flaky(4), attempts=5, base_ms=10, max_ms=50, factor=2, jitter=0, on_retry=log)
    print("->", r)

    print("jitter is deterministic under a seed")
    for _ in range(2):
        r = await retry(flaky(3), attempts=4, base_ms=100, jitter=1, seed=99, on_retry=log)
        print("->", r)

    print("attempts used up: the last error as it is")
    try:
        await retry(flaky(5, ValueError), attempts=3, base_ms=5, jitter=0)
    except ValueError as e:
        print("ValueError", e, "at", zs.ticks_ms())

    print("not in retry_on: raised at once")
    try:
        await retry(flaky(5, KeyError), attempts=3, base_ms=5, retry_on=OSError)
    except KeyError:
        print("KeyError raised")

    print("plain function")
    calls = [0]

    def sync_fn():
        calls[0] += 1
        if calls[0] < 2:
            raise OSError("sync")
        return calls[0]

    print("->", await retry(sync_fn, base_ms=5, jitter=0))

    print("deadline: next backoff would pass it")
    t0 = zs.ticks_ms()
    try:
        await retry(flaky(10), attempts=None, base_ms=20, jitter=0, deadline_ms=100, on_retry=log)
    except RetryTimeout as e:
        print("RetryTimeout", e.attempts, er(e.last), "after", zs.ticks_diff(zs.ticks_ms(), t0), "ms")
        print("  is zs.TimeoutError", isinstance(e, zs.TimeoutError))
        print("  ", str(e).replace("',)", "')"))

    print("deadline cuts a running attempt")

    async def slow():
        print("  slow attempt at", zs.ticks_ms())
        await zs.sleep_ms(1000)

    t0 = zs.ticks_ms()
    try:
        await retry(slow, deadline_ms=50)
    except RetryTimeout as e:
        print("RetryTimeout", e.attempts, e.last, "after", zs.ticks_diff(zs.ticks_ms(), t0), "ms")

    print("cancelled while backing off: stops at once")
    t0 = zs.ticks_ms()
    with zs.move_on_after(0.035) as sc:
        await retry(flaky(10), attempts=None, base_ms=30, jitter=0, on_retry=log)
    print("cancelled", sc.cancelled_caught, "after", zs.ticks_diff(zs.ticks_ms(), t0), "ms")

    print("Cancelled is never retried, even with retry_on=BaseException")

    async def cancels():
        print("  attempt")
        raise zs.Cancelled()

    try:
        await retry(cancels, retry_on=BaseException)
    except zs.Cancelled:
        print("Cancelled passed through")

    print("misuse")
    f = flaky(0)
    bad = [
        ("coroutine", lambda: retry(f())),
        ("not callable", lambda: retry(5)),
        ("attempts=0", lambda: retry(f, attempts=0)),
        ("attempts='3'", lambda: retry(f, attempts="3")),
        ("base_ms=-1", lambda: retry(f, base_ms=-1)),
        ("max<base", lambda: retry(f, base_ms=100, max_ms=10)),
        ("factor=0.5", lambda: retry(f, factor=0.5)),
        ("jitter=2", lambda: retry(f, jitter=2)),
        ("deadline_ms=1.5", lambda: retry(f, deadline_ms=1.5)),
        ("retry_on=5", lambda: retry(f, retry_on=5)),
        ("retry_on=(int,)", lambda: retry(f, retry_on=(int,))),
        ("seed='x'", lambda: retry(f, seed="x")),
        ("on_retry=1", lambda: retry(f, on_retry=1)),
    ]
    for what, mk in bad:
        try:
            await mk()
            print(what, "accepted?!")
        except (TypeError, ValueError) as e:
            print(what, "->", type(e).__name__, e)


zs.run(main(), clock=zs.VirtualClock())
