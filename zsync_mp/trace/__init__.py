# zsync_mp.trace: kernel events into a ring buffer, per-task CPU time,
# checkpoint-budget warnings, and the task dump (zs.dump()).
#
# Contract
# - Off by default: the kernel then pays one `is not None` test per hook.
#   enable(capacity=...) installs one Tracer as _kernel.trace_hook; disable()
#   removes it. Nothing else switches tracing on.
# - An event is (ticks_us, kernel-clock ms, kind, task, arg) in a ring: one
#   preallocated flat list of slots (the oldest are overwritten). The kernel
#   makes one call per task step, step(t, t0), after the step: one slot holds
#   the step (switch-in and switch-out times, the task's state and data) and
#   reads back as two events, RUN and YIELD/PARK/SLEEP/EXIT (_trace_read.py
#   puts the events recorded during the step between them). The ring keeps
#   at least `capacity` events; readers return the newest `capacity`.
# - The hot path (step) touches no dict (a dict keyed by a task costs ~300 ns
#   on MicroPython: hashing an instance looks its class up): the task's
#   record hangs on the task (t._trace_record; None, a task it never saw, goes to a stand-in that
#   sends step() to its slow path), and CPU time, switches and the longest run
#   are plain adds there; sync() makes the public µs figures on demand.
#   Times are on _port.trace_clock (ticks_us; monotonic_ns on CPython, where
#   ticks_us is Python and too slow per switch) and become ticks_us on reading.
# - Recording allocates nothing on MicroPython (tests/trace_heap.py proves it
#   with heap_lock + gc.mem_alloc): ints stay small (counters wrap at 2**30,
#   CPU time is folded into seconds + µs past 2**29), objects are stored by
#   reference, per-task records are made at spawn (which allocates anyway) or
#   at the first step of a task spawned before enable().
# - A park event's arg is what the task waits on (t.data: a WaitQueue or an
#   I/O slot); label(obj, text) names primitives for dumps and exports. The
#   ring keeps those objects (and the tasks) alive until overwritten.
# - A task that runs longer than budget_us between two checkpoints gets an
#   OVERRUN event and a warning naming it (the 1st, then every warn_every-th).
# - Hooks run in the loop, never from an interrupt; nothing here is IRQ-safe.
# - Deliberately not done: stack capture per event (MicroPython cannot walk a
#   coroutine; dump() walks CPython's cr_await when asked, not per event).
import sys

from ..kernel import core
from ..kernel.port import const, trace_clock, TRACE_PER_US
from .kinds import SPAWN, RUN, YIELD, PARK, SLEEP, EXIT, WAKE, CANCEL, TIMEOUT, OVERRUN, MARK, KINDS, OUTCOMES, SLOT, OUTSIDE, PRE
from .label import label, wait_label, task_name, coro_name
from .stat import _Stat, _NOREC, _WRAP  # the per-task record, kept on the task (t._trace_record)

# Private copies MicroPython's compiler inlines in the hot paths.
_SPAWN = const(1)
_RUN = const(2)
_YIELD = const(3)
_PARK = const(4)
_SLEEP = const(5)
_EXIT = const(6)
_PARKED = const(2)  # = _kernel.PARKED (checked at import below)
_SLEEPING = const(3)
_DONE = const(5)


if (core.PARKED, core.SLEEPING, core.DONE) != (_PARKED, _SLEEPING, _DONE):
    raise ImportError("zsync_mp.trace is out of date with the kernel's task states")
tracer = None  # the installed Tracer, or None
last = None  # the Tracer installed last (still readable after disable())
_W = const(6)  # = kinds.SLOT: ring slot: us, ms, kind, task, arg, switch-in (raw clock; None: not a step)
_FOLD = const(0x1FFFFFFF)  # raw CPU time is folded into seconds past this (small ints)
_NOTFOLD = const(-0x20000000)  # = ~_FOLD: c & _NOTFOLD is nonzero past _FOLD or below 0
_OUTSIDE = const(32)  # = kinds.OUTSIDE: kind flag: recorded between steps (no task running)
_PRE = const(64)  # = kinds.PRE: kind flag: recorded at a step's end but belongs before its RUN


def _check_int(v, what, lo):
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError("%s must be an int, got %r" % (what, v))
    if v < lo:
        raise ValueError("%s must be >= %d, got %r" % (what, lo, v))


class Tracer:
    """The kernel's trace hook: see the module contract. Build it with
    enable(); read it with events(), stat(task), dump(); not IRQ-safe."""

    def __init__(self, capacity=256, budget_us=0, warn_every=100, warn=None):
        _check_int(capacity, "trace capacity (events kept)", 1)
        _check_int(budget_us, "budget_us (0: no overrun check)", 0)
        _check_int(warn_every, "warn_every", 1)
        if warn is not None and not callable(warn):
            raise TypeError("warn must be a function taking one str, got %r" % (warn,))
        self.cap = capacity  # events kept (a step slot holds two: run + switch-out)
        self.r = [None] * (capacity * _W)  # the ring: one flat list, _W fields a slot
        self.end = capacity * _W
        self.i = 0  # next slot (index into r)
        self.last = 0  # the slot of the step being recorded (step(), _slot(), _slow())
        self.full = False  # the ring wrapped: slot i is the oldest
        self.laps = 0  # times the ring wrapped
        self.steps = 0  # switches of tasks no longer in stats (for count)
        self.nbase = 0  # switches before the last clear()
        self.stats = {}  # live task -> _Stat
        self.nseq = 0
        self.budget = budget_us
        self.braw = budget_us * TRACE_PER_US if budget_us else 1 << 60
        self.warn_every = warn_every
        self.warn = warn
        self.virtual = False  # the loop's clock was virtual when a task was last seen
        self.clk = None  # that clock: events read it only when virtual
        self.kernel = None  # the loop it saw last (dump() after the loop ended)
        self.fin = None  # the task finishing (done() to its step()): its events are inside the step

    def _put(self, kind, t, arg, now):
        # One event into the ring, no allocation; step() inlines its own.
        if core._cur is None and self.fin is None:
            kind |= _OUTSIDE
        r = self.r
        i = self.i
        r[i] = now
        if self.virtual:
            r[i + 1] = self.clk.now()
        r[i + 2] = kind
        r[i + 3] = t
        r[i + 4] = arg
        r[i + 5] = None
        i += _W
        if i == self.end:
            i = self._lap()
        self.i = i

    def _lap(self):
        self.full = True
        self.laps = (self.laps + 1) & _WRAP
        return 0

    def _nsteps(self):
        n = self.steps
        for s in self.stats.values():
            n += s.n
        return n

    @property
    def count(self):
        # Events recorded since enable() or clear() (a step counts two; wraps at 2**30).
        return (self.laps * self.cap + self.i // _W + self._nsteps() - self.nbase) & _WRAP

    def _stat(self, t, parent, now):
        K = core._K
        ms = 0
        if K is not None:
            self.clk = K.clock
            self.virtual = K.clock.virtual
            self.kernel = K
            ms = K.clock.now()
        self.nseq += 1
        s = self.stats[t] = t._trace_record = _Stat(self, t, parent, now, ms, self.nseq)
        s.hi = self.braw if self.braw < s.mx else s.mx
        return s

    # Kernel hooks (names fixed by _kernel.trace_hook's contract).
    def spawn(self, t):
        now = trace_clock()
        s = self._stat(t, core._cur, now)
        self._put(_SPAWN, t, s, now)

    def step(self, t, t0):
        # One task step (the loop read t0 at switch-in): one ring slot that
        # readers expand into RUN + YIELD/PARK/SLEEP/EXIT. The hot path of
        # tracing: no dict, no branch on the outcome; the rest is in slow().
        # step() and _slot() keep their frames within MicroPython's 11
        # words, so a step allocates nothing (tools/frames.py).
        now = trace_clock()
        self._slot(t, t0, now)
        s = t._trace_record
        if s is None:  # a task this tracer never saw: count into the stand-in; _slow() makes its record
            s = _NOREC
        if self.virtual:  # simulated time: the park time reads the loop's clock, as the slot did
            s.since_ms = self.r[self.last + 1]
        d = now - t0
        s.raw += d
        s.n += 1
        s.since = now
        if d > s.hi or s.raw & _NOTFOLD or t.state == _DONE:  # & _NOTFOLD: past _FOLD, or negative
            self._slow(t, s, now)
        return now  # the next step's switch-in (the loop passes it back)

    def _slot(self, t, t0, now):
        # step()'s ring slot, at self.last.
        r = self.r
        i = self.last = self.i
        r[i] = now
        if self.virtual:
            r[i + 1] = self.clk.now()
        r[i + 2] = t.state
        r[i + 3] = t
        r[i + 4] = t.data
        r[i + 5] = t0
        if i + _W == self.end:
            self.i = self._lap()
        else:
            self.i = i + _W

    def _slow(self, t, s, now):
        # step() off its fast path: first step of a task it never saw, a run
        # over the longest or the budget, CPU time to fold, the task's exit.
        i = self.last  # the step's slot, and its run time:
        d = now - self.r[i + 5]
        if s.tr is not self:
            # The main task or one spawned before enable(): its SPAWN goes
            # right after this slot, flagged to be read before the RUN.
            if s is _NOREC:
                s.raw = s.n = 0  # step() counted into the stand-in
            s = self._stat(t, None, now - d)
            s.n = 1
            s.raw = d
            self._put(_SPAWN | _PRE, t, s, now - d)
        if d < 0 or s.raw < 0:
            s.raw -= d  # the clock wrapped (ticks): count this run as 0
            d = 0
        if s.raw > _FOLD:
            s._fold()
            s.n &= _WRAP
        if d > s.mx:
            s.mx = d
        if d > self.braw:
            self._overrun(t, s, d // TRACE_PER_US, now)
        s.hi = self.braw if self.braw < s.mx else s.mx
        if self.virtual:
            s.since_ms = self.clk.now()
        if t.state == _DONE:
            self.fin = None
            s.out = t.data & ~core.SEEN
            self.r[i + 4] = s  # an EXIT's arg is the record
            s.sync()  # its final figures
            self.steps = (self.steps + s.n) & _WRAP
            self.stats.pop(t, None)

    def done(self, t):
        self.fin = t

    def wake(self, t):
        self._put(WAKE, t, None, trace_clock())

    def cancel(self, t):
        self._put(CANCEL, t, None, trace_clock())

    def timeout(self, scope):
        self._put(TIMEOUT, scope._owner, scope, trace_clock())

    def _overrun(self, t, s, d, now):
        s.overruns = (s.overruns + 1) & _WRAP
        self._put(OVERRUN, t, d, now)
        if (s.overruns - 1) % self.warn_every == 0:
            msg = "zsync_mp.trace: task %s ran %d us without a checkpoint (budget %d us; overrun #%d)" % (
                task_name(t, s), d, self.budget, s.overruns)
            if self.warn is not None:
                self.warn(msg)
            else:
                print(msg, file=sys.stderr)

    def _events(self):
        # The newest `cap` events, oldest first, as (us, ms, kind, task, arg).
        from .read import expand

        return expand(self)

    def events(self):
        """The recorded events, oldest first: a list of (us, ms, kind name,
        task, arg). Allocates: call it after the run, not in a hot path."""
        return [(e[0], e[1], KINDS[e[2]], e[3], e[4]) for e in self._events()]

    def stat(self, t):
        """The record of task t (live or ended), or None."""
        s = t._trace_record
        if s is not None and s.tr is self:
            return s.sync()
        r = self.r
        for i in range(0, self.end, _W):
            a = r[i + 4]
            if r[i + 3] is t and isinstance(a, _Stat):
                return a.sync()
        return None

    def clear(self):
        for i in range(self.end):
            self.r[i] = None
        self.i = 0
        self.full = False
        self.laps = 0
        self.nbase = self._nsteps()


def enable(capacity=256, budget_us=0, warn_every=100, warn=None):
    """Turn tracing on: install a Tracer keeping the last `capacity` events.
    budget_us > 0 warns about a task running longer than that between
    checkpoints (warn(msg), default: print to stderr). Returns the Tracer.
    Call it outside the hot path (it allocates the ring); not IRQ-safe."""
    global tracer, last
    t = Tracer(capacity, budget_us, warn_every, warn)
    _forget(last)
    tracer = last = t
    core.trace_hook = t
    return t


def _forget(tr):
    # A new Tracer: the old one's records leave the tasks still running.
    if tr is not None:
        for t in tr.stats:
            if t._trace_record is not None and t._trace_record.tr is tr:
                t._trace_record = None


def mark(text):
    """Record an app event (a str: "restart sensor") on the current task's
    row of the trace; a no-op while tracing is off. Allocates nothing for a
    constant str. Not IRQ-safe."""
    t = tracer
    if t is not None:
        t._put(MARK, core._cur, text, trace_clock())


def disable():
    """Turn tracing off (the recorded events stay readable in the returned
    Tracer). Returns it, or None if tracing was off."""
    global tracer
    t = tracer
    core.trace_hook = None
    tracer = None
    return t


def _last():
    return last


def serve_dump(key=0x1C, stream=None):
    """A task that prints dump() whenever byte `key` (default 0x1C, Ctrl-\\)
    arrives on `stream` (default: the console, sys.stdin), between
    `=== zsync-mp dump begin/end ===` lines: `zsync-mp dump --port P` sends
    it while the app runs. Other bytes are dropped (this task owns the
    console input). Spawn it in the app's TaskGroup; cancel to stop."""
    if not isinstance(key, int) or isinstance(key, bool) or not 0 <= key <= 255 or key in (1, 2, 3, 4):
        raise ValueError("serve_dump key must be a byte value other than Ctrl-A..D (the REPL's), got %r" % (key,))
    from .tree import serve

    return serve(key, stream, _last)


def dump(file=None, stacks=True, times=True):
    """Print the task tree of the running (or last traced) loop: state, what
    each task waits on and for how long, CPU time (times=False leaves out
    the figures that vary run to run), cancel scopes and deadlines, and the
    async stack where the interpreter exposes it. Allocates; not IRQ-safe."""
    from .tree import dump as _dump

    _dump(last, file, stacks, times)


def save(dest=None):
    """Write the recorded events in the zsync-mp trace text format to `dest`
    (a path, a stream, or None: stdout between marker lines) for
    `zsync-mp trace`. Allocates; call it after the run."""
    from .export import save as _save

    if last is None:
        raise RuntimeError("nothing to save: call zsync_mp.trace.enable() before the run")
    _save(last, dest)
