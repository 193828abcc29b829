# zsync_mp.asyncio: MicroPython's asyncio API (plus Queue, Semaphore,
# TaskGroup and timeout from CPython's, and the CPython pieces MicroPython
# code uses there: run_in_executor, serve_forever...) running on the
# zsync_mp kernel. Existing asyncio code runs unchanged with
# `import zsync_mp.asyncio as asyncio`. See _core.py for how tasks,
# cancellation and the loop map onto the kernel; README's "asyncio API
# coverage" table lists every name.
from ..scopes.cancel import TimeoutError
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

__version__ = (3, 0, 0)  # MicroPython asyncio's API version

# The rest loads on first use of its name, as MicroPython's asyncio loads
# its funcs, event, lock and stream modules: an app pays heap only for what
# it names (`import zsync_mp.asyncio` took 110,912 B from source on the
# PyPI unix port with everything loaded). Name -> (module, its name there).
_LAZY = {
    "ThreadSafeFlag": ("zsync_mp.sync.primitives", "Flag"),
    "Stream": ("zsync_mp.io.stream", "Stream"),
    "StreamReader": ("zsync_mp.io.stream", "Stream"),
    "StreamWriter": ("zsync_mp.io.stream", "Stream"),
    "open_connection": ("zsync_mp.io.net", "open_connection"),
    "Server": ("zsync_mp.asyncio._streams", "Server"),
    "start_server": ("zsync_mp.asyncio._streams", "start_server"),
    "wait_for": ("zsync_mp.asyncio._funcs", "wait_for"),
    "wait_for_ms": ("zsync_mp.asyncio._funcs", "wait_for_ms"),
    "gather": ("zsync_mp.asyncio._funcs", "gather"),
    "timeout": ("zsync_mp.asyncio._funcs", "timeout"),
    "Event": ("zsync_mp.asyncio._sync", "Event"),
    "Lock": ("zsync_mp.asyncio._sync", "Lock"),
    "Semaphore": ("zsync_mp.asyncio._sync", "Semaphore"),
    "BoundedSemaphore": ("zsync_mp.asyncio._sync", "BoundedSemaphore"),
    "Condition": ("zsync_mp.asyncio._sync", "Condition"),
    "Queue": ("zsync_mp.asyncio._sync", "Queue"),
    "QueueEmpty": ("zsync_mp.asyncio._sync", "QueueEmpty"),
    "QueueFull": ("zsync_mp.asyncio._sync", "QueueFull"),
    "TaskGroup": ("zsync_mp.asyncio._group", "TaskGroup"),
    "iscoroutinefunction": ("zsync_mp.asyncio._cpython", "iscoroutinefunction"),
    "iscoroutine": ("zsync_mp.asyncio._cpython", "iscoroutine"),
}


def __getattr__(name):
    where = _LAZY.get(name)
    if where is not None:
        v = getattr(__import__(where[0], None, None, ("_",)), where[1])
        globals()[name] = v  # the next use is a plain global
        return v
    # CPython's asyncio names this layer lacks: an error that names them (an
    # AttributeError, so feature tests with hasattr() keep working).
    if name.startswith("_"):  # __all__, __path__...: Python's own probes
        raise AttributeError(name)
    from ._cpython import missing

    raise missing("asyncio." + name)


# `from zsync_mp.asyncio import *` reads this (MicroPython would otherwise
# ask __getattr__ for it); it loads the lazy names too.
__all__ = [n for n in globals() if not n.startswith("_")] + list(_LAZY)
