# zsync_mp.scopes.group: TaskGroup, structured concurrency.
#
# Contract
# - The group's children live inside `async with TaskGroup() as tg:`; the
#   block does not exit until every child is done.
# - The first child failure cancels the group's scope: the siblings and the
#   body get Cancelled. All failures (and the body's own exception) come out
#   as one TaskGroupError. A child's Cancelled is not a failure.
# - Cancelling the owner (its task or an outer scope) cancels the children.
# - Not IRQ-safe.
from ..kernel.core import Cancelled, WaitQueue, kernel, is_cancelled, cancelled_exc, _NOCHECK, resched, _PARKED, RETURNED, CANCELLED
from ..kernel.deliver import kick
from ..kernel.task import Task, Reg, new_task
from .cancel import CancelScope
from ..kernel import core
from ..kernel.port import GroupBase, CORO_TYPE, is_coro, awaitable_gen
from ..kernel.reg import _END

_NEW = 0
_OPEN = 1
_CLOSING = 2
_CLOSED = 3


class TaskGroupError(GroupBase):
    """The failures of a TaskGroup, in `.exceptions` (an ExceptionGroup on
    CPython)."""


class TaskGroup:
    """async with zs.TaskGroup() as tg: tg.spawn(coro, name=None)"""

    _task_cls = Task
    _lost = 0  # child failures not recorded for lack of memory
    _kcancel = False  # a child ended cancelled by a scope outside it
    _exit_yields = True  # an exit with no child left is a schedule point (Trio)
    prev = None  # links in the kernel's open groups (K.groups, entry order)
    next = None

    def __init__(self):
        self._scope = CancelScope()
        self._scope._group = self
        self._kids = Reg()  # the live children (_reg.py)
        self._errors = []
        self._state = _NEW
        self._done = WaitQueue()
        # The exit's generator (made by __aenter__) and what the body ended
        # with; fields set here so the exit stores them without allocating.
        self._exiting = None
        self._et = None
        self._ev = None
        self._body_exc = None  # the body's exception, when _errors had no room
        self._body_at = 0  # ... and its place among the errors

    def spawn(self, coro, name=None):
        """Start a child task in this group and return its Task."""
        K = core._K
        if self._state != _OPEN or name is not None or K is None or core.irq or not isinstance(coro, CORO_TYPE) or core.trace_hook is not None:
            return self._spawn(coro, name)
        # new_task(), inlined for the common case (an open group, a
        # coroutine, no name, no tracer; anything else takes _spawn). It
        # pays: TaskGroup spawn+join of 100 children costs 16% more
        # instructions through new_task() (4.61M vs 3.97M per group on the
        # PyPI unix port, 3.81M vs 3.15M on the unix firmware with the C Task;
        # callgrind, bench/cg_job.py sync group.zs).
        t = self._task_cls(coro)
        t.scope = self._scope  # (so group_of(t) is the group)
        kids = self._kids  # kids.add(t), inlined
        t.link = _END
        if kids.tail is None:
            kids.head = t
        else:
            kids.tail.link = t
        kids.tail = t
        kids.n += 1
        t.next = None  # K.push(t), inlined (a new task is READY already)
        if K.rq_tail is None:
            K.rq_head = t
        else:
            K.rq_tail.next = t
        K.rq_tail = t
        return t

    def _spawn(self, coro, name):
        if self._state == _NEW:
            if is_coro(coro):
                coro.close()
            raise RuntimeError("TaskGroup.spawn() before `async with` entered the group")
        if self._state == _CLOSED:
            if is_coro(coro):
                coro.close()
            raise RuntimeError("TaskGroup.spawn() on a group that has already exited")
        return new_task(coro, name, "TaskGroup.spawn", self._task_cls, self)

    def cancel(self):
        """Cancel the body and every child."""
        self._scope.cancel()

    @property
    def cancel_scope(self):
        return self._scope

    def _abort(self):
        # A child failed: cancel the body and the other children now.
        self._scope.cancel()

    def _kick_all(self):
        self._kids.each(kick)

    # A cancellation reached the owner (in the body or while it waits for
    # the children): the children are inside the same cancelled scope, so
    # kicking them delivers it (the asyncio layer cancels each child instead).
    _forward = _kick_all

    def _child_done(self, t, out):
        # finish(): child t ended with outcome `out` (RETURNED...); a failed
        # one's exception is t.coro.
        self._kids.drop(t)
        if out != RETURNED:
            if out == CANCELLED:
                if not t._cancel_requested and not t._cancel_once:
                    self._kcancel = True  # cancelled by a scope outside it: the exit re-raises
            else:
                self._record(t.coro)
                self._abort()
        if self._kids.n == 0:
            self._done.wake_all()

    def _record(self, exc):
        # (Apart from _child_done, whose frame then fits MicroPython's stack.)
        try:
            self._errors.append(exc)
        except MemoryError:  # heap locked: remember it without allocating
            self._lost += 1

    def _op(self, t, arg):
        if self._kids.n == 0:
            return None
        self._done.park(t)
        return _PARKED

    async def __aenter__(self):
        if self._state != _NEW:
            raise RuntimeError("a TaskGroup can be entered only once")
        self._exiting = self._exit()  # first: if this fails, nothing is entered
        self._scope.__enter__()
        kernel().groups.append(self)  # bury() and kick_inside() walk them; no allocation
        self._state = _OPEN
        return self

    def __aexit__(self, et, ev, tb):
        # Not a coroutine: the body may have ended because the heap is full
        # (a spawn's MemoryError), and then a coroutine for the exit could not
        # be made: the exit would be skipped, the group left open with its
        # children alive. The exit runs in the generator __aenter__ made.
        if self._state != _OPEN:
            raise RuntimeError("TaskGroup.__aexit__() without a matching __aenter__()")
        self._et = et
        self._ev = ev
        return self._exiting

    @awaitable_gen
    def _exit(self):
        et = self._et
        ev = self._ev
        self._et = self._ev = self._exiting = None
        self._state = _CLOSING
        owner = self._scope._owner
        cancelled = None  # the body's Cancelled
        caught = None  # a Cancelled that reached the owner while it waited
        if et is not None:
            if issubclass(et, Cancelled):
                cancelled = ev
                self._forward()
            elif issubclass(et, Exception):
                try:
                    self._errors.append(ev)
                except MemoryError:  # the heap is full: add it once the children are gone
                    self._body_exc = ev
                    self._body_at = len(self._errors)
                self._scope.cancel()
            else:
                self._scope.cancel()  # KeyboardInterrupt etc.: stop the children
        if is_cancelled(owner):
            self._forward()
        foreign = None
        if self._kids.n == 0 and self._exit_yields:
            # Nothing to wait for: still a schedule point, never cancelled
            # here (Trio's nursery exit: cancel_shielded_checkpoint).
            yield from resched()
        while self._kids.n:
            try:
                yield from _NOCHECK.set(self, None)
            except Cancelled as e:
                caught = e
                self._forward()
            except GeneratorExit:
                raise  # the coroutine is being closed (bury()): no more waiting
            except BaseException as e:  # noqa: B902 (thrown in from outside)
                # e.g. KeyboardInterrupt: stop the children, wait, re-raise.
                if core._K is None:
                    raise  # the loop is gone: nothing can wake us
                if foreign is None:
                    foreign = e
                self._scope.cancel()
        self._state = _CLOSED
        kernel().groups.remove(self)
        # Trio's rule: the exit raises Cancelled when the body or a child
        # ended with one (the scope that caused it catches it). The owner's
        # own cancellation that arrived while it waited is delivered at its
        # next checkpoint instead (asyncio: here, as its TaskGroup does).
        if cancelled is None and (self._kcancel or (caught is not None and owner._cancel_once)):
            cancelled = caught if caught is not None else cancelled_exc(owner)
        if cancelled is not None and self._scope.__exit__(Cancelled, cancelled, None):
            cancelled = None  # our own cancellation (a child failed, or cancel())
        elif cancelled is None:
            self._scope.__exit__(None, None, None)
        if foreign is not None:
            raise foreign
        if self._body_exc is not None:
            self._errors.insert(self._body_at, self._body_exc)
            self._body_exc = None
        if self._lost:
            self._errors.append(MemoryError("%d child failure(s) could not be recorded (heap locked)" % self._lost))
        if self._errors:
            errs = self._errors
            self._errors = []
            raise TaskGroupError("unhandled errors in a TaskGroup", errs)
        if cancelled is not None:
            if cancelled is ev:
                return False
            raise cancelled
        if et is not None and not issubclass(et, Exception) and not issubclass(et, Cancelled):
            return False
        return et is not None and issubclass(et, Cancelled)
