# BlockingIo, FiberIo and AsyncIo give the same device trace and results for
# every Io operation: one plain function (scenario) runs with BlockingIo and
# in a fiber; its async twin runs with AsyncIo. Each trace line comes from the
# devices and the function, so any difference shows.
from _io_dev import SensorUart, need_fibers

need_fibers()
import zsync_mp as zs


def scenario(io, log, uart, ev, flag, lk, tx, rx):
    log.append("write %r" % io.write(uart, b"M\r"))
    io.sleep_ms(2)
    io.sleep(0.001)
    log.append("read %r" % io.read(uart, 3))
    log.append("readexactly %r" % io.readexactly(uart, 2))
    io.write(uart, b"L\r")
    log.append("readline %r" % io.readline(uart))
    log.append("readline %r" % io.readline(uart))
    io.wait(ev)
    io.wait(flag)
    log.append("flag cleared %r" % (not flag.is_set()))
    with io.lock(lk):
        log.append("locked %r" % lk.locked())
    log.append("unlocked %r" % (not lk.locked()))
    io.send(tx, "v1")
    io.send(tx, "v2")
    log.append("recv %r %r" % (io.recv(rx), io.recv(rx)))
    log.append("await_ %r" % io.await_(double(4)))
    io.write(uart, b"Q\r")
    try:
        io.readexactly(uart, 9)
    except EOFError as e:
        log.append("EOFError %s" % e)
    return "ok"


async def scenario_async(io, log, uart, ev, flag, lk, tx, rx):
    log.append("write %r" % await io.write(uart, b"M\r"))
    await io.sleep_ms(2)
    await io.sleep(0.001)
    log.append("read %r" % await io.read(uart, 3))
    log.append("readexactly %r" % await io.readexactly(uart, 2))
    await io.write(uart, b"L\r")
    log.append("readline %r" % await io.readline(uart))
    log.append("readline %r" % await io.readline(uart))
    await io.wait(ev)
    await io.wait(flag)
    log.append("flag cleared %r" % (not flag.is_set()))
    async with io.lock(lk):
        log.append("locked %r" % lk.locked())
    log.append("unlocked %r" % (not lk.locked()))
    await io.send(tx, "v1")
    await io.send(tx, "v2")
    log.append("recv %r %r" % (await io.recv(rx), await io.recv(rx)))
    log.append("await_ %r" % await io.await_(double(4)))
    await io.write(uart, b"Q\r")
    try:
        await io.readexactly(uart, 9)
    except EOFError as e:
        log.append("EOFError %s" % e)
    return "ok"


async def double(x):
    await zs.sleep_ms(1)
    return 2 * x


def setup():
    log = []
    ev = zs.Event()
    ev.set()
    flag = zs.Flag()
    flag.set()
    tx, rx = zs.channel(2)
    return log, SensorUart(log), ev, flag, zs.Lock(), tx, rx


a = setup()
print("blocking ->", scenario(zs.BlockingIo(), *a))
b = setup()
print("fiber ->", zs.run(zs.fiber(scenario, *b), clock=zs.VirtualClock()))
c = setup()
print("async ->", zs.run(scenario_async(zs.AsyncIo(), *c), clock=zs.VirtualClock()))
for line in a[0]:
    print("  ", line)
print("fiber trace == blocking trace:", b[0] == a[0])
print("async trace == blocking trace:", c[0] == a[0])
