# zsync_mp.kernel.task: the Task, spawning, and how a task ends.
#
# Contract
# - A Task is a coroutine plus the kernel's bookkeeping (state, data, queue
#   links, cancel scope); its fields and states are the kernel's (see
#   _kernel.py). Everything else lives in class defaults, so an idle task
#   costs six instance fields (a seventh, _trace_record, while zsync_mp.trace sees it).
# - spawn() checks, creates, registers (in its group, or as detached), then
#   queues: if registering fails (MemoryError), nothing was queued.
# - finish() records the outcome on the task without adding attributes
#   (tasks may end under heap_lock) and wakes whoever awaits it.
# - With _zsync_core (firmware built with native/), Task is the C twin of
#   the class below (native_task): 64 B, the same methods and defaults; the
#   class stays the reference and the code path on CPython.
# - Not IRQ-safe.
from . import core
from .core import (
    DONE,
    RETURNED,
    RAISED,
    CANCELLED,
    SEEN,
    READY,
    SLEEPING,
    YIELDED,
    Cancelled,
    TaskWaiters,
    check_cancel,
    current_task,
    _OP,
    _PARKED,
    _IRQ_CANCEL,
    _IRQ_SPAWN,
)
from .deliver import kick, kick_inside
from .port import CORO_TYPE, native_task
from .reg import Reg  # noqa: F401 (the registry class the loop and TaskGroup use)


class Task:
    """A spawned coroutine. `await task` returns its result or raises its
    exception; cancel() delivers Cancelled at its next checkpoint. Not IRQ-safe."""

    # Class defaults keep an idle task small: only six fields are per instance.
    name = None
    _waiters = None
    _cancel_requested = False  # cancel() was called
    _cancel_once = False  # True: a cancel() request is delivered once (asyncio tasks)
    _on_done = None  # called with the task when it ends (gather)
    _cancelled_class = Cancelled  # what a cancellation raises in it (asyncio: CancelledError)
    _trace_record = None  # its zsync_mp.trace record, once the tracer saw it
    link = None  # the next task in its registry (reg.py)
    scope = None  # (the C Task's default; this class sets it per instance)

    def __init__(self, coro, name=None):
        self.coro = coro
        self.state = READY
        self.data = None
        self.next = None
        self.prev = None
        self.scope = None  # innermost CancelScope, or the group's scope
        if name is not None:
            self.name = name

    def __repr__(self):
        return "<Task %s>" % (self.name or hex(id(self)))

    def done(self):
        return self.state == DONE

    # Once DONE, `data` holds how it ended (RETURNED, RAISED, CANCELLED;
    # + SEEN once retrieved) and `coro` the result or exception: ending a task
    # must not add attributes (that allocates; tasks may end under heap_lock).
    # Methods, not properties: a property in a class makes MicroPython look
    # the class up on every attribute store to its instances (t.state = ...).
    def _out(self):
        return self.data & ~SEEN if self.state == DONE else 0

    def _res(self):
        return self.coro if self.state == DONE else None

    def _seen(self):
        return self.state == DONE and self.data & SEEN != 0

    def _mark_seen(self):
        if self.state == DONE:
            self.data |= SEEN

    def cancelled(self):
        return self._out() == CANCELLED

    def result(self):
        if self.state != DONE:
            raise RuntimeError("task %r is not done" % self)
        return self._outcome()

    def exception(self):
        if self.state != DONE:
            raise RuntimeError("task %r is not done" % self)
        self._mark_seen()
        if self._out() == CANCELLED:
            raise self._cancelled_class()
        return self._res() if self._out() == RAISED else None

    def cancel(self):
        # Returns False if the task is already done.
        if core.irq:
            raise RuntimeError(_IRQ_CANCEL)
        if self.state == DONE:
            return False
        if not self._cancel_requested:
            self._cancel_requested = True
            core.pending += 1
        if core.trace_hook is not None:
            core.trace_hook.cancel(self)
        kick(self)
        if not self._cancel_once:  # its root scope: everything inside it, at once
            kick_inside(None, self)
        return True

    # `await task`: park on its waiters until it is done (allocates a generator).
    def _op(self, t, arg):
        if self._waiters is None:
            self._waiters = TaskWaiters(self)
        self._waiters.park(t)
        return _PARKED

    def _outcome(self):
        # A DONE task's result, or its exception raised; marks it retrieved.
        # (_mark_seen(), _out() and _res() inlined: on every `await task`.)
        d = self.data
        self.data = d | SEEN
        d &= ~SEEN
        if d == RETURNED:
            return self.coro
        if d == CANCELLED:
            raise (Cancelled if core._cur is None else core._cur._cancelled_class)()
        raise self.coro

    def __iter__(self):
        t = core._cur
        if t is None or core.irq:
            t = current_task()  # raises, naming the misuse
        if self is t:
            raise RuntimeError("task %r cannot await itself" % t)
        if self.state != DONE:
            yield from _OP.set(self, None)
        else:
            check_cancel(t)
        return self._outcome()

    __await__ = __iter__

    # Timer heap entry: a sleeping task is due.
    def _timer_live(self, key):
        return self.state == SLEEPING and self.data == key

    def _timer(self, key):
        if self.state == SLEEPING and self.data == key:
            core._K.live -= 1
            self.data = None
            core._K.push(self)
            self.state = YIELDED  # a sleep that ended is a bare checkpoint


def finish(t, out, res):
    # The task ended: record the outcome, wake whoever awaits it. A
    # cancelled task keeps no exception (its Cancelled and traceback are
    # garbage at once; result() and exception() raise a new one). On every
    # task's end: its frame stays within MicroPython's 11 words, so the call
    # allocates nothing (tools/frames.py); the report is _report()'s.
    if t._cancel_requested:
        core.pending -= 1
    if t.state == DONE:
        return  # buried already
    t.state = DONE
    t.data = out
    t.coro = None if out == CANCELLED else res
    if core.trace_hook is not None:
        core.trace_hook.done(t)  # what it wakes now, it wakes inside its last step
    g = t.scope  # group_of(t), inlined for a child that left its own scopes
    g = g._group if g is not None and g._owner is not t else group_of(t)
    if g is None:
        core._K.detached.drop(t)
    if g is not None and out == RETURNED:
        g._child_done(t, out)  # allocates nothing for a child that returned
    elif g is not None:
        _report(g, t)
    elif out == RAISED and (t._waiters is None or t._waiters.head is None) and t is not core._K.main:
        _unhandled(t)
    if t._waiters is not None:
        t._waiters.wake_all()
    if t._on_done is not None:
        t._on_done(t)


# Reporting an end that may need the heap (an error list, a print): on a
# full or locked heap the outcome stays on the task, the loop counts it and
# the kernel and the other tasks go on. t.data says how t ended, t.coro
# holds its exception (None for a Cancelled). Few arguments: with a try,
# that keeps the frame within MicroPython's 11 words (tools/frames.py).
def _report(g, t):
    try:
        g._child_done(t, t.data)  # (t.data: how it ended)
    except MemoryError:
        _lost()


def _unhandled(t):
    # t failed with nobody awaiting it.
    try:
        core._K.exc_handler(t, t.coro)
    except MemoryError:
        _lost()


def _lost():
    core._K.unreported += 1


def group_of(t):
    # The TaskGroup t was spawned in, or None: the scope it was given at spawn
    # (the group's) is the first in its chain it did not enter itself.
    s = t.scope
    while s is not None and s._owner is t:
        s = s._parent
    return None if s is None else s._group


def spawn(coro, name=None):
    """Start `coro` as a new task and return its Task. Not IRQ-safe. The task
    is detached: it is cancelled when the main task finishes; prefer
    TaskGroup.spawn() to tie its lifetime to a block."""
    return new_task(coro, name, "spawn", Task, None)


def new_task(coro, name, what, cls, group=None):
    # Check, create, register (in its group, or as detached: allocates
    # nothing), then queue.
    if core.irq or core._K is None or not isinstance(coro, CORO_TYPE) or (name is not None and not isinstance(name, str)):
        _refuse(coro, name, what)
    t = cls(coro, name)
    K = core._K
    if group is not None:
        t.scope = group._scope  # (so group_of(t) is the group)
        group._kids.add(t)
    else:
        K.detached.add(t)
    K.push(t)
    if core.trace_hook is not None:
        core.trace_hook.spawn(t)
    return t


def _refuse(coro, name, what):
    # Why new_task() cannot spawn (apart from it, whose frame then fits
    # MicroPython's stack).
    if core.irq:
        raise RuntimeError(_IRQ_SPAWN)
    if core._K is None:
        raise RuntimeError("%s() needs a running loop: call it inside zs.run()" % what)
    if not isinstance(coro, CORO_TYPE):
        hint = "; did you forget to call it?" if callable(coro) else ""
        raise TypeError("%s() needs a coroutine object, got %r%s" % (what, coro, hint))
    raise TypeError("task name must be a str, got %r" % (name,))


PyTask = Task  # the reference class (the asyncio layer's Task extends it)
Task = native_task(Task)
