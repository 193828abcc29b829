# zsync_mp.asyncio._group: CPython's asyncio.TaskGroup on zsync_mp's
# TaskGroup: create_task() returns an asyncio Task; the first failure cancels
# the rest; failures come out as an ExceptionGroup (zsync_mp.TaskGroupError).
from .. import _group
from ._core import Task


def _cancel(t):
    t.cancel()


class TaskGroup(_group.TaskGroup):
    _task_cls = Task
    _aborting = False

    def _forward(self):
        # The owner was cancelled: cancel every child once (asyncio's
        # TaskGroup._abort); an asyncio task's cancel() is its own, so the
        # children do not see the owner's through their scope chain.
        if not self._aborting:
            self._aborting = True
            self._kids.each(_cancel)

    def create_task(self, coro, *, name=None):
        return self.spawn(coro, name=name)
