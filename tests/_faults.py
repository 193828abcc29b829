# Fault injection at every suspend point (shared by tests/faults_*.py).
#
# Contract
# - target(plan, coro, after) runs `coro` in the current task wrapped in a
#   Counted awaitable that counts the times it suspends (yields to the loop).
#   At suspension number plan.at it injects plan.kind:
#     "cancel": a CancelScope around the coroutine is cancelled there;
#     "raise":  Injected is thrown into the task while it is parked or
#               sleeping, through the kernel's throw() (the path a primitive
#               uses, e.g. ChannelClosed into parked senders); the target
#               catches it. A task resumed by a handoff (it already owns
#               the lock or message) cannot be interrupted there: counted
#               as "not injectable";
#     "crash":  like "raise" but the target lets it escape (its TaskGroup
#               fails and tears down the siblings).
#   After the injection is caught, `after()` runs in the same task: proof
#   that the rest of the program continues.
# - sweep(name, scenario) runs scenario(plan) once per suspend point and per
#   kind until an uninjected run has fewer suspensions; scenario returns a
#   list of broken invariants (empty when all resources were released and
#   the others finished their work). Prints one deterministic summary line
#   per kind, or the first failures.
# - Works on CPython and MicroPython (no kernel change: a wrapper awaitable).
import zsync_mp as zs
from zsync_mp.kernel import core as _kernel
from zsync_mp.kernel.deliver import throw

KINDS = ("cancel", "raise", "crash")
GROUPS = []  # TaskGroups a scenario registered: the kernel never throws into their exit wait


class Injected(Exception):
    pass


class Plan:
    def __init__(self, kind, at):
        self.kind = kind
        self.at = at
        self.fired = False
        self.skipped = False
        self.caught = False


class Counted:
    # Steps a coroutine for the awaiting task; counts its suspensions.
    def __init__(self, coro, plan, scope):
        self.coro = coro
        self.plan = plan
        self.scope = scope
        self.n = 0

    def __iter__(self):
        return self

    __await__ = __iter__

    def __next__(self):
        return self._after(self.coro.send(None))

    def send(self, v):
        return self._after(self.coro.send(v))

    def throw(self, typ, val=None, tb=None):
        return self._after(self.coro.throw(val if val is not None else typ))

    def close(self):
        self.coro.close()

    def _after(self, y):
        # The wrapped coroutine just suspended (it yielded to the loop).
        self.n += 1
        p = self.plan
        if self.n == p.at:
            p.fired = True
            if p.kind == "cancel":
                self.scope.cancel()
            else:
                t = zs.current_task()
                if _throwable(t):
                    throw(t, Injected("at suspension %d" % self.n))
                else:
                    p.skipped = True
        return y


# A primitive may throw into a task parked on its queue or sleeping; nothing
# throws into a task resumed by a handoff or waiting in TaskGroup.__aexit__
# (see /work/notes/bugs/group_exit_foreign_exception.py).
def _throwable(t):
    if t.state == _kernel.SLEEPING:
        return True
    if t.state != _kernel.PARKED:
        return False
    for g in GROUPS:
        if t.data is g._done:
            return False
    return True


def _only_injected(e):
    for x in e.exceptions:
        if not isinstance(x, Injected) and not (isinstance(x, zs.TaskGroupError) and _only_injected(x)):
            return False
    return True


async def target(plan, coro, after=None):
    sc = zs.CancelScope()
    try:
        with sc:
            await Counted(coro, plan, sc)
    except Injected:
        plan.caught = True
        if plan.kind == "crash":
            raise
    except zs.TaskGroupError as e:
        # Injected inside a nested group comes out wrapped in its TaskGroupError.
        if not _only_injected(e):
            raise
        plan.caught = True
        if plan.kind == "crash":
            raise
    if sc.cancelled_caught:
        plan.caught = True
    if after is not None:
        await after()


def sweep(name, scenario, kinds=KINDS, limit=500):
    for kind in kinds:
        at = 1
        ok = 0
        late = 0
        skipped = 0
        fails = []
        while at < limit:
            plan = Plan(kind, at)
            GROUPS[:] = []
            try:
                problems = scenario(plan)
            except Exception as e:  # noqa: B902 (a crash of the run is a failure)
                problems = ["run() raised %s: %s" % (type(e).__name__, e)]
            if not plan.fired:
                break
            if plan.skipped:
                skipped += 1
            elif problems:
                fails.append("at %d: %s" % (at, "; ".join(problems)))
            elif not plan.caught and kind != "cancel":
                fails.append("at %d: the injected exception was never seen" % at)
            elif not plan.caught:
                late += 1  # cancelled after its last checkpoint: it ended normally
            else:
                ok += 1
            at += 1
        line = "%s %s: %d suspend points, %d ok" % (name, kind, at - 1, ok)
        if late:
            line += ", %d after the last checkpoint" % late
        if skipped:
            line += ", %d not injectable (handed off, or in a group's exit)" % skipped
        print(line)
        for f in fails[:5]:
            print("  FAIL", f)
