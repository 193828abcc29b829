# Sleeping tasks wake in deadline order, equal deadlines in FIFO order, at exact virtual times.
import zsync_mp as zs


async def sleeper(name, ms):
    await zs.sleep_ms(ms)
    print(name, "woke at", zs.ticks_ms())


async def main():
    async with zs.TaskGroup() as tg:
        for name, ms in (("a", 30), ("b", 10), ("c", 20), ("d", 10), ("e", 0), ("f", 10)):
            tg.spawn(sleeper(name, ms), name=name)
    await zs.sleep(0.0015)
    print("float sleep rounds up to", zs.ticks_ms())
    await zs.sleep(0)
    print("sleep(0) is a yield at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
