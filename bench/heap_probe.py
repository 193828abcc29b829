# Heap probe: what a few representative workloads keep alive on the heap, in
# bytes, printed as `HEAP <label> <bytes>` lines. Portable: the same file runs
# on the MicroPython unix port (64-bit), WebAssembly (32-bit) and a QEMU
# Cortex-M firmware (32-bit, through mpremote), so bench/heap_factor.py can
# divide one by the other. Each figure is gc.mem_alloc() after gc.collect() at
# the workload's peak (every task spawned and parked, every item alive) minus
# the same measure just before it started.
import gc


def used():
    gc.collect()
    return gc.mem_alloc()


def report(label, before):
    print("HEAP %s %d" % (label, used() - before))


# Plain application data: dicts, strings, lists, tuples, instances.
class Reading:
    def __init__(self, i):
        self.pin = i
        self.name = "sensor-%d" % i
        self.values = [i, i * 2, i * 3]
        self.unit = ("mV", i)


def data():
    b = used()
    rows = [{"id": i, "name": "row%d" % i, "v": [i, i + 1]} for i in range(200)]
    objs = [Reading(i) for i in range(200)]
    report("data", b)
    return rows, objs


b0 = used()
import zsync_mp as zs

report("import_zsync_mp", b0)
data()


async def sleeper(ev):
    await ev.wait()


async def group10():
    b = used()
    ev = zs.Event()
    async with zs.TaskGroup() as tg:
        for _ in range(10):
            tg.spawn(sleeper(ev))
        await zs.sleep_ms(1)
        report("taskgroup10", b)
        ev.set()


async def producer(tx, i):
    for k in range(20):
        await tx.send((i, k, "m%d" % k))


async def pipeline():
    b = used()
    tx, rx = zs.channel(16)
    async with zs.TaskGroup() as tg:
        for i in range(4):
            tg.spawn(producer(tx, i))
        await zs.sleep_ms(1)
        report("channel16_4producers", b)
        for _ in range(80):
            await rx.recv()


zs.run(group10())
zs.run(pipeline())

try:  # after zsync_mp's figures, so they do not include it
    import asyncio
except ImportError:  # a QEMU board with the checkout mounted finds only part of the frozen package
    asyncio = None


async def aio_gather10():
    b = used()
    ev = asyncio.Event()
    ts = [asyncio.create_task(sleeper(ev)) for _ in range(10)]
    await asyncio.sleep_ms(1)
    report("asyncio_gather10", b)
    ev.set()
    await asyncio.gather(*ts)


if hasattr(asyncio, "run"):  # WebAssembly's asyncio runs on the JS event loop: no run()
    asyncio.run(aio_gather10())
print("HEAP done 0")
