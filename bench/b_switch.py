# Task switch with 100 tasks: zs.yield_now() beside asyncio.sleep(0), trio and
# anyio sleep(0), and the floor (resuming a bare coroutine that awaits a
# preallocated awaitable: what any coroutine scheduler must at least pay).
# Each figure is ns per switch. Also imported by b_scale.py (any task count).
import harness as H

TASKS = 100


async def spin(yld, rounds, box):
    # One untimed round first: the first spinner back from it starts the
    # clock, when every task exists and has run once (true of any round-robin
    # scheduler, including the WebAssembly port's JS-loop asyncio).
    await yld()
    if box[0] is None:
        box[0] = H.now_us()
    i = 1
    while i < rounds:
        await yld()
        i += 1


def z_switch(tasks):
    def fn(n):
        import zsync_mp as zs

        box = [None]

        async def main():
            async with zs.TaskGroup() as tg:
                for _ in range(tasks):
                    tg.spawn(spin(zs.yield_now, n // tasks + 1, box))
            return H.since_us(box[0])

        return main()

    return fn


def z_switch_flag(tasks):
    # The same switch while one task waits on a zs.Flag (an interrupt flag):
    # on the unix port select.poll sleeps 1 ms per call when a pure-Python
    # pollable is registered, so the kernel asks such objects itself.
    def fn(n):
        import zsync_mp as zs

        box = [None]

        async def waiter(f):
            await f.wait()

        async def main():
            f = zs.Flag()
            w = zs.spawn(waiter(f))
            async with zs.TaskGroup() as tg:
                for _ in range(tasks):
                    tg.spawn(spin(zs.yield_now, n // tasks + 1, box))
            us = H.since_us(box[0])
            f.set()
            await w
            return us

        return main()

    return fn


def a_switch(tasks):
    def fn(n):
        import asyncio

        box = [None]

        def yld():
            return asyncio.sleep(0)

        async def main():
            await asyncio.gather(*[spin(yld, n // tasks + 1, box) for _ in range(tasks)])
            return H.since_us(box[0])

        return main()

    return fn


def trio_switch(tasks, lib="trio"):
    def fn(n):
        mod = __import__(lib)
        box = [None]

        def yld():
            return mod.sleep(0)

        async def main():
            await H.gather(lib, [spin(yld, n // tasks + 1, box) for _ in range(tasks)])
            return H.since_us(box[0])

        return main()

    return fn


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


def floor(tasks):
    def fn(n):
        pre = _Pre()
        rounds = n // tasks

        async def spin():
            while True:
                pre.go = True
                await pre

        coros = [spin() for _ in range(tasks)]
        t0 = H.now_us()
        r = 0
        while r < rounds:
            for c in coros:
                c.send(None)
            r += 1
        us = H.since_us(t0)
        for c in coros:
            c.close()
        return us

    return fn


def jobs():
    n = H.size(20000)
    return [
        ("switch.zs", "zs", z_switch(TASKS), None, n),
        ("switch.zs.flag", "zs", z_switch_flag(TASKS), None, n),
        ("switch.asyncio", "asyncio", a_switch(TASKS), None, n),
        ("switch.trio", "trio", trio_switch(TASKS), "trio", n),
        ("switch.anyio", "anyio", trio_switch(TASKS, "anyio"), "anyio", n),
        ("switch.floor", "sync", floor(TASKS), None, n),
    ]


def main():
    H.main("switch", jobs)


if __name__ == "__main__":
    main()
