# zsync_mp.io.net: TCP streams: open_connection, start_server, Server.
#
# Contract
# - open_connection() returns (reader, writer), one Stream twice, as
#   MicroPython does; start_server() runs cb(reader, writer) per connection
#   as a new detached task and returns a Server.
# - ssl= takes an SSLContext (or True for a client with the port's defaults)
#   and wraps with the port's ssl module (_tls); a port without one gets an
#   ImportError naming it. The TLS handshake of an accepted connection runs
#   in the connection's task, so a slow client never stalls accept().
# - A Server's accept loop is a task; close() cancels it and closes the
#   listening socket. wait_closed() waits for that; it re-raises the
#   cancellation only when the loop was cancelled from outside (the task
#   awaiting the server was cancelled), as MicroPython's Server does; then
#   it waits for the connections' tasks to end (CPython 3.12's rule), so a
#   handler that closed the server still sends its reply before an
#   asyncio.run() that awaited wait_closed() ends.
#   start_serving=False defers the loop to start_serving().
# - `spawn` is the task factory: zsync_mp's spawn here; zsync_mp.asyncio
#   passes its create_task, so connections are asyncio Tasks.
# - Nothing here is IRQ-safe.
import errno as _errno

from ..kernel import core
from ..kernel import timing as _time
from ..kernel.task import spawn
from .stream import Stream, _stream_obj, wait_readable, wait_writable


async def open_connection(host, port, ssl=None, server_hostname=None):
    """Connect to host:port over TCP (TLS with ssl=); returns (reader,
    writer) (one Stream twice, as MicroPython does). A checkpoint."""
    import socket as _socket  # here: ports without networking have no socket module

    ctx = None
    if ssl:
        from . import tls as _tls

        ctx = _tls.client_context(ssl)
    ai = _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)[0]
    s = _socket.socket(ai[0], ai[1], ai[2])
    s.setblocking(False)
    try:
        s.connect(ai[-1])
    except OSError as e:
        if e.errno != 115 and not isinstance(e, BlockingIOError):  # EINPROGRESS
            s.close()
            raise
    ss = Stream(s, {"peername": ai[-1]}, True)
    try:
        await wait_writable(ss.s)
    except BaseException:
        ss.close()
        raise
    # Writable means the connect finished, maybe with an error: a second
    # connect() says which (every socket layer reports a refusal there).
    try:
        s.connect(ai[-1])
    except OSError as e:
        if e.args and e.args[0] in _CONNECT_FAILED:
            ss.close()
            raise OSError(e.args[0], "connect to %s:%s failed" % (host, port))
    if ctx is not None:
        ss = await _tls_stream(ctx, s, False, server_hostname or host, {"peername": ai[-1]})
    return ss, ss


_CONNECT_FAILED = tuple(getattr(_errno, n) for n in ("ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET", "ENETUNREACH") if hasattr(_errno, n))


async def _tls_stream(ctx, s, server_side, hostname, extra):
    from . import tls as _tls

    try:
        ss = Stream(_tls.wrap(ctx, s, server_side, hostname), extra, True)
    except BaseException:
        s.close()
        raise
    try:
        await _tls.handshake(ss.s)
    except BaseException:
        ss.close()
        raise
    return ss


class Server:
    """A listening TCP server: close() stops accepting, wait_closed() waits
    for that, `async with` does both; sockets holds the listening socket."""

    def __init__(self, sock, cb, ssl, spawn_fn):
        self.s = sock
        self.sockets = (sock,)
        self.task = None
        self._how = (cb, ssl, spawn_fn)
        self._closed = False
        self._live = 0  # connections whose task has not ended
        self._idle = None  # an Event wait_closed() waits on for _live == 0

    def _start(self):
        if self.task is None and not self._closed:
            cb, ssl, sp = self._how
            self.task = sp(_serve(self, cb, ssl, sp), name="server")

    def is_serving(self):
        return self.task is not None and not self._closed and not self.task.done()

    async def start_serving(self):
        """Start accepting (after start_server(..., start_serving=False))."""
        self._start()
        await _time.yield_now()

    def close(self):
        if self._closed:
            return
        self._closed = True
        if self.task is not None:
            self.task.cancel()
        else:  # never served: nobody else will close the socket
            self.s.close()

    async def wait_closed(self):
        t = self.task
        if t is not None:
            try:
                await t
            except core.Cancelled:
                if not self._closed:
                    raise
        while self._live:
            if self._idle is None:
                from ..sync.primitives import Event

                self._idle = Event()
            await self._idle.wait()
            self._idle = None

    async def __aenter__(self):
        return self

    async def __aexit__(self, et, ev, tb):
        self.close()
        await self.wait_closed()
        return False


async def _conn(srv, cb, ctx, s, addr):
    # One connection's task (counted in srv._live from its spawn): its TLS
    # handshake (if any), then cb.
    try:
        if ctx is None:
            st = Stream(s, {"peername": addr}, True)
        else:
            try:
                st = await _tls_stream(ctx, s, True, None, {"peername": addr})
            except OSError:
                return  # a client that fails its handshake just goes away
        await cb(st, st)
    finally:
        srv._live -= 1
        if not srv._live and srv._idle is not None:
            srv._idle.set()


async def _serve(srv, cb, ssl, sp):
    ls = srv.s
    w = _stream_obj(ls)
    try:
        while True:
            await wait_readable(w)
            try:
                s, addr = ls.accept()
            except OSError:
                continue
            s.setblocking(False)
            srv._live += 1
            try:
                sp(_conn(srv, cb, ssl, s, addr))
            except BaseException:
                srv._live -= 1
                s.close()
                raise
    finally:
        K = core._K
        if K is not None:
            K.io_forget(w)
        ls.close()


async def start_server(cb, host, port, backlog=5, ssl=None, start_serving=True):
    """Listen on host:port; each connection runs `cb(reader, writer)` as a
    new task (TLS with ssl=, an SSLContext). Returns a Server (close() stops
    it); start_serving=False waits for Server.start_serving()."""
    return await listen(cb, host, port, backlog, ssl, start_serving, spawn)


async def listen(cb, host, port, backlog, ssl, start_serving, spawn_fn, cls=Server):
    # start_server() with the task factory for the accept loop and connections
    # and the Server class to return.
    if not callable(cb):
        raise TypeError("start_server needs a callback, got %r" % (cb,))
    if ssl is not None and not hasattr(ssl, "wrap_socket"):
        raise TypeError("start_server's ssl= needs an SSLContext, got %r" % (ssl,))
    import socket as _socket  # here: ports without networking have no socket module

    ai = _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)[0]
    s = _socket.socket(ai[0], ai[1], ai[2])
    try:
        s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        s.bind(ai[-1])
        s.listen(backlog)
        s.setblocking(False)
    except BaseException:
        s.close()
        raise
    srv = cls(s, cb, ssl, spawn_fn)
    if start_serving:
        srv._start()
    try:
        await _time.yield_now()  # the accept loop is running before we return
    except BaseException:
        srv.close()
        raise
    return srv
