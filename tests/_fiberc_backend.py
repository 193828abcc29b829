# Shared by tests/fiberc_*.py: the fiber backend under test, or SKIP.
# MicroPython firmware built with native/ has _zsync_fiber; CPython uses the
# greenlet backend (same contract, its output is the expected trace); a
# MicroPython without the module (the PyPI binary) prints SKIP.
import sys

try:
    import _zsync_fiber as F
except ImportError:
    try:
        from zsync_mp.io import greenfiber as F
    except ImportError:
        F = None

MICROPYTHON = sys.implementation.name == "micropython"
NATIVE = F is not None and F.__name__ == "_zsync_fiber"


# Print SKIP and stop when there is no backend (or `need_native` and not C).
def require(need_native=False):
    if F is None or (need_native and not NATIVE):
        print("SKIP")
        raise SystemExit(0)
    return F


# "Type: message" of an exception, for traces.
def describe(e):
    return "%s: %s" % (type(e).__name__, e)
