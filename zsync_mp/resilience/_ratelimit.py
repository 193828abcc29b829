# zsync_mp.resilience._ratelimit: a token-bucket rate limiter (GCRA).
#
# Contract
# - RateLimiter(rate, per_ms, burst): `rate` tokens are added every `per_ms`
#   ms, continuously, up to `burst` tokens (default: rate); it starts full.
# - Integer arithmetic only: the bucket holds "credits", one token being
#   per_ms credits and one ms adding `rate` credits, so no float is made and
#   nothing is lost to rounding.
# - try_acquire(n) takes n tokens now or returns False; it allocates nothing
#   on MicroPython (tests/res_heap.py). acquire(n) waits, in FIFO order, until
#   n tokens are there: waiting callers hold a zs.Lock, so try_acquire never
#   barges ahead of them. Waiting is zs.sleep_ms: cancellable at once and
#   deterministic under zs.VirtualClock.
# - Each waiter gets its tokens at their ideal arrival time (GCRA), released
#   at the first whole ms at or after it: the head waiter reserves its
#   tokens when it starts waiting (credits go below 0) and is woken when the
#   debt is paid, so the fraction of a ms it overslept stays in the bucket.
#   RateLimiter(2, per_ms=3, burst=1) emptied at 0 serves 2, 3, 5, 6 ms
#   (tokens due at 1.5, 3, 4.5, 6), not 2, 4, 6, 8 as a bucket capped at
#   each whole-ms refill would. A waiter cancelled gives its reservation
#   back. tokens() never reports less than 0; wait_ms() counts the head
#   waiter's reservation.
# - Not IRQ-safe.
import zsync_mp as zs

from ._util import check_int


class RateLimiter:
    """RateLimiter(rate, per_ms=1000, burst=None): at most `rate` acquisitions
    per `per_ms` ms on average, with bursts of up to `burst`. Not IRQ-safe."""

    def __init__(self, rate, per_ms=1000, burst=None):
        self.rate = check_int("rate", rate, 1)
        self.per_ms = check_int("per_ms", per_ms, 1)
        self.burst = check_int("burst", rate if burst is None else burst, 1)
        self._cap = self.burst * self.per_ms  # credits when full
        # ms to fill from the lowest credits (-cap: a waiter's reservation)
        self._full_ms = (2 * self._cap + self.rate - 1) // self.rate
        self._credits = self._cap
        self._t = None  # tick of the last refill (None: not yet read a clock)
        self._lock = zs.Lock()

    def _refill(self):
        now = zs.ticks_ms()
        t = self._t
        self._t = now
        if t is None:
            return
        d = zs.ticks_diff(now, t)
        if d <= 0:
            return
        if d >= self._full_ms:  # also keeps rate * d a small int
            self._credits = self._cap
            return
        c = self._credits + d * self.rate
        self._credits = c if c < self._cap else self._cap

    def _check_n(self, n):
        if not isinstance(n, int) or isinstance(n, bool):
            raise TypeError("n must be an int, got %r" % (n,))
        if n < 1 or n > self.burst:
            raise ValueError("n must be between 1 and burst (%d), got %r" % (self.burst, n))

    def tokens(self):
        """Whole tokens available now."""
        self._refill()
        c = self._credits
        return c // self.per_ms if c > 0 else 0

    def try_acquire(self, n=1):
        """Take n tokens now (True) or do nothing (False); never waits, and
        fails while acquire() callers wait. Allocates nothing."""
        if n != 1:
            self._check_n(n)
        if self._lock.locked():
            return False
        self._refill()
        need = n * self.per_ms
        if self._credits >= need:
            self._credits -= need
            return True
        return False

    def wait_ms(self, n=1):
        """ms until n tokens will be there (0: now)."""
        self._check_n(n)
        self._refill()
        short = n * self.per_ms - self._credits
        if short <= 0:
            return 0
        return (short + self.rate - 1) // self.rate

    async def acquire(self, n=1):
        """Wait until n tokens are there and take them (FIFO among waiters,
        each at its tokens' ideal time). A checkpoint; cancelling it while
        waiting takes nothing."""
        self._check_n(n)
        need = n * self.per_ms
        async with self._lock:
            self._refill()
            self._credits -= need  # reserved: ours once the debt is paid
            try:
                while self._credits < 0:
                    await zs.sleep_ms((self.rate - 1 - self._credits) // self.rate)
                    self._refill()
            except BaseException:  # noqa: B902 (give the reservation back, re-raise)
                self._refill()
                c = self._credits + need
                self._credits = c if c < self._cap else self._cap
                raise

    def __repr__(self):
        return "<RateLimiter %d/%d ms burst=%d>" % (self.rate, self.per_ms, self.burst)
