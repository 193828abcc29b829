# zsync_mp.asyncio._core: asyncio's tasks and loop on the zsync_mp kernel.
#
# Contract
# - An asyncio Task is a kernel Task whose cancel() is edge-triggered as in
#   asyncio: CancelledError is raised once, at the task's next await, and the
#   task may catch it and go on. (zsync_mp's own cancellation is level-
#   triggered: a cancelled scope keeps raising until it is left.)
# - Cancelling a task that awaits another task cancels that one instead, as
#   MicroPython's and CPython's asyncio do.
# - There is one loop (get_event_loop()); it owns one kernel that survives
#   run_until_complete()/run_forever(): tasks left running stay queued for the
#   next call, as in MicroPython. run() is asyncio.run(): when the main task
#   ends, the tasks it left running are cancelled and run to their end (as
#   CPython does), so their cleanup always runs.
# - A task that fails with nobody awaiting it reaches the loop's exception
#   handler one scheduling round later, unless something retrieves its
#   outcome first (MicroPython's rule).
# - Nothing here is IRQ-safe; ThreadSafeFlag.set() is (it is zsync_mp.Flag).
import sys

from ..kernel import core
from ..kernel import loop as _kloop
from ..kernel import task as _task
from ..kernel import timing as _time
from ..kernel.core import Cancelled, DONE, PARKED, READY, THROW, TaskWaiters
from ..kernel.clock import RealClock
from ..kernel.port import CORO_TYPE, is_coro, print_exception, native_task, TICKS_HALF

class CancelledError(Cancelled):
    """asyncio's name for a cancellation (a zsync_mp.Cancelled)."""


class Task(_task.PyTask):
    """An asyncio task: `await task`, cancel() (delivered once), done(),
    cancelled(), result(), exception(). Not IRQ-safe."""

    _cancel_once = True
    _cancelled_class = CancelledError
    _ncancel = 0  # cancel() requests not yet uncancel()ed (CPython's count)

    def cancel(self, msg=None):
        if self.state == DONE:
            return False
        if self is core._cur:
            raise RuntimeError("can't cancel self")
        self._ncancel += 1
        t = self
        # Waiting on another task: cancel that one; its CancelledError comes back.
        while t.state == PARKED and isinstance(t.data, TaskWaiters) and t.data.task._cancel_once:
            t = t.data.task
        K = _loop._kernel()
        if core._K is K:
            _cancel(t)
        else:  # the loop is not running: queue the cancellation in its kernel
            _kloop.enter(K)
            try:
                _cancel(t)
            finally:
                _kloop.leave(K)
        return True

    def cancelling(self):
        """How many cancel() requests are pending (CPython 3.11)."""
        return self._ncancel

    def uncancel(self):
        """Take back one cancel() request; at zero, one not yet delivered
        is dropped. Returns the count left (CPython 3.11)."""
        n = self._ncancel
        if n > 0:
            n -= 1
            self._ncancel = n
            if n == 0 and self._cancel_requested:
                core.consume_cancel(self)
        return n

    def get_name(self):
        # CPython's default "Task-<n>", numbered when first asked (naming
        # each task at creation would cost every spawn).
        if self.name is None:
            _named[0] += 1
            self.name = "Task-%d" % _named[0]
        return self.name

    def set_name(self, name):
        self.name = str(name)

    def get_coro(self):
        return None if self.state == DONE else self.coro


Task = native_task(Task, _task.Task)  # the C twin where there is one
_named = [0]  # default task names given so far


def _cancel(t):
    # Request it (delivered once); a parked task is woken with CancelledError
    # by the kernel. A ready task gets it at the await it is resuming from
    # (replacing an exception already due there), as in asyncio, unless a
    # primitive handed it something (HANDED): then at its next await, so a
    # lock or a message is never lost.
    _task.Task.cancel(t)
    if (t.state == READY or t.state == THROW) and t._cancel_requested:
        core.consume_cancel(t)
        t.state = THROW
        t.data = CancelledError()


def _promote(aw):
    # A task stays itself; a coroutine or other awaitable becomes a task.
    if isinstance(aw, _task.Task):
        return aw
    if core.is_op(aw):
        return create_task(aw)
    if not is_coro(aw) and (hasattr(aw, "__await__") or hasattr(aw, "__iter__")):
        return create_task(_wrap(aw))
    return create_task(aw)


async def _replay(op, prim, arg):
    return await op.set(prim, arg)


async def _wrap(aw):
    return await aw


def create_task(coro, *, name=None):
    """Schedule `coro` as a new Task (works before the loop runs, too)."""
    if not isinstance(coro, CORO_TYPE) and core.is_op(coro):
        # zsync_mp's awaitables (ev.wait(), sleep_ms()...) are preallocated
        # and reused by the next call: capture what this one was set to now,
        # and replay it in the new task.
        prim = coro.prim
        if prim is None:
            raise RuntimeError("this awaitable was already awaited (zsync_mp awaitables are single-use)")
        coro.prim = None
        coro = _replay(coro.replay, prim, coro.arg)
    elif not isinstance(coro, CORO_TYPE):
        raise TypeError("coroutine expected, got %r" % (coro,))
    K = _loop._kernel()
    t = Task(coro, name)
    K.push(t)
    K.detached.add(t)
    return t


def ensure_future(aw):
    return _promote(aw)


def current_task():
    if core._cur is None:
        raise RuntimeError("no running event loop")
    return core._cur


def _ms(seconds):
    # asyncio clamps negative delays to 0; whole ms, rounded up.
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError("sleep needs a number of seconds, got %r" % (seconds,))
    if seconds <= 0:
        return 0
    ms = int(seconds * 1000)
    return ms + 1 if ms < seconds * 1000 else ms


def sleep_ms(t):
    """Sleep for `t` ms (negative means 0). Allocates nothing for int t."""
    if not isinstance(t, int) or isinstance(t, bool):
        raise TypeError("sleep_ms needs an int number of ms, got %r" % (t,))
    if t >= TICKS_HALF:
        raise OverflowError("sleep_ms(%d) is beyond the ticks range (max %d)" % (t, TICKS_HALF - 1))
    return _time.sleep_ms(t if t > 0 else 0)


def sleep(t, result=None):
    """Sleep for `t` seconds (int or float, negative means 0)."""
    if t == 0 and result is None and t is not False:
        return _time.yield_now()  # sleep(0), the hot case: a bare yield, as sleep_ms(0) is
    if result is not None:
        return _sleep_result(_ms(t), result)
    return sleep_ms(_ms(t))


async def _sleep_result(ms, result):
    await _time.sleep_ms(ms)
    return result


class Loop:
    """The event loop (one per process): create_task, run_forever,
    run_until_complete, stop, close and the exception handler."""

    def __init__(self):
        self._k = None
        self._handler = None
        self._stop = False
        self._executor = None  # run_in_executor's default (CPython)
        self._closed = False  # close() called, and not run since (MicroPython's loop runs again)
        self._renew = False  # new_event_loop() called while this loop ran

    def _kernel(self):
        K = self._k
        if K is None:
            K = self._k = _kloop.Kernel(RealClock())
            K.exc_handler = self._failed
            K.wait_forever = True  # as MicroPython's asyncio: no deadlock error
            K.stopping = self._stopping
        return K

    def _stopping(self):
        return self._stop

    def create_task(self, coro):
        return create_task(coro)

    def _run(self, main, keep):
        self._closed = False
        K = self._kernel()
        if core._K is not None:
            raise RuntimeError("this event loop is already running")
        _kloop.enter(K)
        try:
            K.run(main, keep)
        finally:
            _kloop.leave(K)

    # new_event_loop() was called during the run that just ended: do it now.
    def _renew_if_asked(self):
        if self._renew:
            self._renew = False
            if _loop is self:
                new_event_loop()

    def run_forever(self):
        """Run until stop() is called."""
        self._stop = False
        try:
            self._run(None, True)
        finally:
            self._stop = False
            self._renew_if_asked()

    def run_until_complete(self, aw):
        """Run until `aw` (a coroutine or task) is done; return its result."""
        t = _promote(aw)
        try:
            self._run(t, True)
        finally:
            self._renew_if_asked()
        return t.result()

    def stop(self):
        self._stop = True

    def run_in_executor(self, executor, func, *args):
        """func(*args) in a thread of `executor` (None: the default one);
        returns a Task to await for its result. CPython only."""
        from ._cpython import run_in_executor
        return create_task(run_in_executor(self, executor, func, args))

    def set_default_executor(self, executor):
        self._executor = executor

    async def shutdown_default_executor(self):
        from ._cpython import shutdown_executor
        shutdown_executor(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        from ._cpython import missing
        raise missing("loop." + name)

    def close(self):
        if self._k is not None:
            self._k.close()
        self._k = None
        self._closed = True

    def is_running(self):
        return core._K is not None and core._K is self._k

    def is_closed(self):
        return self._closed

    def time(self):
        return _time.ticks_ms() / 1000

    def set_exception_handler(self, handler):
        if handler is not None and not callable(handler):
            raise TypeError("exception handler must be callable or None, got %r" % (handler,))
        self._handler = handler

    def get_exception_handler(self):
        return self._handler

    def default_exception_handler(self, context):
        print(context["message"], file=sys.stderr)
        fut = context.get("future")
        if fut is not None:
            print("future:", fut, file=sys.stderr)
        exc = context.get("exception")
        if exc is not None:
            print_exception(exc, sys.stderr)

    def call_exception_handler(self, context):
        h = self._handler
        if h is None:
            self.default_exception_handler(context)
        else:
            h(self, context)

    # The kernel reports a task that failed with nobody awaiting it; give
    # whoever holds the task one scheduling round to retrieve it first.
    def _failed(self, t, exc):
        r = _task.Task(_report(self, t, exc), "exception-report")
        self._k.push(r)


async def _report(loop, t, exc):
    if t._seen():
        return
    try:
        loop.call_exception_handler({"message": "Task exception wasn't retrieved", "exception": exc, "future": t})
    except Exception as e:  # a failing handler must not re-enter itself
        print("exception handler failed:", file=sys.stderr)
        print_exception(e, sys.stderr)


_loop = Loop()


def get_event_loop(runq_len=0, waitq_len=0):
    return _loop


def get_running_loop():
    if core._K is None or core._K is not _loop._k:
        raise RuntimeError("no running event loop")
    return _loop


def new_event_loop():
    """Reset the loop: a new kernel, no tasks, default exception handler.
    Called by a running task (aiorepl does, to end asyncio.run), the run goes
    on as it would and the reset follows when it is over."""
    global _loop
    if _loop.is_running():
        _loop._renew = True
        return _loop
    _loop.close()
    _loop = Loop()
    return _loop


def set_event_loop(loop):
    global _loop
    if not isinstance(loop, Loop):
        raise TypeError("set_event_loop needs a Loop, got %r" % (loop,))
    _loop = loop


def run_until_complete(aw):
    return _loop.run_until_complete(aw)


def run(coro):
    """asyncio.run(): run `coro` as the main task and return its result.
    Tasks it leaves running are cancelled and run to their end on any exit,
    also when an exception (Ctrl-C) escapes the loop."""
    if not is_coro(coro):
        raise TypeError("run() needs a coroutine, got %r" % (coro,))
    loop = _loop  # new_event_loop() during the run replaces _loop only at its end
    t = create_task(coro)
    loop._kernel().detached.drop(t)
    try:
        loop._run(t, False)
    except BaseException:
        _cancel_all(loop, t)  # an exception escaped the loop (Ctrl-C...): clean up first
        raise
    finally:
        if loop._executor is not None:  # run_in_executor's threads (CPython)
            from ._cpython import shutdown_executor
            shutdown_executor(loop)
        loop._renew_if_asked()
    return t.result()


def _cancel_all(loop, main):
    # CPython's asyncio.run() on any exit: cancel every task left, the main
    # one too, and run them to their end, so no task of this run() survives
    # into the next one. The loop's own ending (main done: cancel the
    # detached tasks and wait for them) does the rest.
    if main.state != DONE:
        main.cancel()
    loop._run(main, False)
