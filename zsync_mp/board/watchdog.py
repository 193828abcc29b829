# zsync_mp.board.watchdog: feed the hardware watchdog only while the app is alive.
#
# Contract
# - WatchdogFeeder(timeout_ms) owns a machine.WDT (or any object with
#   feed(), passed as wdt=). `await feeder.run()` (spawn it in the app's
#   TaskGroup) feeds it every period_ms, but only while every registered
#   check-in is fresh: a task that registered with within_ms must call
#   checkin() at least that often. A stuck task (parked forever, livelocked,
#   blocked in a driver) stops the feeding, so the watchdog resets the board
#   instead of a timer hiding the fault. The first stale check-in is
#   reported once (warn(msg), default print) naming the task.
# - A feeder that wakes more than max_lag_ms late (a task hogged the CPU
#   between checkpoints) skips that feed and reports the lag, so hogs that
#   keep recurring reset the board too. max_lag_ms=None turns it off.
# - Checkin.checkin() is one attribute store of a small int: allocation-free,
#   callable from a task or a soft IRQ handler (micropython.schedule). Close a
#   check-in (close(), or `with`) when its task ends on purpose.
# - Time is the loop's clock (deterministic under VirtualClock).
from ..kernel.timing import sleep_ms, ticks_add, ticks_diff, ticks_ms
from ..kernel import core


class Checkin:
    """One task's promise to check in every `within_ms`: checkin(), close()."""

    def __init__(self, feeder, name, within_ms, now):
        self.feeder = feeder
        self.name = name
        self.within = within_ms
        self.last = now
        self.open = True

    def checkin(self):
        K = core._K
        if K is not None:
            self.last = K.clock.now()

    def close(self):
        if self.open:
            self.open = False
            self.feeder._checkins.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        self.close()
        return False


def _pos_int(v, what):
    if not isinstance(v, int) or isinstance(v, bool) or v < 1:
        raise ValueError("%s must be an int >= 1 (ms), got %r" % (what, v))
    return v


class WatchdogFeeder:
    """Feeds a watchdog while every check-in is fresh: see the module
    contract. Not IRQ-safe (checkin() is)."""

    def __init__(self, timeout_ms=5000, period_ms=None, wdt=None, max_lag_ms=None, warn=None):
        self.timeout = _pos_int(timeout_ms, "timeout_ms")
        self.period = _pos_int(period_ms if period_ms is not None else max(1, timeout_ms // 4), "period_ms")
        if self.period >= self.timeout:
            raise ValueError("period_ms (%d) must be shorter than the watchdog timeout (%d ms)" % (self.period, self.timeout))
        if wdt is not None and not hasattr(wdt, "feed"):
            raise TypeError("wdt must have a feed() method (a machine.WDT), got %r" % (wdt,))
        self.max_lag = None if max_lag_ms is None else _pos_int(max_lag_ms, "max_lag_ms")
        self.wdt = wdt
        self.warn = warn if warn is not None else print
        self._checkins = []
        self.feeds = 0
        self.skipped = 0
        self.stale = None  # names of the check-ins that stopped the feeding

    def register(self, name, within_ms):
        """A Checkin for a task that promises to call checkin() at least
        every within_ms (counted from now)."""
        if not isinstance(name, str):
            raise TypeError("check-in name must be a str, got %r" % (name,))
        _pos_int(within_ms, "within_ms")
        c = Checkin(self, name, within_ms, ticks_ms())
        self._checkins.append(c)
        return c

    def _late(self, now):
        # Names of the check-ins older than their promise.
        return [c.name for c in self._checkins if ticks_diff(now, c.last) > c.within]

    async def run(self):
        """Start the watchdog (machine.WDT(timeout=timeout_ms) unless one was
        given) and feed it while the app is alive. Runs until cancelled."""
        if self.wdt is None:
            import machine

            self.wdt = machine.WDT(timeout=self.timeout)
        self.wdt.feed()
        due = ticks_add(ticks_ms(), self.period)
        while True:
            await sleep_ms(max(0, ticks_diff(due, ticks_ms())))
            now = ticks_ms()
            lag = ticks_diff(now, due)
            due = ticks_add(now, self.period)
            late = self._late(now)
            if late:
                self.skipped += 1
                if self.stale != late:
                    self.stale = late
                    self.warn("watchdog: not feeding, no check-in from %s (at %d ms)" % (", ".join(late), now))
                continue
            if self.max_lag is not None and lag > self.max_lag:
                self.skipped += 1
                self.warn("watchdog: not feeding, the loop ran %d ms late (a task did not reach a checkpoint)" % lag)
                continue
            self.stale = None
            self.wdt.feed()
            self.feeds += 1
