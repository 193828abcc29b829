# micropython-uaioweb (PyPI) serving tests/_realapp.py's routes; see there.
import asyncio

import uaioweb

from _realapp import PORT, Chunks, Gate, announce

gate = Gate()
stop = asyncio.Event()


def reply(w, body):
    w.write(b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body))
    w.write(body)


def make_app(port):
    app = uaioweb.App(host="127.0.0.1", port=port)

    @app.route("/")
    async def index(r, w):
        reply(w, b"hello from uaioweb")
        await w.drain()

    @app.route("/gate")
    async def through(r, w):
        n = int(r.query.split("=")[1])
        await gate.wait(n)
        reply(w, b"through %d" % n)
        await w.drain()

    @app.route("/stream")
    async def stream(r, w):
        w.write(b"HTTP/1.0 200 OK\r\n\r\n")
        async for c in Chunks(int(r.query.split("=")[1])):
            w.write(c)
            await w.drain()

    @app.route("/ws")
    async def echo(r, w):
        ws = await uaioweb.WebSocket.upgrade(r, w)
        while True:
            m = await ws.recv()
            if m is None or m["type"] == "close":
                break
            await ws.send(m["data"])

    @app.route("/shutdown")
    async def shutdown(r, w):
        reply(w, b"bye")
        await w.drain()
        stop.set()

    return app


async def serve():
    port = PORT
    await make_app(port).serve()
    announce(port)
    await stop.wait()


def main():
    asyncio.run(serve())
