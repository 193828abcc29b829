# The colorblind example: the same plain function read_sensor(io, uart)
# runs with zs.BlockingIo() (no scheduler) and in a fiber with the FiberIo that
# zs.fiber() passes; its async twin runs with zs.AsyncIo(). All three give the
# same device trace and result; with fibers and async, another task keeps
# running while the reader sleeps.
from _io_dev import SensorUart, need_fibers

need_fibers()
import zsync_mp as zs


def read_sensor(io, uart):
    io.write(uart, b"M\r")
    io.sleep_ms(20)
    return io.readexactly(uart, 4)


async def read_sensor_async(io, uart):
    await io.write(uart, b"M\r")
    await io.sleep_ms(20)
    return await io.readexactly(uart, 4)


traces = {}


def blocking():
    log = []
    r = read_sensor(zs.BlockingIo(), SensorUart(log))
    traces["blocking"] = log
    print("blocking:", r)


async def ticker(log, name):
    for _ in range(3):
        await zs.sleep_ms(8)
        print("  ", name, "ticker at", zs.ticks_ms())


async def fiber_main():
    log = []
    async with zs.TaskGroup() as tg:
        tg.spawn(ticker(log, "fiber"))
        r = await zs.fiber(read_sensor, SensorUart(log))
        print("fiber:", r, "at", zs.ticks_ms())
    traces["fiber"] = log


async def async_main():
    log = []
    async with zs.TaskGroup() as tg:
        tg.spawn(ticker(log, "async"))
        r = await read_sensor_async(zs.AsyncIo(), SensorUart(log))
        print("async:", r, "at", zs.ticks_ms())
    traces["async"] = log


blocking()
zs.run(fiber_main(), clock=zs.VirtualClock())
zs.run(async_main(), clock=zs.VirtualClock())
for line in traces["blocking"]:
    print(" ", line)
print("fiber trace == blocking trace:", traces["fiber"] == traces["blocking"])
print("async trace == blocking trace:", traces["async"] == traces["blocking"])
