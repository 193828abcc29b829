# Memory pressure: a task that eats the heap until MemoryError. The error is
# reported for that task only (`await task` raises it; in a TaskGroup it
# comes out in TaskGroupError), the other tasks keep running and finish
# their work, and the loop can still spawn and switch afterwards.
# Heap-size agnostic: tests/test_mempressure.py runs it on the MicroPython unix
# port with -X heapsize=2M, and with ZSYNC_FREE_HEAP=65536: after the import, ballast pins all but
# 64 KB (zsync_mp itself keeps ~73 KB on the 64-bit unix port, so a real
# -X heapsize=64K cannot import it). MicroPython only (CPython has no heap
# limit to hit: it prints SKIP); the expected trace is _mempressure_exhaust.exp.
# Not a parity script: the WebAssembly port's heap and gc.collect() work
# differently (collection runs only when control returns to JS).
import sys

try:
    import micropython  # noqa: F401 (only: is this MicroPython?)
except ImportError:
    print("SKIP")
    sys.exit(0)
import gc

import zsync_mp as zs
from _ballast import leave_free


try:
    import os

    _free = os.getenv("ZSYNC_FREE_HEAP")
except (ImportError, AttributeError):
    _free = None
BALLAST = leave_free(int(_free)) if _free else None

ROUNDS = 200


async def hog(chunk):
    eaten = []
    while True:
        eaten.append(bytearray(chunk))
        await zs.yield_now()


async def pinger(a, b, done):
    for i in range(ROUNDS):
        a.set()
        await b.wait()
        b.clear()
    done.append("pinger")


async def ponger(a, b, done):
    for i in range(ROUNDS):
        await a.wait()
        a.clear()
        b.set()
    done.append("ponger")


async def sleeper(done):
    for i in range(ROUNDS):
        await zs.sleep_ms(1)
    done.append("sleeper")


async def fresh(n):
    return n + 1


async def detached_hog():
    done = []
    a, b = zs.Event(), zs.Event()
    async with zs.TaskGroup() as tg:
        tg.spawn(pinger(a, b, done))
        tg.spawn(ponger(a, b, done))
        tg.spawn(sleeper(done))
        h = zs.spawn(hog(4096))
        try:
            await h
        except MemoryError:
            print("detached hog: MemoryError reported by await task")
    print("others finished:", sorted(done))


async def group_hog():
    done = []
    a, b = zs.Event(), zs.Event()
    try:
        async with zs.TaskGroup() as outer:
            outer.spawn(pinger(a, b, done))
            outer.spawn(ponger(a, b, done))
            try:
                async with zs.TaskGroup() as tg:
                    tg.spawn(hog(4096))
                    tg.spawn(sleeper(done))
            except zs.TaskGroupError as e:
                print("group hog: TaskGroupError", [type(x).__name__ for x in e.exceptions])
    except zs.TaskGroupError as e:
        print("outer group failed too:", e)
    print("others finished:", sorted(done))


async def main():
    await detached_hog()
    gc.collect()
    await group_hog()
    gc.collect()
    # The loop is intact: new tasks run and return.
    ts = [zs.spawn(fresh(i)) for i in range(20)]
    total = 0
    for t in ts:
        total += await t
    print("after the pressure: 20 new tasks returned", total)


zs.run(main(), clock=zs.VirtualClock())
print("done")
