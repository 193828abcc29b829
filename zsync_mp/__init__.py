# zsync_mp: structured async for MicroPython and CPython.
# `import zsync_mp as zs`; see README.md for the API and DESIGN.md for the rules.
from ._kernel import Cancelled, current_task
from ._task import Task, spawn
from ._loop import run
from ._time import sleep, sleep_ms, yield_now, ticks_ms, ticks_add, ticks_diff
from ._clock import RealClock, VirtualClock
from ._cancel import (
    CancelScope,
    CancelToken,
    TimeoutError,
    move_on_after,
    move_on_at,
    fail_after,
    fail_at,
)
from ._group import TaskGroup, TaskGroupError
from ._sync import Event, Flag, Lock, Semaphore, BoundedSemaphore, Condition, Barrier, BrokenBarrierError
from ._channel import channel, select, Sender, Receiver, ChannelClosed, WouldBlock
from ._io import BlockingIo, FiberIo, AsyncIo
from ._fiber import fiber
from ._stream import Stream, Server, open_connection, start_server, wait_readable, wait_writable
from ._irq import irq_guard


def dump(file=None, stacks=True, times=True):
    """Print the running loop's task tree (see zsync_mp.trace.dump)."""
    from .trace import dump as _dump  # loaded only when used

    _dump(file, stacks, times)


__version__ = "0.1.0"
