# _simmicropython: the simulated board's `micropython` module.
#
# Contract
# - The interpreter's own `micropython` (every public name, the same objects)
#   plus what ESP32 and STM32 builds have and the unix port lacks:
#   alloc_emergency_exception_buf(size), the call MicroPython's ISR rules ask
#   for. As on a board it takes `size` bytes of the heap and keeps them until
#   the next call (size <= 0 takes none); a size that is not an int raises
#   TypeError.
# - install() makes `import micropython` find this module (through
#   sys.modules: a file cannot shadow a built-in module). The virtual board's
#   boot script and zsync_mp_host/_run_boot.py (`zsync-mp run` on MicroPython)
#   call it before the app runs. It does nothing where the interpreter's own
#   module has the call (a firmware).
from micropython import *  # noqa: F403

_buf = None


def alloc_emergency_exception_buf(size):
    global _buf
    if not isinstance(size, int):
        raise TypeError("alloc_emergency_exception_buf: size must be an int, got %s" % type(size).__name__)
    _buf = None
    _buf = bytearray(size) if size > 0 else None


def install():
    import sys
    import micropython

    if not hasattr(micropython, "alloc_emergency_exception_buf"):
        sys.modules["micropython"] = sys.modules[__name__]
