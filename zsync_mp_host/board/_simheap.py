# _simheap: the board's heap on the MicroPython unix port (board file
# "heap_kb"; the host side is zsync_mp_host/_heap.py).
#
# Contract
# - reserve(n): called once at start-up (virtual board boot, `zsync-mp run`
#   boot) before the program runs; holds every free byte of the heap but n
#   (env ZSYNC_HEAP: the board's heap already scaled to 64-bit) in a pad, so
#   the program meets MemoryError where the board would.
# - lend() / give_back(loan): the simulated `machine` runs between them while
#   it loads. On a board `machine` is C in flash and costs no heap; here it is
#   Python, so the pad makes room for it and then takes back all but what the
#   program had free before: the program's free heap is the same after
#   `import machine` as before it, in the same places (its free bytes are
#   held while `machine` loads, so `machine` does not fill the program's
#   holes and leave its own scattered among them).
# - A heap in more holes than a pad has pieces (_SLOTS) raises RuntimeError
#   saying so: the program would otherwise get more heap than the board.
# - Anywhere but the unix port (CPython has no gc.mem_free; WebAssembly grows
#   its heap on demand) every function does nothing: the heap is not modelled.
import gc
import sys

_SLOTS = 2048  # pieces a pad may take (give_back took up to 367, `make sim`)
_pad = [None] * _SLOTS  # preallocated: filling it must not allocate a bigger list
_own = [None] * _SLOTS  # the program's free bytes while `machine` loads (lend)
_active = []  # [True] once reserve() ran: the heap is modelled
_on = sys.implementation.name == "micropython" and sys.platform != "webassembly" and hasattr(gc, "mem_free")


# Hold free heap until only `free` bytes are left, in as few blocks as the
# heap allows (it may be fragmented: the chunks halve until they fit). The
# `free` bytes are left in as big a piece as the heap has, as a board's heap
# is after boot: a placeholder takes the biggest piece up to `free` (first
# fit: the lowest that fits), the pad fills everything else but the rest of
# `free`, then the placeholder goes. Without it the bytes left were the
# holes the chunks had not filled: 100 KB free in pieces of under 1 KB.
def _hold(free):
    room = None
    lo, hi = 0, free
    while hi - lo > 256:  # the biggest piece, to 256 bytes
        mid = (lo + hi) // 2
        try:
            room = bytearray(mid)
            lo = mid
        except MemoryError:
            hi = mid
        room = None
    if lo:
        room = bytearray(lo)
    _fill(free - lo)
    del room  # the placeholder goes: its piece is the program's
    gc.collect()


def _fill(free, pad=_pad):
    i = 0
    size = gc.mem_free() - free
    while size >= 16:
        extra = gc.mem_free() - free - 64  # a chunk costs its header block and rounding
        if extra < 16:
            return
        if i == len(pad):
            if extra <= 1024:
                return
            # Out of pieces: the program would get more than the board has.
            _drop(pad)  # room for the error
            raise RuntimeError("simulated board heap: %d bytes more free than modelled, in pieces past the "
                               "pad's %d (board/_simheap.py _SLOTS)" % (extra, len(pad)))
        try:
            pad[i] = bytearray(min(size, extra))
            i += 1
        except MemoryError:
            size //= 2


def _drop(pad):
    for i in range(len(pad)):
        pad[i] = None
    gc.collect()


def reserve(n):
    if not _on or n <= 0:
        return
    _active.append(True)
    gc.collect()
    _hold(n)


def lend():
    """Frees the pad; True, or None when no pad is held (nothing to give back)."""
    if not _active:
        return None
    gc.collect()
    _fill(0, _own)  # the program's free bytes stay where they are, held
    _drop(_pad)
    return True


def give_back(loan):
    if loan is None:
        return
    gc.collect()
    _fill(0, _pad)
    _drop(_own)
