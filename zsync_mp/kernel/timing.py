# zsync_mp.kernel.timing: sleeping, yielding and the loop's clock for tasks. Every
# call returns the kernel's preallocated awaitable (_OP), so steady-state
# sleeping allocates nothing; durations are checked here (type, sign, and the
# half-period limit of wrapping ticks) so a bad value fails at the call.
from . import core
from .core import WaitQueue, _OP, _YOP, _YIELD, _PARKED, SLEEPING, YIELDED
from .clock import RealClock
from .port import TICKS_HALF

_MAX_MS = TICKS_HALF - 2  # a deadline must stay within half the ticks period


class _Sleep:
    def __init__(self):
        self.forever = WaitQueue()  # sleep(inf): parked until cancelled

    def _op(self, t, ms):
        K = core._K
        c = K.clock
        if ms is None:
            self.forever.park(t)
            return _PARKED
        if ms == 0:
            K.push(t)
            t.state = YIELDED
            t.data = None
            return _PARKED
        key = c.add(c.now(), ms + c.slack)
        t.data = key  # (the C Task's sleeper heap reads it)
        K.add_sleep(key, t)  # before the state: a MemoryError leaves the task running
        t.state = SLEEPING
        return _PARKED


_SLEEP = _Sleep()


def yield_now():
    """Let every other ready task run once, then continue. A checkpoint.
    Allocates nothing."""
    o = _YOP  # its own _Op, set() inlined: this is the hottest call
    o.prim = _YIELD
    return o


_INF = float("inf")


def to_ms(seconds, what="sleep"):
    # Seconds (int or float) to whole ms, rounded up so waits are never short;
    # None for infinity (Trio's meaning: no end).
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError("%s needs a number of seconds, got %r" % (what, seconds))
    if seconds != seconds or seconds < 0:
        raise ValueError("%s needs a non-negative number of seconds, got %r" % (what, seconds))
    if seconds == _INF:
        return None
    ms = int(seconds * 1000)
    if ms < seconds * 1000:
        ms += 1
    if ms >= _MAX_MS:
        raise OverflowError("%s(%r) is beyond the ticks range (at most %d s, about 6 days)" % (what, seconds, (_MAX_MS - 1) // 1000))
    return ms


def check_ms(ms, what="sleep_ms"):
    if not isinstance(ms, int) or isinstance(ms, bool):
        raise TypeError("%s needs an int number of ms, got %r" % (what, ms))
    if ms < 0:
        raise ValueError("%s needs a non-negative number of ms, got %r" % (what, ms))
    if ms >= _MAX_MS:
        raise OverflowError("%s(%d) is beyond the ticks range (at most %d ms, about 6 days)" % (what, ms, _MAX_MS - 1))
    return ms


def sleep_ms(ms):
    """Suspend the current task for `ms` milliseconds (never less). A
    checkpoint; sleep_ms(0) is yield_now(). Allocates nothing for int ms."""
    o = _OP  # _OP.set() inlined: a call less on a hot path
    o.prim = _SLEEP
    o.arg = check_ms(ms)
    return o


def sleep(seconds):
    """Suspend the current task for `seconds` (int or float; float("inf"):
    until cancelled). A checkpoint."""
    return _OP.set(_SLEEP, to_ms(seconds))


def ticks_ms():
    """Now, in ms ticks of the running loop's clock (wraps; compare with
    zs.ticks_diff)."""
    K = core._K
    if K is None:
        return RealClock().now()
    return K.clock.now()


def ticks_diff(a, b):
    return (core._K.clock if core._K is not None else RealClock).diff(a, b)


def ticks_add(t, d):
    return (core._K.clock if core._K is not None else RealClock).add(t, d)
