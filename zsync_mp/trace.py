# zsync_mp.trace: kernel events into a ring buffer, per-task CPU time,
# checkpoint-budget warnings, and the task dump (zs.dump()).
#
# Contract
# - Off by default: the kernel then pays one `is not None` test per hook.
#   enable(capacity=...) installs one Tracer as _kernel.trace_hook; disable()
#   removes it. Nothing else switches tracing on.
# - An event is (ticks_us, kernel-clock ms, kind, task, arg) written into five
#   preallocated parallel lists (a ring: the oldest events are overwritten).
#   Recording an event allocates nothing on MicroPython (tests/trace_heap.py
#   proves it with heap_lock + gc.mem_alloc): ints stay small (counters wrap
#   at 2**30, CPU time is kept as seconds + µs), objects are stored by
#   reference, per-task records are made at spawn (which allocates anyway).
# - A park event's arg is what the task waits on (t.data: a WaitQueue or an
#   I/O slot); label(obj, text) names primitives for dumps and exports. The
#   ring keeps those objects (and the tasks) alive until overwritten.
# - A task that runs longer than budget_us between two checkpoints gets an
#   OVERRUN event and a warning naming it (the 1st, then every warn_every-th).
# - Hooks run in the loop, never from an interrupt; nothing here is IRQ-safe.
# - Deliberately not done: stack capture per event (MicroPython cannot walk a
#   coroutine; dump() walks CPython's cr_await when asked, not per event).
import sys

from . import _kernel as _k
from ._port import const, ticks_us, ticks_diff
from ._trace_label import label, wait_label, task_name, coro_name  # noqa: F401 (public names)

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

# Event kinds (the index into KINDS is what the ring stores).
SPAWN = 1  # arg: the new task's record (_Stat)
RUN = 2  # switched in
YIELD = 3  # switched out, still ready (yield_now, a handoff, a throw)
PARK = 4  # switched out, parked; arg: the WaitQueue / I/O slot
SLEEP = 5  # switched out, sleeping; arg: the deadline (kernel ticks)
EXIT = 6  # switched out for good; arg: its record (.out: 1 ok, 2 raised, 3 cancelled)
WAKE = 7  # made ready by someone
CANCEL = 8  # cancel() called on it
TIMEOUT = 9  # a deadline of one of its scopes passed; arg: the scope
OVERRUN = 10  # it ran arg µs without a checkpoint (over budget)
MARK = 11  # mark(text) by the app; arg: the text
KINDS = ("?", "spawn", "run", "yield", "park", "sleep", "exit", "wake", "cancel", "timeout", "overrun", "mark")
OUTCOMES = ("", "returned", "raised", "cancelled")
_WRAP = 0x3FFFFFFF  # counters wrap here: still small ints on a 32-bit board

if (_k.PARKED, _k.SLEEPING, _k.DONE) != (_PARKED, _SLEEPING, _DONE):
    raise ImportError("zsync_mp.trace is out of date with the kernel's task states")
tracer = None  # the installed Tracer, or None
last = None  # the Tracer installed last (still readable after disable())


class _Stat:
    # One task's record: made at spawn (or first run), dropped at exit.
    def __init__(self, t, parent, now, ms, seq):
        self.task = t
        self.seq = seq  # spawn order (dicts do not keep it on MicroPython)
        self.coro = t.coro  # for the name once the task is done (coro is then its result)
        self.parent = parent  # the task that spawned it
        self.t_in = now  # ticks_us when it last switched in
        self.since = now  # ticks_us when it last switched out (park time)
        self.since_ms = ms  # the same on a virtual clock (loop ms)
        self.cpu_s = 0
        self.cpu_us = 0  # < 1_000_000
        self.switches = 0
        self.max_us = 0  # longest run between checkpoints
        self.overruns = 0
        self.out = 0  # how it ended (OUTCOMES index)


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
        n = capacity
        self.cap = n
        self.ts = [0] * n  # ticks_us
        self.ms = [0] * n  # kernel clock ticks (virtual time in simulation)
        self.kind = [0] * n
        self.task = [None] * n
        self.arg = [None] * n
        self.i = 0  # next slot
        self.full = False  # the ring wrapped: slot i is the oldest
        self.laps = 0  # times the ring wrapped
        self.stats = {}  # live task -> _Stat
        self.cur = None  # the running task's _Stat
        self.nseq = 0
        self.budget = budget_us
        self.warn_every = warn_every
        self.warn = warn
        self.virtual = False  # the loop's clock was virtual when a task was last seen
        self.clk = None  # that clock: events read it only when virtual
        self.kernel = None  # the loop it saw last (dump() after the loop ended)

    def _put(self, kind, t, arg, now):
        # One event into the ring: five list stores, no allocation. run()
        # and out() inline this (the two events of every switch).
        i = self.i
        self.ts[i] = now
        if self.virtual:
            self.ms[i] = self.clk.now()
        self.kind[i] = kind
        self.task[i] = t
        self.arg[i] = arg
        i += 1
        if i == self.cap:
            i = 0
            self.full = True
            self.laps = (self.laps + 1) & _WRAP
        self.i = i

    @property
    def count(self):
        # Events recorded since enable() (wraps at 2**30).
        return (self.laps * self.cap + self.i) & _WRAP

    def _stat(self, t, parent, now):
        K = _k._K
        ms = 0
        if K is not None:
            self.clk = K.clock
            self.virtual = K.clock.virtual
            self.kernel = K
            ms = K.clock.now()
        self.nseq += 1
        s = self.stats[t] = _Stat(t, parent, now, ms, self.nseq)
        return s

    # Kernel hooks (names fixed by _kernel.trace_hook's contract).
    def spawn(self, t):
        now = ticks_us()
        s = self._stat(t, _k._cur, now)
        self._put(_SPAWN, t, s, now)

    def run(self, t):
        now = ticks_us()
        s = self.stats.get(t)
        if s is None:  # the main task (run() does not spawn it) or a task spawned before enable()
            s = self._stat(t, None, now)
            self._put(_SPAWN, t, s, now)
        s.t_in = now
        self.cur = s  # out() of this task needs no dict lookup
        i = self.i  # _put() inlined
        self.ts[i] = now
        if self.virtual:
            self.ms[i] = self.clk.now()
        self.kind[i] = _RUN
        self.task[i] = t
        self.arg[i] = None
        i += 1
        if i == self.cap:
            i = 0
            self.full = True
            self.laps = (self.laps + 1) & _WRAP
        self.i = i

    def out(self, t):
        now = ticks_us()
        s = self.cur
        if s is None or s.task is not t:
            s = self.stats.get(t)
            if s is None:
                return  # enabled while this task was running
        self.cur = None
        d = ticks_diff(now, s.t_in)
        c = s.cpu_us + d
        while c >= 1000000:
            c -= 1000000
            s.cpu_s += 1
        s.cpu_us = c
        s.switches = (s.switches + 1) & _WRAP
        if d > s.max_us:
            s.max_us = d
        if self.budget and d > self.budget:
            self._overrun(t, s, d, now)
        st = t.state
        if st == _PARKED or st == _SLEEPING:
            kind = _PARK if st == _PARKED else _SLEEP
            arg = t.data
        elif st == _DONE:
            kind = _EXIT
            arg = s
            s.out = t.data & 7
            self.stats.pop(t, None)
        else:
            kind = _YIELD
            arg = None
        s.since = now
        i = self.i  # _put() inlined
        self.ts[i] = now
        if self.virtual:
            s.since_ms = self.ms[i] = self.clk.now()
        self.kind[i] = kind
        self.task[i] = t
        self.arg[i] = arg
        i += 1
        if i == self.cap:
            i = 0
            self.full = True
            self.laps = (self.laps + 1) & _WRAP
        self.i = i

    def wake(self, t):
        self._put(WAKE, t, None, ticks_us())

    def cancel(self, t):
        self._put(CANCEL, t, None, ticks_us())

    def timeout(self, scope):
        self._put(TIMEOUT, scope._owner, scope, ticks_us())

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

    def events(self):
        """The recorded events, oldest first: a list of (us, ms, kind name,
        task, arg). Allocates: call it after the run, not in a hot path."""
        n = self.cap if self.full else self.i
        start = self.i if self.full else 0
        out = []
        for j in range(n):
            i = (start + j) % self.cap
            out.append((self.ts[i], self.ms[i], KINDS[self.kind[i]], self.task[i], self.arg[i]))
        return out

    def stat(self, t):
        """The record of task t: live, or found in the ring (exit/spawn)."""
        s = self.stats.get(t)
        if s is not None:
            return s
        for i in range(self.cap):
            a = self.arg[i]
            if self.task[i] is t and isinstance(a, _Stat):
                return a
        return None

    def clear(self):
        for i in range(self.cap):
            self.task[i] = None
            self.arg[i] = None
        self.i = 0
        self.full = False
        self.laps = 0


def enable(capacity=256, budget_us=0, warn_every=100, warn=None):
    """Turn tracing on: install a Tracer keeping the last `capacity` events.
    budget_us > 0 warns about a task running longer than that between
    checkpoints (warn(msg), default: print to stderr). Returns the Tracer.
    Call it outside the hot path (it allocates the ring); not IRQ-safe."""
    global tracer, last
    t = Tracer(capacity, budget_us, warn_every, warn)
    tracer = last = t
    _k.trace_hook = t
    return t


def mark(text):
    """Record an app event (a str: "restart sensor") on the current task's
    row of the trace; a no-op while tracing is off. Allocates nothing for a
    constant str. Not IRQ-safe."""
    t = tracer
    if t is not None:
        t._put(MARK, _k._cur, text, ticks_us())


def disable():
    """Turn tracing off (the recorded events stay readable in the returned
    Tracer). Returns it, or None if tracing was off."""
    global tracer
    t = tracer
    _k.trace_hook = None
    tracer = None
    return t


def serve_dump(key=0x1C, stream=None):
    """A task that prints dump() whenever byte `key` (default 0x1C, Ctrl-\\)
    arrives on `stream` (default: the console, sys.stdin), between
    `=== zsync-mp dump begin/end ===` lines: `zsync-mp dump --port P` sends
    it while the app runs. Other bytes are dropped (this task owns the
    console input). Spawn it in the app's TaskGroup; cancel to stop."""
    if not isinstance(key, int) or isinstance(key, bool) or not 0 <= key <= 255 or key in (1, 2, 3, 4):
        raise ValueError("serve_dump key must be a byte value other than Ctrl-A..D (the REPL's), got %r" % (key,))
    from ._trace_dump import serve

    return serve(key, stream)


def dump(file=None, stacks=True, times=True):
    """Print the task tree of the running (or last traced) loop: state, what
    each task waits on and for how long, CPU time (times=False leaves out
    the figures that vary run to run), cancel scopes and deadlines, and the
    async stack where the interpreter exposes it. Allocates; not IRQ-safe."""
    from ._trace_dump import dump as _dump

    _dump(last, file, stacks, times)


def save(dest=None):
    """Write the recorded events in the zsync-mp trace text format to `dest`
    (a path, a stream, or None: stdout between marker lines) for
    `zsync-mp trace`. Allocates; call it after the run."""
    from ._trace_export import save as _save

    if last is None:
        raise RuntimeError("nothing to save: call zsync_mp.trace.enable() before the run")
    _save(last, dest)
