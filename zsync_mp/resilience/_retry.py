# zsync_mp.resilience._retry: retry with exponential backoff, jitter and a deadline.
#
# Contract
# - retry() calls fn() until it returns, re-raising at once any exception not
#   in retry_on; Cancelled, KeyboardInterrupt, SystemExit and GeneratorExit
#   are never retried, whatever retry_on says.
# - The n-th backoff (n = 0, 1, ...) is d = int(min(max_ms, base_ms *
#   factor**n)) (backoff_ms: the exact formula, truncated to whole ms once,
#   not step by step) minus a jitter drawn uniformly from [0, int(d * jitter)]
#   by a Prng, so the delays are deterministic for a given seed (xorshift32,
#   same sequence on MicroPython and CPython; factor**n is a float, so a
#   board with single-precision floats may differ by 1 ms near a boundary).
# - Time is the kernel clock (zs.ticks_ms / zs.sleep_ms): deterministic under
#   zs.VirtualClock. Backing off is a zs.sleep_ms, so a cancellation stops it
#   at once. A deadline cancels a running attempt and skips a backoff that
#   would end at or after it: RetryTimeout is raised then.
# - Not IRQ-safe. Allocates per attempt (a coroutine, the jitter arithmetic).
import zsync_mp as zs

from ._util import check_int, check_num, check_excs, is_awaitable

_MASK32 = 0xFFFFFFFF
_NEVER = (zs.Cancelled, KeyboardInterrupt, SystemExit, GeneratorExit)


class Prng:
    """A small deterministic PRNG (xorshift32): Prng(seed).below(n) is an int
    in [0, n). Same sequence on every interpreter. Not IRQ-safe."""

    def __init__(self, seed=1):
        check_int("seed", seed)
        self._s = (seed & _MASK32) or 0x9E3779B9  # xorshift never leaves 0

    def next(self):
        x = self._s
        x ^= (x << 13) & _MASK32
        x ^= x >> 17
        x ^= (x << 5) & _MASK32
        self._s = x
        return x

    def below(self, n):
        if n <= 0:
            raise ValueError("Prng.below(n) needs n >= 1, got %r" % (n,))
        return self.next() % n


def _default_seed():
    # A fleet of boards booting together must not back off in lockstep.
    try:
        import os

        b = os.urandom(4)
        return b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)
    except Exception:
        return zs.ticks_ms() + 1


_shared = None  # the Prng used when no seed is given


def _rng(seed):
    global _shared
    if isinstance(seed, Prng):
        return seed
    if seed is None:
        if _shared is None:
            _shared = Prng(_default_seed())
        return _shared
    return Prng(seed)


class RetryTimeout(zs.TimeoutError):
    """retry() ran out of time: `.attempts` made, `.last` error (None if the
    deadline cut the first attempt)."""

    def __init__(self, msg, attempts, last):
        super().__init__(msg)
        self.attempts = attempts
        self.last = last


def backoff_ms(n, base_ms, max_ms, factor):
    """The n-th backoff (n = 0, 1, ...) before jitter, in whole ms:
    int(min(max_ms, base_ms * factor**n)), truncated once at the end (a
    per-step truncation would keep 5 ms * 1.1 at 5 ms for ever)."""
    check_int("n", n)
    check_int("base_ms", base_ms)
    check_int("max_ms", max_ms)
    check_num("factor", factor, 1)
    if base_ms == 0 or base_ms >= max_ms:
        return base_ms if base_ms < max_ms else max_ms
    try:
        d = base_ms * float(factor) ** n
    except OverflowError:  # CPython; MicroPython gives inf instead
        return max_ms
    return int(d) if d < max_ms else max_ms


async def retry(fn, attempts=3, base_ms=100, max_ms=10000, factor=2, jitter=0.5,
                deadline_ms=None, retry_on=(Exception,), seed=None, on_retry=None):
    """Call `fn()` (an async function, or a plain one) until it succeeds and
    return its result.

    attempts: calls at most (None: no limit); when they are used up the last
      error is raised as it is.
    base_ms, max_ms, factor: the backoff grows base_ms, base_ms*factor, ...
      capped at max_ms.
    jitter: 0..1, the fraction of each backoff that is randomised (1 = "full
      jitter"); drawn from `seed` (an int or a Prng; None: a shared Prng seeded
      from os.urandom).
    deadline_ms: a time budget from the call (None: none). An attempt still
      running at the deadline is cancelled; RetryTimeout (a zs.TimeoutError)
      is raised, also early when the next backoff would not end before it.
    retry_on: the exception class(es) worth another attempt.
    on_retry(attempt, error, delay_ms): called before each backoff.
    A checkpoint; cancelling it while backing off stops it at once. Not IRQ-safe."""
    if not callable(fn):
        if is_awaitable(fn):
            fn.close()
            raise TypeError("retry: fn must be a function returning an awaitable; got a coroutine object (pass f, not f())")
        raise TypeError("retry: fn must be callable, got %r" % (fn,))
    check_int("attempts", attempts, 1, none_ok=True)
    check_int("base_ms", base_ms)
    check_int("max_ms", max_ms)
    if max_ms < base_ms:
        raise ValueError("max_ms (%d) must be >= base_ms (%d)" % (max_ms, base_ms))
    check_num("factor", factor, 1)
    check_num("jitter", jitter, 0, 1)
    check_int("deadline_ms", deadline_ms, 0, none_ok=True)
    retry_on = check_excs("retry_on", retry_on)
    if on_retry is not None and not callable(on_retry):
        raise TypeError("on_retry must be callable or None, got %r" % (on_retry,))
    if seed is not None and not isinstance(seed, Prng):
        check_int("seed", seed)
    rng = _rng(seed)
    deadline = None if deadline_ms is None else zs.ticks_add(zs.ticks_ms(), deadline_ms)
    n = 0
    last = None
    while True:
        n += 1
        with zs.CancelScope(deadline) as sc:
            try:
                r = fn()
                if is_awaitable(r):
                    r = await r
                return r
            except _NEVER:
                raise
            except retry_on as e:
                last = e
        if sc.cancelled_caught:
            raise RetryTimeout("retry: deadline of %d ms passed during attempt %d (last error: %r)" % (deadline_ms, n, last), n, last)
        if attempts is not None and n >= attempts:
            raise last
        d = backoff_ms(n - 1, base_ms, max_ms, factor)
        span = int(d * jitter)
        if span:
            d -= rng.below(span + 1)
        if deadline is not None and zs.ticks_diff(deadline, zs.ticks_ms()) <= d:
            raise RetryTimeout("retry: next backoff (%d ms) would pass the deadline of %d ms after %d attempts (last error: %r)" % (d, deadline_ms, n, last), n, last)
        if on_retry is not None:
            on_retry(n, last, d)
        await zs.sleep_ms(d)
