# zsync_mp.kernel._cpython: what port.py gives the kernel on CPython.
# zsync-mp: host-only (never frozen, deployed or installed by mip)
#
# Ticks, the poller, the exception bases. Apart from port.py so MicroPython,
# which never runs it, does not compile it: every name in a module loaded
# from source costs heap and a qstr, and every runtime qstr slows each new
# str an app makes (a linear search, see bench/cg_microdot.py).
import sys
import os as _os
import time as _time
import select as _select
import traceback as _tb

# port.py's values (this module may not import port.py, which imports it:
# tests/test_layers.py checks both the cycle rule and that these agree).
TICKS_MAX = (1 << 30) - 1
TICKS_HALF = 1 << 29
POLLIN = 1


def const(x):
    return x


_t0 = _time.monotonic_ns()


def ticks_ms():
    return ((_time.monotonic_ns() - _t0) // 1000000) & TICKS_MAX


def ticks_us():
    return ((_time.monotonic_ns() - _t0) // 1000) & TICKS_MAX


def ticks_add(t, d):
    return (t + d) & TICKS_MAX


# zsync_mp.trace's raw clock: a C call (ticks_us is Python here, too slow
# per switch); trace_us() makes ticks_us of a raw reading.
trace_clock = _time.monotonic_ns
TRACE_PER_US = 1000


def trace_us(raw):
    return ((raw - _t0) // 1000) & TICKS_MAX


def ticks_diff(a, b):
    return ((a - b + TICKS_HALF) & TICKS_MAX) - TICKS_HALF


def sleep_ms(ms):
    _time.sleep(ms / 1000)


TimeoutBase = TimeoutError
GroupBase = ExceptionGroup


def print_exception(e, file=None):
    _tb.print_exception(type(e), e, e.__traceback__, file=file or sys.stderr)


_wake_r, _wake_w = _os.pipe()
_os.set_blocking(_wake_r, False)
_os.set_blocking(_wake_w, False)


def notify():
    # Wake a kernel sleeping in poll(): Flag.set() from another thread.
    try:
        _os.write(_wake_w, b"!")
    except BlockingIOError:
        pass


def _fd(obj):
    # A real file descriptor, or None for a pure-Python pollable.
    if isinstance(obj, int):
        return obj
    try:
        return obj.fileno()
    except (AttributeError, OSError, ValueError):  # io.UnsupportedOperation is both
        return None


class _Poller:
    # select.poll for objects with fileno(); MicroPython's ioctl(3, mask)
    # stream-poll protocol for pure-Python objects (Flag, simulated UART).
    def __init__(self):
        self.p = _select.poll()
        self.p.register(_wake_r, POLLIN)
        self.soft = {}
        self.fds = {}

    def register(self, obj, mask=POLLIN):
        fd = _fd(obj)
        if fd is not None:
            self.fds[fd] = obj
            self.p.register(fd, mask)
        else:
            self.soft[id(obj)] = [obj, mask]

    def modify(self, obj, mask):
        fd = _fd(obj)
        if fd is not None:
            self.p.modify(fd, mask)
        else:
            self.soft[id(obj)][1] = mask

    def unregister(self, obj):
        fd = _fd(obj)
        if fd is not None:
            self.fds.pop(fd, None)
            try:
                self.p.unregister(fd)
            except (KeyError, ValueError):
                pass
        else:
            self.soft.pop(id(obj), None)

    def ipoll(self, timeout):
        ready = [(o, o.ioctl(3, m)) for o, m in self.soft.values() if m]
        ready = [r for r in ready if r[1]]
        if ready:
            timeout = 0
        for fd, ev in self.p.poll(timeout):
            if fd == _wake_r:
                try:
                    _os.read(_wake_r, 512)
                except BlockingIOError:
                    pass
                continue
            ready.append((self.fds[fd], ev))
        if not ready and timeout:
            ready = [(o, o.ioctl(3, m)) for o, m in self.soft.values() if m]
            ready = [r for r in ready if r[1]]
        return ready


def new_poller():
    return _Poller()


def ipoll(poller, timeout):
    return poller.ipoll(timeout)
