# Shared by the heap tests: prove a steady-state loop allocates nothing on
# MicroPython. Both must hold: no MemoryError with the heap locked, and
# gc.mem_alloc() unchanged with the collector off (heap_lock alone is not
# proof: MicroPython raises a static emergency exception when it cannot
# allocate one, so some allocations fail silently under the lock).
import gc
import sys

try:
    import micropython
except ImportError:
    micropython = None


def skip_unless_micropython():
    if micropython is None or not hasattr(micropython, "heap_lock"):
        print("SKIP")
        sys.exit(0)


async def measure(label, step, n=2000):
    # `step` is a zero-argument function returning an awaitable (or None).
    # The while loop and preallocated counters keep the harness itself silent.
    i = 0
    while i < 200:  # warm up: let every list and dict reach its size
        r = step()
        if r is not None:
            await r
        i += 1
    # Phase 1: heap locked; any allocation that cannot fall back raises.
    err = None
    micropython.heap_lock()
    try:
        i = 0
        while i < n:
            r = step()
            if r is not None:
                await r
            i += 1
    except MemoryError as e:
        err = e
    micropython.heap_unlock()
    # Phase 2: heap unlocked, collector off; the heap must not grow.
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    i = 0
    while i < n:
        r = step()
        if r is not None:
            await r
        i += 1
    grew = gc.mem_alloc() - before
    gc.enable()
    if err is None and grew == 0:
        print(label, "allocates nothing")
    else:
        print(label, "ALLOCATES:", "MemoryError under heap_lock;" if err else "", "%d bytes per op" % (grew // n))
