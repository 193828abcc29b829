# Core figures, one JSON line per run; runs on MicroPython and CPython.
# Each zsync_mp figure has its peer measured in the same process.
import gc
import json
import sys
import time

try:
    from time import ticks_us, ticks_diff
except ImportError:
    def ticks_us():
        return time.perf_counter_ns() // 1000

    def ticks_diff(a, b):
        return a - b

import asyncio
import zsync_mp as zs

N_TASKS = 100
ROUNDS = 100
PINGS = 2000


def per(us, n):
    return us * 1000 // n  # ns per operation


async def z_switch():
    async def spin():
        i = 0
        while i < ROUNDS:
            await zs.yield_now()
            i += 1

    t0 = ticks_us()
    async with zs.TaskGroup() as tg:
        for _ in range(N_TASKS):
            tg.spawn(spin())
    return per(ticks_diff(ticks_us(), t0), N_TASKS * ROUNDS)


async def a_switch():
    async def spin():
        i = 0
        while i < ROUNDS:
            await asyncio.sleep(0)
            i += 1

    t0 = ticks_us()
    await asyncio.gather(*[spin() for _ in range(N_TASKS)])
    return per(ticks_diff(ticks_us(), t0), N_TASKS * ROUNDS)


class _Pre:
    # A preallocated awaitable that yields once: the floor of any switch.
    def __init__(self):
        self.go = False
        self.stop = StopIteration()

    def __iter__(self):
        return self

    __await__ = __iter__

    def __next__(self):
        if self.go:
            self.go = False
            return None
        self.stop.__traceback__ = None
        raise self.stop


def floor():
    pre = _Pre()

    async def spin():
        while True:
            pre.go = True
            await pre

    coros = [spin() for _ in range(N_TASKS)]
    t0 = ticks_us()
    r = 0
    while r < ROUNDS:
        for c in coros:
            c.send(None)
        r += 1
    return per(ticks_diff(ticks_us(), t0), N_TASKS * ROUNDS)


def pingpong(mod, run):
    async def main():
        a, b = mod.Event(), mod.Event()

        async def other():
            i = 0
            while i < PINGS:
                await a.wait()
                a.clear()
                b.set()
                i += 1

        t = (zs.spawn if mod is zs else asyncio.create_task)(other())
        t0 = ticks_us()
        i = 0
        while i < PINGS:
            a.set()
            await b.wait()
            b.clear()
            i += 1
        dt = ticks_diff(ticks_us(), t0)
        await t
        return per(dt, PINGS)

    return run(main())


async def z_channel():
    tx, rx = zs.channel(16)

    async def prod():
        i = 0
        while i < PINGS:
            await tx.send(i)
            i += 1

    t = zs.spawn(prod())
    t0 = ticks_us()
    i = 0
    while i < PINGS:
        await rx.recv()
        i += 1
    dt = ticks_diff(ticks_us(), t0)
    await t
    return per(dt, PINGS)


def mem_per_sleeper(mod, run, n=1000):
    async def sleeper():
        await mod.sleep(3600)

    async def main():
        spawn = zs.spawn if mod is zs else asyncio.create_task
        gc.collect()
        before = mem()
        ts = [None] * n
        gc.collect()
        base = mem()
        for i in range(n):
            ts[i] = spawn(sleeper())
        await mod.sleep(0)
        gc.collect()
        used = (mem() - base) // n
        for t in ts:
            t.cancel()
        await mod.sleep(0)
        return used

    return run(main())


def mem():
    if hasattr(gc, "mem_alloc"):
        return gc.mem_alloc()
    import tracemalloc

    return tracemalloc.get_traced_memory()[0]


def main():
    if not hasattr(gc, "mem_alloc"):
        import tracemalloc

        tracemalloc.start()
        mem_z = mem_per_sleeper(zs, zs.run)
        mem_a = mem_per_sleeper(asyncio, asyncio.run)
        tracemalloc.stop()
    else:
        mem_z = mem_per_sleeper(zs, zs.run)
        mem_a = mem_per_sleeper(asyncio, asyncio.run)
    r = {
        "interp": sys.implementation.name,
        "switch_ns": zs.run(z_switch()),
        "asyncio_switch_ns": asyncio.run(a_switch()),
        "floor_ns": floor(),
        "pingpong_ns": pingpong(zs, zs.run),
        "asyncio_pingpong_ns": pingpong(asyncio, asyncio.run),
        "channel_pair_ns": zs.run(z_channel()),
        "mem_per_sleeping_task": mem_z,
        "asyncio_mem_per_sleeping_task": mem_a,
    }
    print(json.dumps(r))


main()
