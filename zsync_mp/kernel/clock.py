# zsync_mp.kernel.clock: time sources for the kernel.
#
# A clock gives ticks in milliseconds that wrap like a board's, and the
# wrap-safe arithmetic to compare them. The kernel never does raw arithmetic on
# ticks. RealClock reads the interpreter's ticks; VirtualClock is advanced by
# the kernel: when every task is blocked it jumps straight to the next timer
# (Trio's autojump), so tests never wait in real time.
from .port import ticks_ms, ticks_add, ticks_diff, TICKS_PERIOD


class RealClock:
    virtual = False
    # A ms tick read at x.9 ms is still x: wait one more so timers never fire early.
    slack = 1

    def now(self):
        return ticks_ms()

    period = TICKS_PERIOD
    add = staticmethod(ticks_add)
    diff = staticmethod(ticks_diff)


class VirtualClock:
    """Deterministic time: starts at `start` ms and wraps at `period` (2**30
    like ESP32/STM32). The kernel jumps it to the next timer when all tasks
    are blocked. `advance(ms)` moves it by hand. Not IRQ-safe."""

    virtual = True
    slack = 0

    def __init__(self, start=0, period=TICKS_PERIOD):
        if period & (period - 1) or period < 4:
            raise ValueError("period must be a power of two")
        self.period = period
        self._mask = period - 1
        self._half = period >> 1
        self.t = start & self._mask
        self.elapsed = 0  # ms since creation, never wraps

    def now(self):
        return self.t

    def add(self, t, d):
        return (t + d) & self._mask

    def diff(self, a, b):
        return ((a - b + self._half) & self._mask) - self._half

    def advance(self, ms):
        if ms < 0:
            raise ValueError("time cannot go backwards")
        self.t = (self.t + ms) & self._mask
        self.elapsed += ms
