# A seeded run shuffles the tasks ready at the same instant (up to 256 at a
# time) without allocating: 40 tasks woken at once with the heap locked run
# in the seeded order and the loop goes on. The batch the shuffle uses is
# made when the run starts (a seeded run on a full heap fails at zs.run()
# with MemoryError, before anything runs), not grown while tasks are ready.
# MicroPython only: CPython cannot lock its heap.
import zsync_mp as zs
import _alloc

_alloc.skip_unless_micropython()
import micropython

N = 40


async def waiter(i, ev, order):
    await ev.wait()
    order[order[0] + 1] = i  # preallocated slots: no allocation
    order[0] += 1


async def main():
    ev = zs.Event()
    order = [0] * (N + 1)
    async with zs.TaskGroup() as tg:
        for i in range(N):
            tg.spawn(waiter(i, ev, order))
        await zs.yield_now()
        micropython.heap_lock()
        try:
            ev.set()  # N tasks ready at once: one seeded shuffle
            await zs.yield_now()
            await zs.yield_now()
        finally:
            micropython.heap_unlock()
    print("all ran:", order[0] == N, sorted(order[1:]) == list(range(N)))
    print("shuffled:", order[1:] != list(range(N)))
    return order[1:]


a = zs.run(main(), seed=7)
b = zs.run(main(), seed=7)
print("seed 7 twice, same order:", a == b)
print("loop ok")
