# zsync_mp.asyncio: MicroPython's asyncio API (plus Queue, Semaphore,
# TaskGroup and timeout from CPython's) running on the zsync_mp kernel.
# Existing asyncio code runs unchanged with `import zsync_mp.asyncio as asyncio`.
# See _core.py for how tasks, cancellation and the loop map onto the kernel.
from .._cancel import TimeoutError
from .._sync import Flag as ThreadSafeFlag
from .._stream import Stream, Server, open_connection, start_server
from ._core import (
    Task,
    CancelledError,
    Loop,
    create_task,
    ensure_future,
    current_task,
    sleep,
    sleep_ms,
    get_event_loop,
    get_running_loop,
    new_event_loop,
    set_event_loop,
    run,
    run_until_complete,
)
from ._funcs import wait_for, wait_for_ms, gather, timeout
from ._sync import Event, Lock, Semaphore, BoundedSemaphore, Condition, Queue, QueueEmpty, QueueFull
from ._group import TaskGroup

StreamReader = Stream
StreamWriter = Stream
