# zsync_mp.asyncio._group: CPython's asyncio.TaskGroup on zsync_mp's
# TaskGroup: create_task() returns an asyncio Task; the first failure cancels
# the rest; failures come out as an ExceptionGroup (zsync_mp.TaskGroupError).
from .. import _group
from ._core import Task, create_task
from .._kernel import READY, THROW
from .._deliver import KICKED


def _cancel(t):
    t.cancel()


async def _abort_soon(g):
    # CPython's TaskGroup._abort: cancel() each task left (a woken one gets
    # CancelledError instead of its wake-up), and the body.
    g._kids.each(_cancel)
    g._scope.cancel()
    o = g._scope._owner
    if o.state == READY and g._state == _group._OPEN:
        # The owner was woken in the body (an Event set meanwhile): as
        # asyncio's cancel() does, the cancellation replaces that wake-up.
        o.state = THROW
        o.data = KICKED


class TaskGroup(_group.TaskGroup):
    _task_cls = Task
    _aborting = False
    _exit_yields = False  # CPython's TaskGroup exit does not yield when no task is left

    def _abort(self):
        # CPython learns of a failed child through its done callback, which
        # the loop runs with call_soon: the body and the siblings finish the
        # step they are resuming first. A task that cancels the group when
        # it runs is that callback (tests/diff_aio_group_abort.py).
        try:
            create_task(_abort_soon(self))
        except MemoryError:  # heap locked: cancel now rather than never
            self._scope.cancel()

    def _forward(self):
        # The owner was cancelled: cancel every child once (asyncio's
        # TaskGroup._abort); an asyncio task's cancel() is its own, so the
        # children do not see the owner's through their scope chain.
        if not self._aborting:
            self._aborting = True
            self._kids.each(_cancel)

    def create_task(self, coro, *, name=None):
        return self.spawn(coro, name=name)
