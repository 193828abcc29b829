# In steady state a fiber's io.sleep_ms, io.wait (Event, Flag) and io.send
# allocate nothing on MicroPython (proved with micropython.heap_lock()): the
# kernel's awaitable is captured and replayed, never copied. io.lock() makes
# one small context object per `with` and io.recv() of a value one
# StopIteration, like `await rx.recv()` in a task. CPython cannot lock its
# heap and a MicroPython without _zsync_fiber has no fibers: both SKIP.
import sys

try:
    import micropython

    micropython.heap_lock
except (ImportError, AttributeError):
    print("SKIP")
    sys.exit(0)
from _io_dev import need_fibers

need_fibers()
import gc
import zsync_mp as zs


def body(io, n, ev, flag, tx, rx):
    def ops():
        io.sleep_ms(0)
        io.sleep_ms(1)
        io.wait(ev)
        flag.set()
        io.wait(flag)
        io.send(tx, None)
        rx.try_recv()

    ops()  # warm up: first-use allocations happen here
    gc.collect()
    a = gc.mem_alloc()
    micropython.heap_lock()
    try:
        for _ in range(n):
            ops()
    finally:
        micropython.heap_unlock()
    return gc.mem_alloc() - a


async def main():
    ev = zs.Event()
    ev.set()
    tx, rx = zs.channel(1)
    return await zs.fiber(body, 100, ev, zs.Flag(), tx, rx, stack_size=16384)


print("fiber io ops allocated under heap_lock:", zs.run(main(), clock=zs.VirtualClock()), "bytes")
