# BlockingIo with no scheduler: every Io operation on a pure-Python pollable
# "UART", a Flag and an Event set from another thread, zs.Lock and a thread
# lock, a channel, await_() in a private loop, and its misuse errors.
import _thread
import zsync_mp as zs
from _io_dev import SensorUart

try:
    from time import sleep_ms
except ImportError:
    from time import sleep

    def sleep_ms(ms):
        sleep(ms / 1000)


def err(f, *a):
    try:
        r = f(*a)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no error, returned %r" % (r,)


log = []
io = zs.BlockingIo()
u = SensorUart(log)
print("write ->", io.write(u, b"M\r"))
print("read(u, 10) ->", io.read(u, 10))
print("readexactly(u, 2) ->", io.readexactly(u, 2))
io.write(u, bytearray(b"L\r"))
print("readline ->", io.readline(u), io.readline(u))
io.write(u, memoryview(b"Q\r"))
try:
    io.readexactly(u, 5)
except EOFError as e:
    print("EOFError:", e)
print("read at EOF ->", io.read(u, 4))
print("write(b'') ->", io.write(u, b""))
io.sleep_ms(3)
io.sleep(0.002)
for line in log:
    print("  ", line)

# A zs.Stream: its buffered bytes go out first.
log2 = []
s = zs.Stream(SensorUart(log2))
s.out = b"M"
io.write(s, b"\r")
print("stream readexactly ->", io.readexactly(s, 4), log2[:2])

# Flag and Event set from another thread (as an interrupt would).
f = zs.Flag()
ev = zs.Event()
_thread.start_new_thread(lambda: (sleep_ms(5), f.set()), ())
io.wait(f)
print("Flag set by a thread woke wait(); cleared:", not f.is_set())
f.set()
io.wait(f)
print("Flag already set: wait returns at once, cleared:", not f.is_set())
_thread.start_new_thread(lambda: (sleep_ms(5), ev.set()), ())
io.wait(ev)
print("Event set by a thread woke wait(); still set:", ev.is_set())

lk = zs.Lock()
with io.lock(lk) as held:
    print("zs.Lock held inside with:", lk.locked(), held is lk)
print("released after with:", not lk.locked())
tl = _thread.allocate_lock()
with io.lock(tl):
    print("thread lock held:", tl.locked())
print("thread lock released:", not tl.locked())

tx, rx = zs.channel(2)
io.send(tx, "a")
io.send(tx, "b")
print("recv ->", io.recv(rx), io.recv(rx))


async def answer(x):
    await zs.sleep_ms(2)
    return x * 2


print("await_(coroutine) ->", io.await_(answer(21)))
print("await_(zs.sleep_ms(1)) ->", io.await_(zs.sleep_ms(1)))


async def inside():
    return err(io.await_, answer(1))


print("await_ inside a running loop:", zs.run(inside()))
print("sleep(-1):", err(io.sleep, -1))
print("sleep_ms(1.5):", err(io.sleep_ms, 1.5))
print("read(42, 1):", err(io.read, 42, 1))
print("read(u, -1):", err(io.read, u, -1))
print("write(u, 'str'):", err(io.write, u, "str"))
print("wait(42):", err(io.wait, 42))
print("lock(42):", err(io.lock, 42))
print("await_(42):", err(io.await_, 42))
