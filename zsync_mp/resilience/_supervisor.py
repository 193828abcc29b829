# zsync_mp.resilience._supervisor: Erlang-style supervisors.
#
# Contract
# - Supervisor(children, strategy, max_restarts, within_ms) runs its children
#   (ChildSpecs, made with child()) as tasks of one TaskGroup inside
#   `await sup.run()`. A child failing never fails the group: the supervisor
#   sees each exit and decides.
# - Restart types: PERMANENT always restarted, TRANSIENT restarted only after
#   an abnormal exit (an exception, or cancelled by someone other than the
#   supervisor), TEMPORARY never restarted. An Actor that was stop()ped is
#   never restarted.
# - Strategies: ONE_FOR_ONE restarts the child that exited; ONE_FOR_ALL stops
#   every other child and restarts them all; REST_FOR_ONE stops the children
#   started after it and restarts it and them. Stopped children are cancelled
#   and waited for; restarts go in spec order once all have ended. TEMPORARY
#   children stopped this way are not restarted.
# - Intensity: a restart that would make more than max_restarts restarts
#   within within_ms (kernel clock) escalates: every child is cancelled and
#   run() raises TooManyRestarts, which is a failure its parent supervisor
#   (a supervision tree) handles by its own strategy.
# - run() returns when no child is left to run (or after stop()).
# - Not IRQ-safe. Allocates per start/exit, never in a steady state.
import zsync_mp as zs

from ._util import check_int, is_awaitable
from ._actor import Actor

PERMANENT = "permanent"
TRANSIENT = "transient"
TEMPORARY = "temporary"
ONE_FOR_ONE = "one_for_one"
ONE_FOR_ALL = "one_for_all"
REST_FOR_ONE = "rest_for_one"

# How a child ended.
NORMAL = "normal"  # returned
FAILED = "failed"  # raised an exception
SHUTDOWN = "shutdown"  # cancelled by its supervisor
KILLED = "killed"  # cancelled by someone else


class TooManyRestarts(Exception):
    """A supervisor gave up: `.supervisor` (its name), `.child` (the id that
    exited last), `.error` (that exit's exception, or None), `.max_restarts`,
    `.within_ms`."""

    def __init__(self, msg, supervisor, child, error, max_restarts, within_ms):
        super().__init__(msg)
        self.supervisor = supervisor
        self.child = child
        self.error = error
        self.max_restarts = max_restarts
        self.within_ms = within_ms


class ChildSpec:
    """What a supervisor runs: `start(*args)` returns the child's coroutine
    (an Actor or a Supervisor may stand in for start: its run() is used)."""

    def __init__(self, id, start, args=(), restart=PERMANENT):
        if not isinstance(id, str):
            raise TypeError("child id must be a str, got %r" % (id,))
        self.obj = None
        if isinstance(start, (Actor, Supervisor)):
            self.obj = start
            start = start.run
        elif not callable(start):
            if is_awaitable(start):
                start.close()
                raise TypeError("child %r: start must be a function returning a coroutine, got a coroutine object (pass f, not f())" % id)
            raise TypeError("child %r: start must be callable, an Actor or a Supervisor, got %r" % (id, start))
        if not isinstance(args, tuple):
            raise TypeError("child %r: args must be a tuple, got %r" % (id, args))
        if restart not in (PERMANENT, TRANSIENT, TEMPORARY):
            raise ValueError("child %r: restart must be PERMANENT, TRANSIENT or TEMPORARY ('permanent', 'transient', 'temporary'), got %r" % (id, restart))
        self.id = id
        self.start = start
        self.args = args
        self.restart = restart


def child(id, start, *args, restart=PERMANENT):
    """child(id, start, *args, restart=PERMANENT) -> ChildSpec"""
    return ChildSpec(id, start, args, restart)


class _Child:
    # A child's run-time record inside one Supervisor.run().
    def __init__(self, spec, index):
        self.spec = spec
        self.index = index
        self.task = None
        self.scope = None
        self.running = False
        self.active = True  # False: dropped, will not run again
        self.pending = False  # to be restarted when the group restart is ready
        self.stopping = False  # cancelled by us; its exit is expected
        self.restarts = 0


class Supervisor:
    """Supervisor(children, strategy=ONE_FOR_ONE, max_restarts=3,
    within_ms=5000, name=None, on_event=None); run it with `await sup.run()`
    or make it a child of another supervisor. on_event(sup_name, event,
    child_id, detail) is told "start", "exit" (detail: (how, error)),
    "escalate" (detail: the TooManyRestarts). Not IRQ-safe."""

    def __init__(self, children, strategy=ONE_FOR_ONE, max_restarts=3, within_ms=5000, name=None, on_event=None):
        if not isinstance(children, (list, tuple)):
            raise TypeError("children must be a list of ChildSpec (see child()), got %r" % (children,))
        ids = []
        for c in children:
            if not isinstance(c, ChildSpec):
                raise TypeError("children must be ChildSpec objects (see child()), got %r" % (c,))
            if c.id in ids:
                raise ValueError("duplicate child id %r" % c.id)
            ids.append(c.id)
        if strategy not in (ONE_FOR_ONE, ONE_FOR_ALL, REST_FOR_ONE):
            raise ValueError("strategy must be ONE_FOR_ONE, ONE_FOR_ALL or REST_FOR_ONE, got %r" % (strategy,))
        self.max_restarts = check_int("max_restarts", max_restarts)
        self.within_ms = check_int("within_ms", within_ms, 1)
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a str or None, got %r" % (name,))
        if on_event is not None and not callable(on_event):
            raise TypeError("on_event must be callable or None, got %r" % (on_event,))
        self.specs = list(children)
        self.strategy = strategy
        self.name = name or "supervisor"
        self.on_event = on_event
        self.restarts = 0  # total, over every run()
        self._kids = []
        self._tg = None
        self._running = False
        for c in self.specs:
            if isinstance(c.obj, Actor):
                c.obj._sup = self

    def _emit(self, event, c, detail):
        if self.on_event is not None:
            self.on_event(self.name, event, c.spec.id if c is not None else None, detail)

    def children(self):
        """[(id, state, restarts)] for the current run; state is "running",
        "restarting" or "stopped"."""
        out = []
        for c in self._kids:
            st = "running" if c.running else ("restarting" if c.active else "stopped")
            out.append((c.spec.id, st, c.restarts))
        return out

    def task(self, id):
        """The running Task of child `id` (None if it is not running)."""
        for c in self._kids:
            if c.spec.id == id:
                return c.task if c.running else None
        raise KeyError("no child %r in supervisor %r" % (id, self.name))

    def stop(self):
        """Cancel every child; run() then returns."""
        if self._tg is not None:
            self._tg.cancel()

    async def run(self):
        """Run the children until none is left to run. Raises TooManyRestarts
        when the restart intensity is exceeded. A checkpoint."""
        if self._running:
            raise RuntimeError("supervisor %r is already running" % self.name)
        self._running = True
        self._kids = [_Child(s, i) for i, s in enumerate(self.specs)]
        self._events = []
        self._wake = zs.Event()
        self._hist = []  # ticks of recent restarts
        self._escalation = None
        try:
            async with zs.TaskGroup() as tg:
                self._tg = tg
                for c in self._kids:
                    self._start(c)
                await self._loop()
                tg.cancel()
        finally:
            self._tg = None
            self._running = False
            for c in self._kids:
                c.running = c.pending = c.active = False  # every child has ended
                if isinstance(c.spec.obj, Actor) and c.spec.obj._task is None:
                    c.spec.obj._halt()
        if self._escalation is not None:
            e = self._escalation
            self._escalation = None
            raise e

    def _start(self, c):
        c.running = True
        c.scope = zs.CancelScope()  # made here: a stop may come before the task runs
        c.task = self._tg.spawn(self._child_main(c), c.spec.id)
        self._emit("start", c, c.restarts)

    async def _child_main(self, c):
        how = KILLED
        err = None
        try:
            with c.scope as sc:
                try:
                    r = c.spec.start(*c.spec.args)
                    if not is_awaitable(r):
                        raise TypeError("child %r: start() must return a coroutine, got %r" % (c.spec.id, r))
                    await r
                    how = NORMAL
                except Exception as e:
                    how = FAILED
                    err = e
            if sc.cancelled_caught:
                how = SHUTDOWN
        finally:
            if how == KILLED:
                err = zs.Cancelled()
            self._events.append((c, how, err))
            self._wake.set()

    def _wants_restart(self, c, how):
        r = c.spec.restart
        if r == TEMPORARY or (isinstance(c.spec.obj, Actor) and c.spec.obj.stopped):
            return False
        if r == TRANSIENT:
            return how == FAILED or how == KILLED
        return True

    def _may_restart(self):
        # Record a restart now unless it makes too many within the window.
        now = zs.ticks_ms()
        h = [t for t in self._hist if 0 <= zs.ticks_diff(now, t) < self.within_ms]
        if len(h) >= self.max_restarts:
            self._hist = h
            return False
        h.append(now)
        self._hist = h
        return True

    async def _loop(self):
        kids = self._kids
        while True:
            while not self._events:
                if not any(c.running or c.pending for c in kids):
                    return
                self._wake.clear()
                await self._wake.wait()
            c, how, err = self._events.pop(0)
            c.running = False
            self._emit("exit", c, (how, err))
            if c.stopping:
                c.stopping = False
            elif self._wants_restart(c, how):
                if not self._may_restart():
                    self._escalate(c, how, err)
                    return
                self._plan(c)
            else:
                c.active = False
                if isinstance(c.spec.obj, Actor):
                    c.spec.obj._halt()
            if not any(k.stopping for k in kids):
                for k in kids:
                    if k.pending:
                        k.pending = False
                        k.restarts += 1
                        self.restarts += 1
                        self._start(k)

    def _plan(self, c):
        # Mark the children to restart; cancel those of them still running.
        for k in self._kids:
            if k is c:
                k.pending = True
            elif k.active and (self.strategy == ONE_FOR_ALL or (self.strategy == REST_FOR_ONE and k.index > c.index)):
                if k.running and not k.stopping:
                    k.stopping = True
                    k.scope.cancel()
                if k.spec.restart == TEMPORARY:
                    k.active = False
                else:
                    k.pending = True

    def _escalate(self, c, how, err):
        what = "exited normally" if how == NORMAL else ("failed: %r" % (err,) if how == FAILED else "was cancelled")
        e = TooManyRestarts(
            "supervisor %r: child %r %s; more than %d restarts within %d ms, giving up" % (self.name, c.spec.id, what, self.max_restarts, self.within_ms),
            self.name, c.spec.id, err, self.max_restarts, self.within_ms)
        self._escalation = e
        self._emit("escalate", c, e)

    def __repr__(self):
        return "<Supervisor %s %s>" % (self.name, self.strategy)
