# zsync_mp: structured async for MicroPython and CPython.
# `import zsync_mp as zs`; see README.md for the API and DESIGN.md for the
# layers. Importing it loads the core (kernel, scopes); the rest (sync
# primitives and channels, Io classes, fibers, streams, board support,
# tracing) loads on first use of its name, as MicroPython's asyncio does: a
# board pays only for what the app touches.
from .kernel.core import Cancelled, current_task
from .kernel.task import Task, spawn
from .kernel.loop import run
from .kernel.timing import sleep, sleep_ms, yield_now, ticks_ms, ticks_add, ticks_diff
from .kernel.clock import RealClock, VirtualClock
from .scopes.cancel import (
    CancelScope,
    CancelToken,
    TimeoutError,
    move_on_after,
    move_on_at,
    fail_after,
    fail_at,
)
from .scopes.group import TaskGroup, TaskGroupError

__version__ = "0.1.0"

# Name -> the module (under zsync_mp) that defines it.
_LAZY = {
    # The sync layer, as MicroPython's asyncio loads Event and Lock: an app
    # pays for primitives (~9 KB of heap) and channels (~9 KB more) when it
    # first names one.
    "Event": "sync.primitives",
    "Flag": "sync.primitives",
    "Lock": "sync.primitives",
    "Semaphore": "sync.primitives",
    "BoundedSemaphore": "sync.primitives",
    "Condition": "sync.primitives",
    "Barrier": "sync.primitives",
    "channel": "sync.channel",
    "select": "sync.channel",
    "Sender": "sync.channel",
    "Receiver": "sync.channel",
    "ChannelClosed": "sync.channel",
    "WouldBlock": "sync.channel",
    "BlockingIo": "io.colorblind",
    "FiberIo": "io.colorblind",
    "AsyncIo": "io.colorblind",
    "fiber": "io.fiber",
    "Stream": "io.stream",
    "Server": "io.net",
    "open_connection": "io.net",
    "start_server": "io.net",
    "wait_readable": "io.stream",
    "wait_writable": "io.stream",
    "irq_guard": "board.irq",
    "dump": "trace",
}
# The public submodules reached as zs.<name> (or `from zsync_mp import <name>`).
_MODULES = {
    "trace": "trace",
    "idle": "board.idle",
    "watchdog": "board.watchdog",
    "metrics": "board.metrics",
    "sim": "sim",
    "asyncio": "asyncio",
    "resilience": "resilience",
}


def __getattr__(name):
    where = _MODULES.get(name)
    if where is not None:
        v = __import__("zsync_mp." + where, None, None, ("_",))
    else:
        where = _LAZY.get(name)
        if where is None:
            raise AttributeError("module 'zsync_mp' has no attribute '%s'" % name)
        v = getattr(__import__("zsync_mp." + where, None, None, ("_",)), name)
    globals()[name] = v  # the next use is a plain global
    return v
