# zsync_mp.asyncio._cpython: the pieces of CPython's asyncio that
# MicroPython code (microdot...) uses when it runs on CPython, and the error
# for the rest.
#
# - run_in_executor runs func in a thread (concurrent.futures); the thread's
#   end sets a ThreadSafeFlag (zsync_mp.Flag: its set() wakes the loop from
#   another thread). The default executor is made on first use and shut down
#   by asyncio.run(), as CPython does. Ports without threads get a
#   NotImplementedError naming what is missing.
# - A name of CPython's asyncio that this layer lacks raises NotProvided: an
#   AttributeError (so hasattr()/getattr(..., None) feature tests still
#   work) with a message naming it; on CPython it is a NotImplementedError too.
from ..sync.primitives import Flag
from ..kernel.port import is_coro
from ..kernel.core import Cancelled

try:
    class NotProvided(AttributeError, NotImplementedError):
        pass
except TypeError:  # MicroPython: one native exception base only
    class NotProvided(AttributeError):
        pass


def missing(what):
    return NotProvided("%s is CPython asyncio API that zsync_mp.asyncio does not provide (README: asyncio API coverage)" % what)


def iscoroutinefunction(f):
    """True for an `async def` function (on MicroPython, whose async
    functions are generator functions, for any generator function)."""
    try:
        from inspect import iscoroutinefunction as isc
    except ImportError:
        return type(f).__name__ == "generator"
    return isc(f)


def iscoroutine(obj):
    return is_coro(obj)


def _executor(loop):
    ex = loop._executor
    if ex is None:
        try:
            from concurrent.futures import ThreadPoolExecutor
        except ImportError:
            raise NotImplementedError("run_in_executor needs threads (concurrent.futures), which this interpreter lacks") from None
        ex = loop._executor = ThreadPoolExecutor(thread_name_prefix="asyncio")
    return ex


def run_in_executor(loop, executor, func, args):
    # Submitted now, as in CPython; the loop wraps the returned coroutine
    # (which waits for the thread) in a Task.
    if not callable(func):
        raise TypeError("run_in_executor needs a callable, got %r" % (func,))
    ex = _executor(loop) if executor is None else executor
    return _wait(ex.submit(func, *args))


async def _wait(fut):
    flag = Flag()
    fut.add_done_callback(lambda f: flag.set())
    try:
        await flag.wait()
    except Cancelled:  # asyncio's CancelledError included
        fut.cancel()  # a thread already running finishes anyway (CPython too)
        raise
    return fut.result()


def shutdown_executor(loop):
    # asyncio.run()'s end: wait for the default executor's threads.
    ex = loop._executor
    if ex is not None:
        loop._executor = None
        ex.shutdown(wait=True)
