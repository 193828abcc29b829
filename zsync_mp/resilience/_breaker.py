# zsync_mp.resilience._breaker: a circuit breaker (closed / open / half-open).
#
# Contract
#
#                  fail_max failures in a row
#     CLOSED ----------------------------------> OPEN
#       ^                                      |  ^
#       | half_open_max trial calls succeed    |  | a trial call fails
#       |                                      v  |
#       +------------------------------- HALF_OPEN
#                        (entered on the first check reset_ms after opening)
#
# - Closed: calls pass; a failure (an exception in fail_on) counts, a success
#   resets the count. Open: calls are rejected with CircuitOpen until reset_ms
#   passed. Half-open: at most half_open_max calls run at once as trials;
#   others are rejected; any trial failure re-opens (a new cool-down), and
#   half_open_max trial successes close the circuit.
# - A call is judged by the state it was admitted in (pybreaker's rule). A
#   trial is a call that took a slot of the current half-open period; only
#   trials move the breaker out of HALF_OPEN. Any other call (admitted while
#   closed, or a trial whose half-open period ended) is ordinary: while
#   CLOSED its outcome counts as above; while OPEN or HALF_OPEN it changes
#   nothing (not the state, the count, the cool-down or the trial slots).
#   A late failure of a call started before the trip is old news about a
#   service already known to fail; unlike pybreaker (which re-opens) it
#   neither re-opens nor extends the cool-down: the trials alone probe
#   whether the service recovered.
# - Trials are told apart by the task that took the slot: allow() and the
#   record_*() reporting its outcome must run in the same task (as `async
#   with breaker` and call() do).
# - An exception not in fail_on counts as a success (the service answered);
#   a Cancelled call counts as neither, but frees its trial slot.
# - In the closed state allow(), `async with breaker` and the success path
#   allocate nothing on MicroPython (tests/res_heap.py). Time is the kernel
#   clock, so the cool-down is deterministic under zs.VirtualClock.
# - Not IRQ-safe.
import zsync_mp as zs

from ..kernel import core
from ._util import check_int, check_excs, check_callable, is_awaitable, DONE

CLOSED = "closed"
OPEN = "open"
HALF_OPEN = "half_open"


class CircuitOpen(Exception):
    """A call was rejected because the circuit is open (or half-open with
    every trial slot taken). `.remaining_ms`: cool-down left (0 if half-open)."""

    def __init__(self, msg, remaining_ms):
        super().__init__(msg)
        self.remaining_ms = remaining_ms


class CircuitBreaker:
    """CircuitBreaker(fail_max=5, reset_ms=10000, half_open_max=1,
    fail_on=(Exception,), name=None)

    Use `async with breaker: ...` or `await breaker.call(fn, *args)`; both
    raise CircuitOpen when the call is rejected. allow() / record_success()
    / record_failure() are the manual, non-raising API (report from the task
    that was allowed). A call is judged by the state it was admitted in: one
    admitted while closed that ends while open or half-open changes nothing.
    Counters: failures
    (in a row), opened (times opened), rejected, state. Not IRQ-safe."""

    def __init__(self, fail_max=5, reset_ms=10000, half_open_max=1, fail_on=(Exception,), name=None):
        self.fail_max = check_int("fail_max", fail_max, 1)
        self.reset_ms = check_int("reset_ms", reset_ms)
        self.half_open_max = check_int("half_open_max", half_open_max, 1)
        self.fail_on = check_excs("fail_on", fail_on)
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a str or None, got %r" % (name,))
        self.name = name
        self._state = CLOSED
        self.failures = 0
        self.opened = 0
        self.rejected = 0
        self._t_open = 0
        self._trials = []  # the task of each running trial (half-open only)
        self._ok = 0  # trial successes (half-open)

    @property
    def state(self):
        """CLOSED, OPEN or HALF_OPEN (moves to HALF_OPEN when the cool-down is
        over, as a check would)."""
        self._cool()
        return self._state

    def _cool(self):
        # OPEN -> HALF_OPEN once reset_ms passed. A negative diff can only be
        # a tick wrap after a very long time open: treat it as passed too.
        if self._state is OPEN:
            d = zs.ticks_diff(zs.ticks_ms(), self._t_open)
            if d < 0 or d >= self.reset_ms:
                self._state = HALF_OPEN
                self._end_trials()

    def remaining_ms(self):
        """Cool-down ms left while open, else 0."""
        self._cool()
        if self._state is not OPEN:
            return 0
        return self.reset_ms - zs.ticks_diff(zs.ticks_ms(), self._t_open)

    def allow(self):
        """True if a call may go ahead now (a half-open trial slot is taken
        by the running task: report its outcome from that task with
        record_success/record_failure/record_cancel). Allocates nothing when
        closed."""
        if self._state is CLOSED:
            return True
        self._cool()
        if self._state is HALF_OPEN and len(self._trials) < self.half_open_max:
            self._trials.append(core._cur)
            return True
        self.rejected += 1
        return False

    def _end_trial(self):
        # True if the running task holds a trial slot (which is freed).
        tr = self._trials
        if tr:  # never while CLOSED: the closed path scans nothing
            cur = core._cur
            for i in range(len(tr)):
                if tr[i] is cur:
                    tr.pop(i)
                    return True
        return False

    def _end_trials(self):
        # A half-open period starts or ends: running trials become ordinary.
        self._trials.clear()
        self._ok = 0

    def record_success(self):
        """Report that the admitted call succeeded (see the contract)."""
        if self._end_trial():
            self._ok += 1
            if self._ok >= self.half_open_max:
                self.reset()
        elif self._state is CLOSED:
            self.failures = 0

    def record_failure(self):
        """Report that the admitted call failed (see the contract)."""
        if self._end_trial():
            self._trip()
        elif self._state is CLOSED:
            self.failures += 1
            if self.failures >= self.fail_max:
                self._trip()

    def record_cancel(self):
        """Report that the admitted call ended with neither outcome: a trial
        frees its slot."""
        self._end_trial()

    def _trip(self):
        self._state = OPEN
        self._t_open = zs.ticks_ms()
        self.opened += 1
        self._end_trials()

    def reset(self):
        """Close the circuit by hand and forget the failures."""
        self._state = CLOSED
        self.failures = 0
        self._end_trials()

    def _reject(self):
        rem = self.remaining_ms()
        who = "circuit" if self.name is None else "circuit %r" % self.name
        if self._state is OPEN:
            return CircuitOpen("%s is open (%d failures; retry in %d ms)" % (who, self.failures, rem), rem)
        return CircuitOpen("%s is half-open and its %d trial call(s) are running" % (who, self.half_open_max), 0)

    def _record(self, et):
        if et is None:
            self.record_success()
        elif issubclass(et, self.fail_on) and not issubclass(et, zs.Cancelled):
            self.record_failure()
        elif issubclass(et, Exception):
            self.record_success()
        else:
            self.record_cancel()

    # `async with breaker:` completes at once (no task switch); the body's
    # awaits are the checkpoints. Allocates nothing when closed.
    def __aenter__(self):
        if not self.allow():
            raise self._reject()
        return DONE

    def __aexit__(self, et, ev, tb):
        self._record(et)
        return DONE

    async def call(self, fn, *args):
        """await fn(*args) through the breaker (fn may be a plain function)."""
        check_callable("fn", fn)
        if not self.allow():
            raise self._reject()
        try:
            r = fn(*args)
            if is_awaitable(r):
                r = await r
        except BaseException as e:  # noqa: B902 (recorded, then re-raised)
            self._record(type(e))
            raise
        self.record_success()
        return r

    def __repr__(self):
        return "<CircuitBreaker %s %s failures=%d>" % (self.name or "", self.state, self.failures)
