# Synchronisation, each beside asyncio (and trio/anyio on CPython) in the same
# process: Event ping-pong round trip, Lock handoff under contention (4 tasks
# that yield while holding it), Semaphore(2) with 4 tasks, TaskGroup spawn+join
# of 100 children (ns per group), fail_after around an await that completes.
import harness as H

WORKERS = 4
CHILDREN = 100


def lib(name):
    # (module, spawn, yield) for zs, asyncio or trio.
    mod = __import__("zsync_mp" if name == "zs" else name)
    if name == "zs":
        return mod, mod.spawn, mod.yield_now
    if name == "asyncio":
        return mod, mod.create_task, lambda: mod.sleep(0)
    return mod, None, lambda: mod.sleep(0)


def pingpong(name):
    def fn(n):
        mod, spawn, _ = lib(name)

        async def main():
            a, b = mod.Event(), mod.Event()

            async def other():
                i = 0
                while i < n:
                    await a.wait()
                    a.clear()
                    b.set()
                    i += 1

            t = spawn(other())
            t0 = H.now_us()
            i = 0
            while i < n:
                a.set()
                await b.wait()
                b.clear()
                i += 1
            us = H.since_us(t0)
            await t
            return us

        return main()

    return fn


def trio_pingpong(n):
    # trio's Event is one-shot: a fresh pair per round is trio's idiom.
    import trio

    async def main():
        box = [trio.Event(), trio.Event()]

        async def other():
            i = 0
            while i < n:
                await box[0].wait()
                box[0] = trio.Event()
                box[1].set()
                i += 1

        async with trio.open_nursery() as nursery:
            nursery.start_soon(other)
            t0 = trio.current_time()
            i = 0
            while i < n:
                box[0].set()
                await box[1].wait()
                box[1] = trio.Event()
                i += 1
            return (trio.current_time() - t0) * 1e6

    return main()


def contended(name, make):
    # WORKERS tasks each take the primitive, yield while holding it, release.
    def fn(n):
        mod, spawn, yld = lib(name)
        each = n // WORKERS

        async def worker(prim):
            i = 0
            while i < each:
                async with prim:
                    await yld()
                i += 1

        async def main():
            prim = make(mod)
            t0 = H.now_us()
            if name == "trio":
                async with mod.open_nursery() as nursery:
                    for _ in range(WORKERS):
                        nursery.start_soon(worker, prim)
            else:
                ts = [spawn(worker(prim)) for _ in range(WORKERS)]
                for t in ts:
                    await t
            return H.since_us(t0)

        return main()

    return fn


def lock(mod):
    return mod.Lock()


def sem(mod):
    return mod.Semaphore(2)


async def _child():
    pass


def group(name):
    # n groups of CHILDREN children, one after another; ns per group.
    def fn(n):
        mod = __import__("zsync_mp" if name == "zs" else name)

        async def main():
            t0 = H.now_us()
            g = 0
            while g < n:
                if name == "zs":
                    async with mod.TaskGroup() as tg:
                        for _ in range(CHILDREN):
                            tg.spawn(_child())
                elif name == "trio":
                    async with mod.open_nursery() as nursery:
                        for _ in range(CHILDREN):
                            nursery.start_soon(_child)
                elif hasattr(mod, "TaskGroup"):
                    async with mod.TaskGroup() as tg:
                        for _ in range(CHILDREN):
                            tg.create_task(_child())
                else:  # MicroPython asyncio: gather is its closest structure
                    await mod.gather(*[mod.create_task(_child()) for _ in range(CHILDREN)])
                g += 1
            return H.since_us(t0)

        return main()

    return fn


def fail_after(name):
    def fn(n):
        mod, _, yld = lib(name)

        async def one():
            await yld()

        async def main():
            t0 = H.now_us()
            i = 0
            while i < n:
                if name in ("zs", "trio"):
                    with mod.fail_after(10):
                        await yld()
                elif hasattr(mod, "timeout"):  # CPython asyncio 3.11+
                    async with mod.timeout(10):
                        await yld()
                else:  # MicroPython asyncio
                    await mod.wait_for_ms(one(), 10000)
                i += 1
            return H.since_us(t0)

        return main()

    return fn


def sem_peer():
    # MicroPython asyncio has no Semaphore: no peer there.
    import asyncio

    return None if hasattr(asyncio, "Semaphore") else False


def jobs():
    n = H.size(4000)
    g = H.size(40)
    out = [
        ("pingpong.zs", "zs", pingpong("zs"), None, n),
        ("pingpong.asyncio", "asyncio", pingpong("asyncio"), None, n),
        ("pingpong.trio", "trio", trio_pingpong, "trio", n),
        ("lock.zs", "zs", contended("zs", lock), None, n),
        ("lock.asyncio", "asyncio", contended("asyncio", lock), None, n),
        ("lock.trio", "trio", contended("trio", lock), "trio", n),
        ("sem.zs", "zs", contended("zs", sem), None, n),
        ("sem.asyncio", "asyncio", contended("asyncio", sem), sem_peer(), n),
        ("sem.trio", "trio", contended("trio", sem), "trio", n),
        ("group.zs", "zs", group("zs"), None, g),
        ("group.asyncio", "asyncio", group("asyncio"), None, g),
        ("group.trio", "trio", group("trio"), "trio", g),
        ("fail_after.zs", "zs", fail_after("zs"), None, n),
        # The WebAssembly port's wait_for_ms fails (TopLevelCoro has no throw).
        ("fail_after.asyncio", "asyncio", fail_after("asyncio"), False if H.WASM else None, n),
        ("fail_after.trio", "trio", fail_after("trio"), "trio", n),
    ]
    return out


def main():
    H.main("sync", jobs)


if __name__ == "__main__":
    main()
