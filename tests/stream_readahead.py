# A non-blocking zs.Stream (a socket's kind: read returns None when nothing
# is there) reads lines a chunk at a time, not a byte at a time, and keeps
# what follows a line for the next read of any kind: read, readinto,
# readexactly, readline, and the Io classes' reads. A partial line or a
# short readexactly waits for the rest without losing what came; at EOF a
# line may end without b"\n", and readexactly raises EOFError. Over a
# pure-Python wire (tests/_wire.py) that counts the stream's read calls.
import zsync_mp as zs
from _wire import Wire

REQUEST = b"GET / HTTP/1.0\r\nHost: board\r\n\r\nBODY"


async def feed_later(w, b, eof=False):
    await zs.sleep_ms(5)
    w.feed(b)
    w.eof = eof


async def main():
    w = Wire(REQUEST)
    st = zs.Stream(w, nb=True)
    lines = []
    for _ in range(3):  # (MicroPython has no await in a comprehension)
        lines.append(await st.readline())
    print("three lines:", lines, "in", w.reads, "read call(s) for", len(REQUEST), "bytes")
    print("readexactly(2) from what was read ahead:", await st.readexactly(2), "reads:", w.reads)
    print("read(10) returns what is there:", await st.read(10), "reads:", w.reads)

    w.feed(b"line\nrest")
    print("readline:", await st.readline())
    buf = bytearray(3)
    n = await st.readinto(buf)
    print("readinto from the read-ahead:", n, bytes(buf[:n]))
    print("AsyncIo.read from the read-ahead:", await zs.AsyncIo().read(st, 5))

    async with zs.TaskGroup() as tg:
        w.feed(b"par")
        tg.spawn(feed_later(w, b"tial\nmore"))
        print("a line that arrives in two parts:", await st.readline())
    async with zs.TaskGroup() as tg:
        tg.spawn(feed_later(w, b"!!"))
        print("readexactly(6) across a wait:", await st.readexactly(6))

    async with zs.TaskGroup() as tg:
        tg.spawn(feed_later(w, b"AB\nno newline at the end", True))
        print("readline:", await st.readline())
    print("the last line at EOF:", await st.readline())
    print("then EOF:", await st.readline(), await st.read(4))

    w2 = Wire(b"abc")
    w2.eof = True
    st2 = zs.Stream(w2, nb=True)
    try:
        await st2.readexactly(5)
    except EOFError as e:
        print("EOFError:", e)
    w3 = Wire(b"x\ny\nz")
    w3.eof = True
    st3 = zs.Stream(w3, nb=True)
    print("readline, then read(-1) to EOF:", await st3.readline(), await st3.read())
    # A stream that may block (nb=False: a UART's kind) reads no further
    # ahead than each call asks, waiting for readability first.
    w4 = Wire(b"u1\nu2\nand the rest")
    w4.eof = True
    st4 = zs.Stream(w4)
    buf = bytearray(3)
    n = await st4.readinto(buf)
    line = await st4.readline()
    print("nb=False: readinto, readline, read(-1):", bytes(buf[:n]), line, await st4.read(), "reads:", w4.reads)
    await zs.wait_writable(w3)  # (the wire is always writable)
    print("wait_writable on a writable wire returned")


zs.run(main())

# BlockingIo needs no loop: it reads what the Stream read ahead first.
w = Wire(b"first\nsecond\n")
st = zs.Stream(w, nb=True)
io = zs.BlockingIo()
print("BlockingIo:", io.readline(st), io.read(st, 3), io.readexactly(st, 4))
