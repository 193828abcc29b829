# TaskGroup waits for children; results; spawn misuse.
import zsync_mp as zs


async def child(name, ms, out):
    await zs.sleep_ms(ms)
    out.append(name)
    return name


async def main():
    out = []
    async with zs.TaskGroup() as tg:
        t1 = tg.spawn(child("slow", 20, out), name="slow")
        t2 = tg.spawn(child("fast", 5, out), name="fast")
        print("body done at", zs.ticks_ms())
    print("group done at", zs.ticks_ms(), out, t1.result(), t2.result())

    async with zs.TaskGroup() as tg:
        async def spawner():
            await zs.sleep_ms(3)
            tg.spawn(child("late", 3, out))
        tg.spawn(spawner())
    print("child spawned by a child joined:", out[-1], "at", zs.ticks_ms())

    tg = zs.TaskGroup()
    try:
        tg.spawn(child("x", 1, out))
    except RuntimeError as e:
        print("before enter:", e)
    async with tg:
        pass
    try:
        tg.spawn(child("x", 1, out))
    except RuntimeError as e:
        print("after exit:", e)
    try:
        async with tg:
            pass
    except RuntimeError as e:
        print("re-enter:", e)
    async with zs.TaskGroup() as tg:
        pass
    print("empty group ok")


zs.run(main(), clock=zs.VirtualClock())
