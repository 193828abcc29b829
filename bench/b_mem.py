# Memory, bytes each, beside asyncio in the same process: a sleeping task
# (1000 of them), a channel of capacity 16 (1000 of them), and a TaskGroup
# (a task sleeping inside its own group, minus a plain sleeping task).
# MicroPython counts gc.mem_alloc(); CPython counts tracemalloc's current size.
import gc
import harness as H

try:
    import tracemalloc
except ImportError:
    tracemalloc = None


def used():
    gc.collect()
    if hasattr(gc, "mem_alloc"):
        return gc.mem_alloc()
    return tracemalloc.get_traced_memory()[0]


def names(kind):
    mod = __import__("zsync_mp" if kind == "zs" else "asyncio")
    return mod, (mod.spawn if kind == "zs" else mod.create_task)


def sleepers(kind, grouped):
    # n tasks asleep for an hour, each inside its own TaskGroup if `grouped`.
    def fn(n):
        mod, spawn = names(kind)

        async def sleeper():
            await mod.sleep(3600)

        async def in_group():
            async with mod.TaskGroup():
                await mod.sleep(3600)

        async def main():
            ts = [None] * n
            base = used()
            i = 0
            while i < n:
                ts[i] = spawn(in_group() if grouped else sleeper())
                i += 1
            await mod.sleep(0)
            await mod.sleep(0)
            total = used() - base
            for t in ts:
                t.cancel()
            await mod.sleep(0)
            return total

        return main()

    return fn


def channels(kind):
    def fn(n):
        mod, _ = names(kind)

        async def main():
            keep = [None] * n
            base = used()
            i = 0
            while i < n:
                if kind == "zs":
                    keep[i] = mod.channel(16)
                elif hasattr(mod, "Queue"):
                    keep[i] = mod.Queue(16)
                else:
                    from b_chan import EvList

                    keep[i] = EvList(mod, 16)
                i += 1
            return used() - base

        return main()

    return fn


def group_need():
    import asyncio

    return None if hasattr(asyncio, "TaskGroup") else False


def jobs():
    n = H.size(1000)
    g = H.size(200)
    return [
        ("mem.task.zs", "zs", sleepers("zs", False), None, n),
        ("mem.task.asyncio", "asyncio", sleepers("asyncio", False), None, n),
        ("mem.chan.zs", "zs", channels("zs"), None, n),
        ("mem.chan.asyncio", "asyncio", channels("asyncio"), None, n),
        ("mem.grouptask.zs", "zs", sleepers("zs", True), None, g),
        ("mem.grouptask.asyncio", "asyncio", sleepers("asyncio", True), group_need(), g),
    ]


# A group's own cost: a task asleep in a group minus a task asleep.
def derived(figs):
    for k in ("zs", "asyncio"):
        a, b = figs.get("mem.grouptask." + k), figs.get("mem.task." + k)
        if a and b:
            figs["mem.group." + k] = [x - y for x, y in zip(a, b)]
    return figs


def main():
    if tracemalloc and not hasattr(gc, "mem_alloc"):
        tracemalloc.start()
    figs = H.measure(jobs(), scale=1)
    H.emit("mem", derived(figs), {"unit": "bytes"})


if __name__ == "__main__":
    main()
