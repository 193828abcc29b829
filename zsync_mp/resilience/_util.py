# zsync_mp.resilience._util: argument checks and a preallocated done-awaitable
# shared by the resilience modules.
#
# Contract: every check raises TypeError or ValueError naming the argument and
# the bad value; nothing here allocates on the success path. Not IRQ-safe.


def check_int(name, v, lo=0, none_ok=False):
    # An int (not bool) >= lo; None too when none_ok.
    if v is None and none_ok:
        return v
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError("%s must be an int%s, got %r" % (name, " or None" if none_ok else "", v))
    if v < lo:
        raise ValueError("%s must be >= %d, got %r" % (name, lo, v))
    return v


def check_num(name, v, lo, hi=None):
    # An int or float (not bool) in [lo, hi].
    if not isinstance(v, (int, float)) or isinstance(v, bool):
        raise TypeError("%s must be a number, got %r" % (name, v))
    if v != v or v < lo or (hi is not None and v > hi):
        if hi is None:
            raise ValueError("%s must be >= %s, got %r" % (name, lo, v))
        raise ValueError("%s must be between %s and %s, got %r" % (name, lo, hi, v))
    return v


def check_callable(name, v):
    if not callable(v):
        raise TypeError("%s must be callable, got %r" % (name, v))
    return v


def check_excs(name, v):
    # An exception class or a tuple of them; returned as a tuple.
    if isinstance(v, type):
        v = (v,)
    if not isinstance(v, tuple) or not v:
        raise TypeError("%s must be an exception class or a non-empty tuple of them, got %r" % (name, v))
    for e in v:
        if not isinstance(e, type) or not issubclass(e, BaseException):
            raise TypeError("%s must hold exception classes, got %r" % (name, e))
    return v


def is_awaitable(r):
    # A coroutine (a generator on MicroPython) to await, or a plain value.
    return hasattr(r, "send") and hasattr(r, "throw")


# An awaitable that completes at once with None, allocation-free (the kernel's).
from ..kernel.core import _DONE as DONE  # noqa: E402,F401 (the resilience modules import it from here; after the helpers above)

