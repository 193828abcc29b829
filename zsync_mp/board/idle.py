# zsync_mp.board.idle: low-power idle, what the kernel calls when nothing is ready.
#
# Contract
# - LowPowerIdle(min_ms, sleep) is the kernel's idle hook: hook(K, ms) is
#   called when no task is ready and the next timer is `ms` away (-1: no
#   timer). It returns False to decline (the kernel then polls or sleeps as
#   usual) or sleeps and returns True (the kernel then re-checks timers and
#   I/O, so a wake-up for any reason is safe).
# - It declines when ms < min_ms (a short wait costs more to enter and leave
#   a low-power state than it saves), when ms is -1 (nothing would end the
#   sleep but an interrupt: set forever=True to sleep anyway on a board with
#   wake sources), and when a task waits on I/O other than a Flag unless
#   io=True (a board cannot poll a socket while asleep).
# - How it sleeps: `sleep(ms)` if given; else on the simulated board
#   (zsync_mp_host/board machine, which has machine.board) it advances board time to
#   the deadline or until a pollable a task waits on (a Flag set by an IRQ
#   handler) is ready, whichever is first, and records the sleep in
#   machine.board.power; else machine.lightsleep(ms) (configure the IRQ pins
#   as wake sources so Flags still wake it); else, on a VirtualClock with no
#   machine, it advances the clock (simulation).
# - It counts sleeps and slept ms (the loop's clock), keeps the last
#   LOG_SIZE sleeps in .log, and report() says how long the board slept.
# - Runs in the loop, never from an interrupt; allocates per sleep (it is
#   not a hot path: it runs only when there is nothing to do).
from ..kernel import core

LOG_SIZE = 64


def _machine():
    try:
        import machine

        return machine
    except ImportError:
        return None


class LowPowerIdle:
    """The idle hook: see the module contract. Install it with install()."""

    def __init__(self, min_ms=10, sleep=None, io=False, forever=False):
        if not isinstance(min_ms, int) or isinstance(min_ms, bool) or min_ms < 1:
            raise ValueError("min_ms must be an int >= 1, got %r" % (min_ms,))
        if sleep is not None and not callable(sleep):
            raise TypeError("sleep must be a function taking ms, got %r" % (sleep,))
        self.min_ms = min_ms
        self.sleep = sleep
        self.io = bool(io)
        self.forever = bool(forever)
        self.sleeps = 0
        self.slept_ms = 0
        self.declined = 0
        self.woken_early = 0  # sleeps an I/O or interrupt cut short
        self.log = []  # (loop ms at start, ms asked, ms slept)
        self.first = None  # loop ms when it was first called
        self._last = None

    def _io_ok(self, K):
        if not K.io_waiting or self.io:
            return True
        for slot in K.io.values():
            if slot.on and not slot.flag:
                return False
        return True

    def __call__(self, K, ms):
        c = K.clock
        now = c.now()
        if self.first is None:
            self.first = now
        self._last = now
        if (ms < 0 and not self.forever) or (0 <= ms < self.min_ms) or not self._io_ok(K):
            self.declined += 1
            return False
        if K.io_waiting:
            K._poll(0)  # something already ready: no sleep
            if K.rq_head is not None:
                return True
        self._sleep(K, ms)
        after = c.now()
        slept = c.diff(after, now)
        self._last = after
        self.sleeps += 1
        self.slept_ms += slept
        if ms >= 0 and slept < ms:
            self.woken_early += 1
        self.log.append((now, ms, slept))
        if len(self.log) > LOG_SIZE:
            self.log.pop(0)
        return True

    def _sleep(self, K, ms):
        if self.sleep is not None:
            self.sleep(ms if ms >= 0 else None)
            return
        m = _machine()
        b = getattr(m, "board", None) if m is not None else None
        if b is not None and hasattr(b, "block_until"):
            _sim_sleep(K, b, ms)
        elif m is not None and hasattr(m, "lightsleep"):
            if ms >= 0:
                m.lightsleep(ms)
            else:
                m.lightsleep()
        elif K.clock.virtual and ms > 0:
            K.clock.advance(ms)
        else:
            raise RuntimeError("no way to sleep: this machine has no lightsleep(); pass LowPowerIdle(sleep=...)")

    def report(self):
        """One line: how long the board slept, of how long it ran."""
        span = 0
        if self.first is not None and self._last is not None and core._K is not None:
            span = core._K.clock.diff(self._last, self.first)
        elif self.first is not None and self._last is not None:
            span = self._last - self.first
        pct = (100 * self.slept_ms // span) if span > 0 else 0
        return "idle: slept %d ms in %d sleeps (%d woken early), %d%% of %d ms; %d short waits not slept" % (
            self.slept_ms, self.sleeps, self.woken_early, pct, span, self.declined)


def _sim_sleep(K, b, ms):
    # The simulated board: sleep to the deadline, or until a task's pollable
    # (a Flag an IRQ handler set, a UART byte) is ready; record the state.
    b.sync()
    t0 = b.us

    def woken():
        K._poll(0)
        return K.rq_head is not None

    if ms >= 0:
        end = t0 + ms * 1000
    else:
        end = b.next_event()
        if end is None:
            raise RuntimeError("idle forever, and nothing scheduled on the simulated board can wake it")
    b.block_until(end, woken)
    slept = (b.us - t0) // 1000
    b.note("lightsleep %d ms (idle, asked %s)" % (slept, ms))
    b.power.append((t0 // 1000, "lightsleep", slept))


def install(hook=None, **kw):
    """Make the kernel call `hook` (default: LowPowerIdle(**kw)) when it
    would idle; returns the hook. Needs the kernel's idle_hook (see
    DESIGN.md); raises RuntimeError naming it if this kernel lacks it."""
    if not hasattr(core, "idle_hook"):
        raise RuntimeError("this zsync_mp kernel has no idle_hook: low-power idle needs it")
    if hook is None:
        hook = LowPowerIdle(**kw)
    elif kw:
        raise TypeError("install() takes a hook or LowPowerIdle options, not both")
    core.idle_hook = hook
    return hook


def uninstall():
    """Back to the kernel's plain idling (poll or sleep)."""
    if hasattr(core, "idle_hook"):
        core.idle_hook = None
