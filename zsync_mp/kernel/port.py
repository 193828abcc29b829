# zsync_mp.kernel.port: the one place that knows which interpreter we run on.
#
# Everything else in zsync_mp is portable Python and imports what differs from
# here: ticks arithmetic, the poller, const(), the exception bases and whether
# the heap can be locked. Nothing here is called from an interrupt.
import sys

MICROPYTHON = sys.implementation.name == "micropython"
# CPython: the kernel's general awaitable completes through a generator per
# await (a generator's return is cheap there, a StopIteration raised from
# __next__ costs ~1 µs); MicroPython keeps the preallocated iterator (no
# allocation per await).
AWAIT_GENERATOR = not MICROPYTHON

# Ticks wrap like a board's (2^30) so wrap bugs show on the host too.
TICKS_PERIOD = 1 << 30
TICKS_MAX = TICKS_PERIOD - 1
TICKS_HALF = TICKS_PERIOD // 2

POLLIN = 1
POLLOUT = 4
POLLERR = 8
POLLHUP = 16

if MICROPYTHON:
    from micropython import const
    import time as _time
    import select as _select

    ticks_ms = _time.ticks_ms
    ticks_us = _time.ticks_us
    ticks_add = _time.ticks_add
    ticks_diff = _time.ticks_diff
    sleep_ms = _time.sleep_ms
    # zsync_mp.trace's raw clock: ticks_us itself (TRACE_PER_US raw units a µs).
    trace_clock = _time.ticks_us
    TRACE_PER_US = 1

    def trace_us(raw):
        return raw

    class TimeoutBase(Exception):
        pass

    try:
        TimeoutBase = TimeoutError
    except NameError:
        pass

    class GroupBase(Exception):
        # The shape of CPython's ExceptionGroup: (message, exceptions). The
        # sub-exceptions are named in the text too: MicroPython prints an
        # uncaught exception's args, and a board's console would otherwise
        # show "unhandled errors" without saying which.
        def __init__(self, message, exceptions):
            self.message = message
            self.exceptions = tuple(exceptions)
            n = len(self.exceptions)
            try:
                text = "%s (%d sub-exception%s)" % (message, n, "" if n == 1 else "s")
                for e in self.exceptions[:3]:
                    text += "\n  %s: %s" % (type(e).__name__, e)
                if n > 3:
                    text += "\n  ... and %d more" % (n - 3)
            except MemoryError:  # a nearly full heap: the bare message
                text = message
            super().__init__(text)

        def __str__(self):
            return self.args[0]
    print_exception = sys.print_exception

    def new_poller():
        return _select.poll()

    def ipoll(poller, timeout):
        return poller.ipoll(timeout)

    def notify():
        # An interrupt wakes poll()'s idle loop by itself on MicroPython.
        pass

else:
    # CPython's versions live apart, so MicroPython never compiles them.
    from ._cpython import (  # noqa: F401 (this module is where the kernel finds them)
        const,
        ticks_ms,
        ticks_us,
        ticks_add,
        ticks_diff,
        sleep_ms,
        trace_clock,
        TRACE_PER_US,
        trace_us,
        TimeoutBase,
        GroupBase,
        print_exception,
        notify,
        new_poller,
        ipoll,
    )

# MicroPython's select.poll on a POSIX host (the unix port) sleeps 1 ms per
# call, even with timeout 0, whenever a pure-Python pollable (an io.IOBase
# subclass: Flag, a simulated UART) is registered. There the kernel polls
# those objects itself through ioctl (_poll.py); on a board, select.poll
# handles them and waits for an interrupt.
SOFT_POLL = MICROPYTHON and sys.platform in ("linux", "darwin")


def is_soft(obj):
    # A pure-Python pollable (MicroPython's stream protocol in Python).
    import io

    return isinstance(obj, io.IOBase)


def _getenv(name):
    # The environment on the host and the unix port; None on a board.
    try:
        import os

        return os.getenv(name)
    except (ImportError, AttributeError):
        return None


def env_seed():
    v = _getenv("ZSYNC_SEED")
    return int(v) if v else None


def env_flag(name):
    return _getenv(name) == "1"


# awaitable_gen: makes a generator function's generators awaitable (`await
# g`), for an awaitable made ahead of the await that must not warn "never
# awaited" on CPython if it is dropped unused (TaskGroup's exit).
if MICROPYTHON:
    CORO_TYPE = type((lambda: (yield))())  # async def functions make generators

    def awaitable_gen(f):
        return f  # a generator is awaitable here
else:
    import types as _types

    CORO_TYPE = _types.CoroutineType
    awaitable_gen = _types.coroutine


def is_coro(x):
    return isinstance(x, CORO_TYPE)


# The C Task (native/modzsync_core.c) where the firmware has it, unless
# ZSYNC_NO_CORE=1 asks for the pure-Python one (to compare the two).
native = None
if not env_flag("ZSYNC_NO_CORE"):
    try:
        import _zsync_core as native
    except ImportError:
        pass


def native_task(cls, base=None):
    # The Task class to use: `cls` itself, or its C twin (same methods and
    # class defaults, one dict) when _zsync_core is there.
    return cls if native is None else native.task_type(cls, base)


def native_op(cls, parked, kernel_globals):
    # The kernel's general awaitable class: `cls`, or its C twin that returns
    # an await's value without allocating a StopIteration (it reads _cur and
    # pending from the kernel's globals, as cls.__next__ does).
    return cls if native is None else native.op_type(cls, parked, kernel_globals)
