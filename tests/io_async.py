# AsyncIo: the same operations as awaitables in async code, on a pure-Python
# pollable "UART", a zs.Stream, Flag, Event, Lock and a channel, with another
# task interleaving; and its misuse errors.
import zsync_mp as zs
from _io_dev import SensorUart


def err(f, *a):
    try:
        r = f(*a)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no error, returned %r" % (r,)


class ThreadLock:
    def acquire(self):
        pass

    def release(self):
        pass

    def __repr__(self):
        return "<ThreadLock>"


async def other():
    for _ in range(3):
        await zs.sleep_ms(4)
        print("  other task at", zs.ticks_ms())


async def main():
    io = zs.AsyncIo()
    log = []
    u = SensorUart(log)
    zs.spawn(other())
    print("write ->", await io.write(u, b"M\r"))
    await io.sleep_ms(5)
    print("read ->", await io.read(u, 10), "at", zs.ticks_ms())
    print("readexactly ->", await io.readexactly(u, 2))
    await io.write(u, b"L\r")
    print("readline ->", await io.readline(u), await io.readline(u))
    await io.sleep(0.006)
    print("after sleep(0.006) at", zs.ticks_ms())
    await io.write(u, b"Q\r")
    try:
        await io.readexactly(u, 5)
    except EOFError as e:
        print("EOFError:", e)
    for line in log:
        print("  ", line)
    s = zs.Stream(SensorUart(log))
    await io.write(s, b"M\r")
    print("stream read ->", await io.readexactly(s, 4))

    ev = zs.Event()
    f = zs.Flag()

    async def setter():
        await zs.sleep_ms(3)
        ev.set()
        f.set()

    zs.spawn(setter())
    await io.wait(ev)
    await io.wait(f)
    print("Event and Flag waits done at", zs.ticks_ms())
    lk = zs.Lock()
    async with io.lock(lk):
        print("lock held:", lk.locked())
    print("lock released:", not lk.locked())
    tx, rx = zs.channel(1)
    await io.send(tx, 5)
    print("recv ->", await io.recv(rx))
    print("await_(sleep_ms(1)) ->", await io.await_(zs.sleep_ms(1)))
    print("lock(a thread-like lock):", err(io.lock, ThreadLock()))
    print("read(42, 1):", err(io.read, 42, 1))
    print("wait(42):", err(io.wait, 42))


zs.run(main(), clock=zs.VirtualClock())
