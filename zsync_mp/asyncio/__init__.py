# zsync_mp.asyncio: MicroPython's asyncio API (plus Queue, Semaphore,
# TaskGroup and timeout from CPython's, and the CPython pieces MicroPython
# code uses there: run_in_executor, serve_forever...) running on the
# zsync_mp kernel. Existing asyncio code runs unchanged with
# `import zsync_mp.asyncio as asyncio`. See _core.py for how tasks,
# cancellation and the loop map onto the kernel; README's "asyncio API
# coverage" table lists every name.
from ..scopes.cancel import TimeoutError
from ..sync.primitives import Flag as ThreadSafeFlag
from ..io.stream import Stream
from ..io.net import open_connection
from ._streams import Server, start_server
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
from ._cpython import iscoroutinefunction, iscoroutine

__version__ = (3, 0, 0)  # MicroPython asyncio's API version
StreamReader = Stream
StreamWriter = Stream


# CPython's asyncio names this layer lacks: an error that names them (an
# AttributeError, so feature tests with hasattr() keep working).
def __getattr__(name):
    if name.startswith("_"):  # __all__, __path__...: Python's own probes
        raise AttributeError(name)
    from ._cpython import missing

    raise missing("asyncio." + name)


# `from zsync_mp.asyncio import *` reads this (MicroPython would otherwise
# ask __getattr__ for it).
__all__ = [n for n in globals() if not n.startswith("_")]
