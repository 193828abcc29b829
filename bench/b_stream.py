# A stream's read() to EOF of a large body over loopback (a client sends it
# and closes; the server's handler reads it all), on zsync_mp.asyncio and on
# the interpreter's own asyncio, the same code: time per read() in µs. Reads
# that gather many chunks must stay linear in the body's size (appending
# each chunk to the buffer made 16 MB take 23 s on CPython, 2026-12).
# 16 MB on CPython, 256 KB on MicroPython (a 2 MB heap holds the body
# twice: its chunks and the joined result).
import harness as H

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
        t0 = H.now_us()
        got = await r.read(-1)
        out.append(H.since_us(t0))
        if len(got) != size:
            raise RuntimeError("read %d of %d bytes" % (len(got), size))
        w.close()
        await w.wait_closed()

    async def main():
        for _ in range(50):
            port = next_port()
            try:
                srv = await mod.start_server(handle, "127.0.0.1", port)
                break
            except OSError:
                continue
        r, w = await mod.open_connection("127.0.0.1", port)
        w.write(data)
        await w.drain()
        w.close()
        await w.wait_closed()
        while not out:
            await mod.sleep(0.001)
        srv.close()
        await srv.wait_closed()

    mod.run(main())
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
