# 1000 fibers alive at once, each parking in io.sleep_ms / io.send several
# times, with two tasks interleaving: every fiber finishes with the right
# result, all were suspended at the same time, the tasks ran in between, and
# every fiber was closed (nothing left running). On a MicroPython heap too
# small for 1000 fiber stacks the count shrinks to what fits (printed lines
# do not depend on it; run firmware tests with a large -X heapsize).
from _io_dev import need_fibers

need_fibers()
import gc
import zsync_mp as zs

N = 1000
STACK = 8192  # bytes per fiber: the worker's few frames fit with room to spare
if hasattr(gc, "mem_free"):
    gc.collect()
    N = min(N, gc.mem_free() // (STACK + 4096))

alive = [0, 0]  # now, max
ticks_seen = []


def worker(io, i, tx):
    alive[0] += 1
    if alive[0] > alive[1]:
        alive[1] = alive[0]
    try:
        s = 0
        for k in range(3):
            io.sleep_ms(1 + (i + k) % 5)
            s += k
        io.send(tx, i)
        return i * 10 + s
    finally:
        alive[0] -= 1


async def ticker():
    for _ in range(5):
        await zs.sleep_ms(2)
        ticks_seen.append(alive[0])


async def main():
    tx, rx = zs.channel(8)
    results = [None] * N
    got = []

    async def collect():
        for _ in range(N):
            got.append(await rx.recv())

    async def one(i):
        results[i] = await zs.fiber(worker, i, tx, stack_size=STACK)

    async with zs.TaskGroup() as tg:
        tg.spawn(ticker())
        tg.spawn(collect())
        for i in range(N):
            tg.spawn(one(i))
    print("N >= 100:", N >= 100)
    print("results right:", results == [i * 10 + 3 for i in range(N)])
    print("every value received once:", sorted(got) == list(range(N)))
    print("all alive at once:", alive[1] == N)
    print("ticker ran while fibers were parked:", len(ticks_seen) == 5 and ticks_seen[0] == N)
    print("none left alive:", alive[0] == 0)


zs.run(main(), clock=zs.VirtualClock())
