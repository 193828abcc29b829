# Spawning until the heap is full: the MemoryError reaches the spawning task
# (as TaskGroupError or MemoryError) and the loop survives; spawn registers a
# task in its group before queueing it, so no half-made task runs later.
# MicroPython only (run by tests/test_mempressure.py).
import zsync_mp as zs


async def w(ev):
    await ev.wait()


async def main():
    ev = zs.Event()
    try:
        async with zs.TaskGroup() as tg:
            for i in range(1000000):
                tg.spawn(w(ev))
    except MemoryError:
        print("caught MemoryError")
    except zs.TaskGroupError as e:
        print("caught TaskGroupError", [type(x).__name__ for x in e.exceptions])
    return "ok"


print("run returned", zs.run(main(), clock=zs.VirtualClock()))
