# zsync_mp.asyncio._funcs: wait_for, wait_for_ms, gather, timeout.
#
# wait_for runs the awaitable as its own task (asyncio's rule), plus a runner
# task that awaits it and interrupts the caller's timed sleep with _Done when
# it ends (MicroPython's scheduling, step for step). On timeout the task is
# cancelled and awaited, then TimeoutError; if the caller is cancelled, the
# task is cancelled and CancelledError raised, even if the task ignores it. gather waits for its tasks with a
# done-callback count, so the first failure is raised the moment it happens
# while the other tasks keep running (asyncio's rule).
from ..kernel import core
from ..kernel import timing as _time
from ..kernel.core import DONE, SLEEPING, RETURNED, CANCELLED
from ..kernel.deliver import throw
from ..scopes.cancel import Deadline, TimeoutError
from ..sync.primitives import Event
from ._core import _promote, _ms, CancelledError, create_task, current_task


class _Done(BaseException):
    # Thrown into wait_for's sleep by its runner: the awaitable has ended.
    pass


async def _runner(waiter, t, box):
    try:
        box[1] = await t
        box[0] = 1
    except BaseException as e:  # noqa: B902 (handed to the waiter)
        box[0] = 2
        box[1] = e
    if waiter.state == SLEEPING:  # still in its timed sleep
        throw(waiter, _Done())


async def _wait_for(aw, ms):
    t = _promote(aw)
    if ms is None:
        return await t
    box = [0, None]
    r = create_task(_runner(core.current_task(), t, box))
    try:
        await _time.sleep_ms(ms)
    except _Done:
        if box[0] == 1:
            return box[1]
        raise box[1]
    except CancelledError:
        r.cancel()  # cancels t too: r is awaiting it
        raise
    # The timeout passed first.
    r.cancel()
    await r
    raise TimeoutError()


def wait_for(aw, timeout):
    """Wait for `aw` at most `timeout` seconds (None: no limit); on timeout
    cancel it and raise TimeoutError. A checkpoint."""
    return _wait_for(aw, None if timeout is None else _ms(timeout))


def wait_for_ms(aw, timeout):
    if not isinstance(timeout, int) or isinstance(timeout, bool):
        raise TypeError("wait_for_ms needs an int timeout in ms, got %r" % (timeout,))
    return _wait_for(aw, timeout if timeout > 0 else 0)


class _Gather:
    # Counts finished tasks; wakes the gatherer when all are done or one
    # fails (unless failures are results).
    def __init__(self, n, return_exceptions):
        self.left = n
        self.rexc = return_exceptions
        self.failed = None
        self.ev = Event()

    def done(self, t):
        t._mark_seen()  # the gather reports it (asyncio's rule)
        self.left -= 1
        if t._out() != RETURNED and not self.rexc and self.failed is None:
            self.failed = t
            self.ev.set()
        if self.left == 0:
            self.ev.set()


async def _gather(tasks, return_exceptions):
    if not tasks:
        return []
    g = _Gather(len(tasks), return_exceptions)
    for t in tasks:
        if t.state == DONE:
            g.done(t)
        else:
            t._on_done = g.done
    try:
        await g.ev.wait()
    except CancelledError:
        for t in tasks:
            t._on_done = None
            t.cancel()
        raise
    for t in tasks:
        t._on_done = None
    if g.failed is not None:
        return g.failed.result()  # raises its exception
    res = []
    for t in tasks:
        if t._out() == RETURNED or not return_exceptions:
            res.append(t.result())
        elif t._out() == CANCELLED:
            t._mark_seen()
            res.append(CancelledError())
        else:
            res.append(t.exception())
    return res


def gather(*aws, return_exceptions=False):
    """Run the awaitables as tasks and return their results in order. The
    first exception is raised at once (the others keep running) unless
    return_exceptions=True. Cancelling the gather cancels them all."""
    tasks = [_promote(a) for a in aws]
    return _gather(tasks, return_exceptions)


_ENTERED = 1
_EXPIRING = 2  # the deadline passed: the task was cancel()ed once
_EXPIRED = 3
_EXITED = 4


class timeout(Deadline):
    """async with asyncio.timeout(seconds): ... (None: no limit). At the
    deadline the task is cancel()ed once, as in CPython: if that
    CancelledError leaves the block it becomes TimeoutError; code that
    catches it goes on and the block ends normally. expired() tells."""

    def __init__(self, delay):
        self._ms = None if delay is None else _ms(delay)
        self._task = None
        self._state = 0
        self._cancelling = 0

    async def __aenter__(self):
        if self._state:
            raise RuntimeError("this asyncio.timeout() was already entered")
        t = current_task()
        self._task = t
        self._state = _ENTERED
        self._cancelling = t.cancelling()
        if self._ms is not None:
            c = core.kernel().clock
            self._set_timer(c.add(c.now(), self._ms + c.slack))
        return self

    async def __aexit__(self, et, ev, tb):
        self._disarm()
        if self._state == _EXPIRING:
            self._state = _EXPIRED
            # Ours unless someone else cancel()ed the task meanwhile (CPython's rule).
            if self._task.uncancel() <= self._cancelling and et is not None and issubclass(et, CancelledError):
                raise TimeoutError()
        else:
            self._state = _EXITED
        return False

    def _due(self):
        self._disarm()
        self._state = _EXPIRING
        self._task.cancel()

    def expired(self):
        return self._state == _EXPIRING or self._state == _EXPIRED
