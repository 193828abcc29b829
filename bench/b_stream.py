# A stream's read() to EOF of a large body over loopback, on
# zsync_mp.asyncio and on the interpreter's own asyncio, the same code: a
# client sends the body in 4 KB pieces, yielding after each (a body that
# arrives over a network a piece at a time), and closes; the server's
# handler reads it all with one read(). Time per read() in µs. Such a read
# waits for each piece and must stay linear in the body's size: appending
# each chunk to the buffer made 16 MB take 23 s on CPython (2026-12), and
# joining what it had at every wait would copy it once per piece. 16 MB on
# CPython, 256 KB on MicroPython (a 2 MB heap holds the body twice: its
# chunks and the joined result).
import harness as H

PIECE = 4096
SIZE = 256 << 10 if H.IMPL == "micropython" else 16 << 20
_port = [0]


def next_port():
    # MicroPython's socket has no getsockname(): try ports from one picked
    # by the clock until one is free.
    if not _port[0]:
        _port[0] = 20000 + int(H.now_us()) % 20000
    _port[0] += 1
    return _port[0]


def read_all(kind, size):
    if kind == "zs":
        import zsync_mp.asyncio as mod
    else:
        import asyncio as mod
    data = b"x" * size
    out = []

    async def handle(r, w):
        try:
            t0 = H.now_us()
            got = await r.read(-1)
            out.append(H.since_us(t0) if len(got) == size else "read %d of %d bytes" % (len(got), size))
            w.close()
            await w.wait_closed()
        finally:
            done.set()

    async def main():
        for _ in range(50):
            try:
                srv = await mod.start_server(handle, "127.0.0.1", next_port())
                break
            except OSError:
                continue
        else:
            raise RuntimeError("no free port for the server (50 tried)")
        r, w = await mod.open_connection("127.0.0.1", _port[0])
        for i in range(0, size, PIECE):
            w.write(data[i:i + PIECE])
            await w.drain()
            await mod.sleep(0)
        w.close()
        await w.wait_closed()
        await done.wait()
        srv.close()
        await srv.wait_closed()

    done = mod.Event()
    mod.run(main())
    if not out or isinstance(out[0], str):
        raise RuntimeError("%s: the server's read() failed: %s" % (kind, out[0] if out else "no result"))
    return out[0]


def run():
    n = 64 << 10 if H.TINY else SIZE
    out = {}
    for _ in range(H.REPS):
        for kind in ("zs", "asyncio"):
            out.setdefault("readall.%s" % kind, []).append(read_all(kind, n))
    return out


def main():
    H.emit("stream", run(), {"unit": "us per read()", "bytes": 64 << 10 if H.TINY else SIZE})


if __name__ == "__main__":
    main()
