# zsync_mp.asyncio._streams: asyncio's start_server and Server on zsync_mp's
# (zsync_mp.io.net): the accept loop and every connection are asyncio Tasks,
# and Server gains CPython's serve_forever(); start_serving= only on CPython,
# as in each interpreter's asyncio.
from ..io import net as _net
from ..kernel.port import MICROPYTHON
from ._core import CancelledError, create_task


class Server(_net.Server):
    """asyncio's Server: close(), wait_closed(), is_serving(),
    start_serving(), serve_forever(), sockets, `async with`."""

    _forever = False

    async def serve_forever(self):
        """Accept until close(); then raise CancelledError (CPython's
        serve_forever ends that way). Cancelling the caller closes the server."""
        if self._forever:
            raise RuntimeError("this server is already being awaited on serve_forever()")
        if self._closed:
            raise RuntimeError("this server is closed")
        self._start()
        self._forever = True
        try:
            await self.wait_closed()
        except CancelledError:
            self.close()
            raise
        finally:
            self._forever = False
        raise CancelledError()


if MICROPYTHON:
    # MicroPython's signature there: code tells the two apart by it (microdot
    # turns the TypeError for start_serving= into its own error).
    async def start_server(cb, host, port, backlog=5, ssl=None):
        """Listen on host:port; each connection runs `cb(reader, writer)`
        as a new Task (TLS with ssl=, an SSLContext). Returns a Server."""
        return await _net.listen(cb, host, port, backlog, ssl, True, create_task, Server)

else:
    async def start_server(cb, host, port, backlog=5, ssl=None, start_serving=True):
        """Listen on host:port; each connection runs `cb(reader, writer)`
        as a new Task (TLS with ssl=, an SSLContext). Returns a Server;
        start_serving=False waits for start_serving() or serve_forever()."""
        return await _net.listen(cb, host, port, backlog, ssl, start_serving, create_task, Server)
