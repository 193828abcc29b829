# Real apps, unchanged (issue 18): serve a third-party asyncio library's app
# on zsync_mp.asyncio or on the interpreter's stock asyncio, the library's
# code untouched: `import asyncio` is redirected by a sys.modules entry made
# here, before the library is imported.
#
#   python -u tests/_realapp.py zsync|stock microdot|uaioweb PORT
#   MICROPYPATH=.frozen:.:<dir holding microdot/> micropython tests/_realapp.py ...
#
# PORT is a free port the caller got by binding port 0 (MicroPython's
# socket has no getsockname(), and stock MicroPython's Server does not keep
# its socket, so the server cannot tell which port it bound).
# The app (tests/_realapp_<name>.py) prints "PORT <n>" once it listens,
# serves until a client asks /shutdown, then prints "stopped". The same
# routes on every app: / (hello), /gate/<n> (answers once n requests wait
# there: only a concurrent server gets through), /stream/<n> (n chunks, each
# after a sleep), /ws (websocket echo), /shutdown; tests/test_realapps.py
# is the client.
import sys

RUNTIME, APP, PORT = sys.argv[1], sys.argv[2], int(sys.argv[3])
if RUNTIME == "zsync":
    import zsync_mp.asyncio as _aio

    sys.modules["asyncio"] = _aio
    sys.modules["uasyncio"] = _aio
elif RUNTIME != "stock":
    raise SystemExit("runtime must be zsync or stock, got %r" % RUNTIME)

import asyncio


def announce(port):
    sys.stdout.write("PORT %d\n" % port)


class Gate:
    # /gate/<n>: everyone waits until n requests are inside.
    def __init__(self):
        self.inside = 0
        self.ev = asyncio.Event()

    async def wait(self, n):
        self.inside += 1
        if self.inside >= n:
            self.ev.set()
        await self.ev.wait()
        return self.inside


class Chunks:
    # An async iterator (MicroPython has no async generators): n chunks,
    # each after a sleep, so other requests run in between.
    def __init__(self, n):
        self.i = 0
        self.n = n

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.i == self.n:
            raise StopAsyncIteration
        await asyncio.sleep_ms(2) if hasattr(asyncio, "sleep_ms") else await asyncio.sleep(0.002)
        self.i += 1
        return b"chunk %d\n" % self.i


if __name__ == "__main__":
    __import__("_realapp_" + APP).main()
    sys.stdout.write("stopped\n")
