# A task that fails while the heap is locked (a MemoryError of its own) is
# reported for that task; the kernel survives, its group cancels the
# sibling with a preallocated Cancelled, and the loop goes on. MicroPython
# only: CPython cannot lock its heap.
import zsync_mp as zs
import _alloc

_alloc.skip_unless_micropython()
import micropython


async def greedy():
    await zs.yield_now()
    x = [0] * 100  # allocates with the heap locked
    return x


async def spin(n, out):
    for i in range(n):
        await zs.yield_now()
    out.append(1)


async def main(mode):
    out = []
    try:
        async with zs.TaskGroup() as tg:
            a = tg.spawn(spin(100, out), name="spin")
            b = tg.spawn(greedy(), name="greedy") if mode == "group" else zs.spawn(greedy(), name="greedy")
            await zs.yield_now()
            micropython.heap_lock()
            try:
                for i in range(20):
                    await zs.yield_now()
            finally:
                micropython.heap_unlock()
    except zs.TaskGroupError as e:
        print(mode, "group error:", [type(x).__name__ for x in e.exceptions])
    print(mode, "spin:", "cancelled" if a.cancelled() else "finished %r" % out)
    print(mode, "greedy raised:", type(b.exception()).__name__)
    return "loop ok"


print(zs.run(main("group"), clock=zs.VirtualClock()))
print(zs.run(main("detached"), clock=zs.VirtualClock()))
