# Spawning until the heap is full: the MemoryError reaches the spawning task
# (as TaskGroupError or MemoryError) and the loop survives; spawn registers a
# task in its group before queueing it, so no half-made task runs later.
# MicroPython only (run by tests/test_mempressure.py).
import zsync_mp as zs


ended = [0]  # children that ended (each is cancelled by the group's exit)


async def w(ev):
    try:
        await ev.wait()
    finally:
        ended[0] += 1  # a small int: allocates nothing


async def main():
    ev = zs.Event()
    tasks = 0
    try:
        async with zs.TaskGroup() as tg:
            for i in range(1000000):
                tg.spawn(w(ev))
                tasks += 1
    except MemoryError:
        print("caught MemoryError")
    except zs.TaskGroupError as e:
        print("caught TaskGroupError", [type(x).__name__ for x in e.exceptions])
    # Structured concurrency held: every child ended inside the block.
    print("every child ended in the block:", tasks > 0 and ended[0] == tasks)
    return "ok"


print("run returned", zs.run(main(), clock=zs.VirtualClock()))
