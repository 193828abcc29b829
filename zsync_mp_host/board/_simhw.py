# _simhw: the simulated board's core: board time, the event queue, resets,
# the log, and the hook into zsync_mp's kernel.
#
# Contract
# - Board time `us` counts µs since power-on and never wraps. It follows the
#   running zsync_mp kernel's clock (VirtualClock or RealClock) while a loop
#   runs; otherwise the real clock, or a board-owned virtual clock after
#   use_virtual_time(). Switching sources never moves board time, with one
#   exception: a program's start-up (real time before its first loop, if
#   nothing waited in real time) takes no board time when that loop runs on a
#   VirtualClock, so scripted inputs land at their exact ms on the loop's
#   clock, the same on every run.
# - Hardware events (scripted inputs, Timer expiries, UART byte arrivals, the
#   watchdog) sit in one heap; each source has at most one pending entry
#   (its _seq). While a loop runs, the earliest entry is armed as ONE entry in
#   the kernel's timer heap, so the kernel fires it on time, counts it as live
#   (no false deadlock) and its virtual clock autojumps to it.
# - Without a loop, due events fire when the app next touches simulated
#   hardware (any machine call) or blocks through machine (lightsleep, idle,
#   blocking UART reads). Plain time.sleep() does not fire them.
# - IRQ handlers run synchronously at the edge, before any task resumes
#   (rules in _simirq: hard handlers heap-locked on MicroPython).
# - A reset clears every peripheral (scripted inputs, the outside world, go on)
#   and raises BoardReset, a SystemExit whose code is 100 + the reset cause, so
#   an uncaught reset ends the process with that code (the virtual board
#   restarts it with ZSYNC_RESET_CAUSE set).
import sys
import heapq

from _simirq import IrqDispatch
from _simlog import BoardLog

try:
    from zsync_mp.kernel import core as _k
except ImportError:
    _k = None

if sys.implementation.name == "micropython":
    import os
    import time

    _getenv = os.getenv

    def real_us():
        return time.ticks_us()

    def real_diff(a, b):
        return time.ticks_diff(a, b)

    def sleep_us(us):
        time.sleep_us(us)

else:
    import os
    import time

    _getenv = os.environ.get

    def real_us():
        return time.monotonic_ns() // 1000

    def real_diff(a, b):
        return a - b

    def sleep_us(us):
        time.sleep(us / 1e6)


PWRON_RESET = 1
HARD_RESET = 2
WDT_RESET = 3
DEEPSLEEP_RESET = 4
SOFT_RESET = 5
CAUSES = {1: "PWRON_RESET", 2: "HARD_RESET", 3: "WDT_RESET", 4: "DEEPSLEEP_RESET", 5: "SOFT_RESET"}
EXIT_BASE = 100  # exit code of an uncaught reset = EXIT_BASE + cause
_REAL = "real"  # board-time source tags (besides a kernel clock object)
_OWN = "own"


class BoardError(ValueError):
    """A bad board description (file or dict): says which entry is wrong."""


class BoardReset(SystemExit):
    """The simulated board reset. `cause` is machine.<X>_RESET; uncaught it
    ends the process with exit code 100 + cause."""

    def __init__(self, cause):
        super().__init__(EXIT_BASE + cause)
        self.code = EXIT_BASE + cause  # MicroPython's SystemExit has no .code
        self.cause = cause


class _Arm:
    # One entry in the kernel's timer heap: the board's earliest event.
    def __init__(self, board, K):
        self.board = board
        self.K = K
        self.on = True

    def _timer_live(self, key):
        return self.on

    def _timer(self, key):
        if self.on:
            self.on = False
            self.K.live -= 1
            b = self.board
            if b._arm is self:
                b._arm = None
            b.sync()

    def off(self):
        if self.on:
            self.on = False
            self.K.live -= 1


class Core(IrqDispatch):
    def __init__(self):
        self.us = 0
        self._src = None
        self._last = 0
        self._virtual = False
        self._boot = True  # board time so far is start-up on the real clock
        self._ev = []
        self._seq = 0
        self._arm = None
        self._firing = False
        self.hard = 0  # depth of hard handlers running (heap locked)
        self._pending = []
        self._dispatching = False
        self._irq_off = 0
        self.irq_errors = []
        if getattr(self, "log", None) is None:
            self.log = BoardLog()  # made once, outside the program's heap (_simlog)
        else:
            self.log.clear()  # a reload (Board.load) starts an empty log in the same buffers
        self._log_to = None
        self.power = []  # (ms, state, duration_ms) for every sleep
        self.cause = PWRON_RESET
        self.reset_hooks = []  # f(cause) called before BoardReset is raised

    # Board time in ms since power-on.
    def ms(self):
        return self.us // 1000

    def use_virtual_time(self, on=True):
        self.sync()
        self._virtual = bool(on)
        self._src = None
        self.sync()

    def advance(self, ms):
        """Move board time forward by ms, firing events on the way."""
        self.block_until(self.now_us() + int(ms) * 1000)

    def now_us(self):
        self.sync()
        return self.us

    # Catch board time up with its source, then fire every due event.
    # Switching source first catches up with the old one, so real time
    # between a loop's end (or start) and the switch is not lost.
    def sync(self):
        K = _k._K if _k is not None else None
        src = K.clock if K is not None else (_OWN if self._virtual else _REAL)
        old = self._src
        if old is not None and old is not _OWN:
            if old is _REAL:
                t = real_us()
                d = real_diff(t, self._last)
            else:
                t = old.now()
                d = old.diff(t, self._last) * 1000
            if d > 0:
                self.us += d
                self._last = t
        if src is not old:
            if self._boot and src is not _REAL:
                self._boot = False
                if old is _REAL and src is not _OWN and src.virtual:
                    self.us = 0  # start-up takes no time on a virtual clock (see the contract)
            self._src = src
            self._last = real_us() if src is _REAL else 0 if src is _OWN else src.now()
        if not self._firing:
            self._fire()

    def _fire(self):
        self._firing = True
        try:
            h = self._ev
            while h and h[0][0] <= self.us:
                t, seq, src = heapq.heappop(h)
                if src._seq == seq:
                    src._seq = 0
                    src._due(t)
        finally:
            self._firing = False
        self._rearm()

    # Put src's one pending event at board time t_us (replacing any other).
    def schedule(self, src, t_us):
        self._seq += 1
        src._seq = self._seq
        heapq.heappush(self._ev, (t_us, self._seq, src))
        if not self._firing:
            self._rearm()

    def cancel(self, src):
        src._seq = 0

    def next_event(self):
        h = self._ev
        while h and h[0][2]._seq != h[0][1]:
            heapq.heappop(h)
        return h[0][0] if h else None

    def _rearm(self):
        K = _k._K if _k is not None else None
        a = self._arm
        t = self.next_event()
        if K is None or t is None or K.clock is not self._src:
            if a is not None:
                if a.K is K:
                    a.off()
                self._arm = None
            return
        rel = t - self.us
        ms = (rel + 999) // 1000 if rel > 0 else 0
        if a is not None and a.K is K and a.at == t:
            return
        if a is not None and a.K is K:
            a.off()
        a = self._arm = _Arm(self, K)
        a.at = t
        K.add_timer(K.clock.add(self._last, ms), a)

    # The kernel started a loop: follow its clock and arm the next event.
    def kernel_started(self, K):
        self._arm = None
        self.sync()

    # Block the caller until board time t_us or until cond() is true; events
    # on the way fire at their times. Returns cond()'s last value.
    def block_until(self, t_us, cond=None):
        while True:
            self.sync()
            if cond is not None and cond():
                return True
            if self.us >= t_us:
                return False
            n = self.next_event()
            if n is None or n > t_us:
                n = t_us
            K = _k._K if _k is not None else None
            if K is not None:
                if K.clock.virtual:
                    K.clock.advance((n - self.us + 999) // 1000)
                else:
                    sleep_us(n - self.us)
            elif self._virtual:
                self.us = n
            else:
                self._boot = False  # a real wait: time the program saw pass
                sleep_us(n - self.us)

    # Record one line in the board log: "<ms> <text>".
    def note(self, text):
        line = "%d %s" % (self.us // 1000, text)
        self.log.append(line)
        f = self._log_to
        if f is not None:
            f.write(line + "\n")
            f.flush()  # someone may be watching the log live

    def log_to(self, dest):
        """Where log lines also go: None, "stdout", "stderr" or a file path."""
        if dest is None:
            self._log_to = None
        elif dest == "stdout":
            self._log_to = sys.stdout
        elif dest == "stderr":
            self._log_to = sys.stderr
        elif isinstance(dest, str):
            self._log_to = open(dest, "a")
        else:
            raise BoardError("log must be null, \"stdout\", \"stderr\" or a file path, got %r" % (dest,))

    def reset(self, cause):
        name = CAUSES.get(cause, str(cause))
        self.note("reset %s" % name)
        print("machine: reset (%s)" % name, file=sys.stderr)
        if cause != SOFT_RESET:  # a soft reset leaves the hardware reset cause alone
            self.cause = cause
        for f in self.reset_hooks:
            f(cause)
        raise BoardReset(cause)


def env_reset_cause():
    v = _getenv("ZSYNC_RESET_CAUSE")
    try:
        return int(v) if v else PWRON_RESET
    except ValueError:
        return PWRON_RESET


def env_board_path():
    return _getenv("ZSYNC_BOARD")


# Arrange for board.kernel_started(K) whenever zs.run() starts a loop.
def hook_kernel(board):
    if _k is None:
        return
    hooks = getattr(_k, "start_hooks", None)
    if isinstance(hooks, list):
        hooks.append(board.kernel_started)
        return
    orig = _k.enter

    def enter(K):
        orig(K)
        board.kernel_started(K)

    _k.enter = enter
    if _k._K is not None:
        board.kernel_started(_k._K)
