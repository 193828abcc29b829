# zsync_mp.asyncio._group: CPython's asyncio.TaskGroup on zsync_mp's
# TaskGroup: create_task() returns an asyncio Task; failures come out as an
# ExceptionGroup (zsync_mp.TaskGroupError). The first failure aborts the
# group as CPython's does, one round later (its done callback runs with
# call_soon): every task left is cancel()ed once, and so is the owner, whose
# CancelledError the group takes back at its exit (uncancel()). Nothing is
# cancelled through scopes: a nested group reacts to its own owner's
# CancelledError, as in asyncio.
from ..scopes import group as _group
from ._core import Task, create_task


def _cancel(t):
    t.cancel()


async def _abort_soon(g):
    # CPython's TaskGroup._abort, run one round after the failure.
    g._kids.each(_cancel)
    o = g._scope._owner
    if g._state != _group._CLOSED and o._cancel_once and not o.cancelling():
        g._owner_cancelled = True
        o.cancel()


class TaskGroup(_group.TaskGroup):
    _task_cls = Task
    _aborting = False
    _owner_cancelled = False  # our abort cancel()ed the owner: uncancel() at exit
    _exit_yields = False  # CPython's TaskGroup exit does not yield when no task is left

    def _abort(self):
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

    async def __aexit__(self, et, ev, tb):
        try:
            return await _group.TaskGroup.__aexit__(self, et, ev, tb)
        finally:
            if self._owner_cancelled:
                self._owner_cancelled = False
                self._scope._owner.uncancel()

    def create_task(self, coro, *, name=None):
        return self.spawn(coro, name=name)
