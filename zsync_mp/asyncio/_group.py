# zsync_mp.asyncio._group: CPython's asyncio.TaskGroup on zsync_mp's
# TaskGroup: create_task() returns an asyncio Task; the first failure cancels
# the rest; failures come out as an ExceptionGroup (zsync_mp.TaskGroupError).
from .. import _group
from ._core import Task


class TaskGroup(_group.TaskGroup):
    _task_cls = Task

    def create_task(self, coro, *, name=None):
        return self.spawn(coro, name=name)
