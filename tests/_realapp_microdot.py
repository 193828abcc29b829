# microdot (PyPI) serving tests/_realapp.py's routes; see there.
import asyncio

from microdot import Microdot
from microdot.websocket import with_websocket

from _realapp import PORT, Chunks, Gate, announce

app = Microdot()
gate = Gate()


@app.route("/")
async def index(req):
    return "hello from microdot"


@app.route("/sync")
def sync(req):  # a plain function: CPython's microdot runs it in a thread
    return "sync handler"


@app.route("/gate/<int:n>")
async def through(req, n):
    await gate.wait(n)
    return "through %d" % n


@app.route("/stream/<int:n>")
async def stream(req, n):
    return Chunks(n)


@app.route("/ws")
@with_websocket
async def echo(req, ws):
    while True:
        await ws.send(await ws.receive())


@app.route("/shutdown")
async def shutdown(req):
    req.app.shutdown()
    return "bye"


async def serve():
    port = PORT
    announce(port)
    await app.start_server(host="127.0.0.1", port=port)


def main():
    asyncio.run(serve())
