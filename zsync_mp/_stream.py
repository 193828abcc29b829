# zsync_mp._stream: buffered async streams over anything pollable.
#
# Contract
# - A Stream wraps an object with MicroPython's stream methods (read, readinto,
#   write, and poll support: a socket, a UART, a pipe, or a pure-Python object
#   with ioctl(3, mask)). Every wait goes through the kernel's poller
#   (Kernel.io_wait); nothing busy-loops. On CPython a socket is wrapped so it
#   speaks read/write like MicroPython's.
# - One reader and one writer may wait on a stream at a time (the kernel
#   raises a clear RuntimeError for a second one).
# - write() only buffers (it never blocks); drain() waits until the buffer is
#   written. Every async method is a checkpoint.
# - The same class is asyncio's StreamReader and StreamWriter.
# - Nothing here is IRQ-safe.
import errno as _errno

from . import _kernel as k
from . import _time
from ._task import spawn
from ._kernel import _OP, _PARKED


class _IoWait:
    # Park the task until `obj` is readable (or writable).
    def __init__(self, write):
        self.write = write

    def _op(self, t, obj):
        k.kernel().io_wait(t, obj, self.write)
        return _PARKED


_RD = _IoWait(False)
_WR = _IoWait(True)


def wait_readable(obj):
    return _OP.set(_RD, obj)


def wait_writable(obj):
    return _OP.set(_WR, obj)


# Stream algorithms: yield False to wait readable, True to wait writable.
def _g_read(s, n):
    while True:
        yield False
        r = s.read(n)
        if r is not None:
            return r


def _g_readexactly(s, n):
    got = b""
    while len(got) < n:
        yield False
        r = s.read(n - len(got))
        if r is None:
            continue
        if not r:
            raise EOFError("stream ended after %d of %d bytes" % (len(got), n))
        got += r
    return got


def _g_readline(s):
    line = b""
    rl = hasattr(s, "readline")
    while True:
        yield False
        r = s.readline() if rl else s.read(1)
        if r is None:
            continue
        line += r
        if not r or line.endswith(b"\n"):
            return line



async def _adrive(g, s):
    try:
        while True:
            w = next(g)
            if w:
                await wait_writable(s)
            else:
                await wait_readable(s)
    except StopIteration as e:
        return e.value


class _Sock:
    # A CPython socket with MicroPython's stream methods (None = would block).
    def __init__(self, s):
        self.s = s

    def fileno(self):
        return self.s.fileno()

    def read(self, n=-1):
        try:
            return self.s.recv(n if n > 0 else 4096)
        except BlockingIOError:
            return None

    def readinto(self, buf):
        try:
            return self.s.recv_into(buf)
        except BlockingIOError:
            return None

    def write(self, buf):
        try:
            return self.s.send(buf)
        except BlockingIOError:
            return None

    def close(self):
        self.s.close()


def _stream_obj(s):
    return _Sock(s) if hasattr(s, "recv") and not hasattr(s, "read") else s


_BUFS = (bytes, bytearray, memoryview)  # To prevent heap allocation per write


class Stream:
    """Async reads and buffered writes over a pollable stream `s`.
    read/readinto/readexactly/readline/drain/wait_closed are checkpoints."""

    def __init__(self, s, extra=None):
        self.s = _stream_obj(s)
        self.e = extra if extra is not None else {}
        self.out = b""
        self.closed = False

    def get_extra_info(self, name):
        return self.e.get(name)

    def _check(self):
        if self.closed:
            raise OSError("stream is closed")

    async def read(self, n=-1):
        """Up to `n` bytes (n=-1: until EOF); b'' at EOF."""
        self._check()
        if n < 0:
            parts = []
            while True:
                await wait_readable(self.s)
                r = self.s.read(4096)
                if r is None:
                    continue
                if not r:
                    return b"".join(parts)
                parts.append(r)
        return await _adrive(_g_read(self.s, n), self.s)

    async def readinto(self, buf):
        self._check()
        while True:
            await wait_readable(self.s)
            r = self.s.readinto(buf)
            if r is not None:
                return r

    async def readexactly(self, n):
        """Exactly `n` bytes; EOFError if the stream ends first."""
        self._check()
        return await _adrive(_g_readexactly(self.s, n), self.s)

    async def readline(self):
        """One line including b'\\n' (shorter only at EOF)."""
        self._check()
        return await _adrive(_g_readline(self.s), self.s)

    def write(self, buf):
        """Buffer `buf` for drain(); never blocks."""
        self._check()
        if not isinstance(buf, _BUFS):
            raise TypeError("Stream.write needs bytes, got %r" % (type(buf).__name__,))
        if not self.out:
            # Write what the stream takes now; keep the rest.
            n = self.s.write(buf)
            if n == len(buf):
                return
            if n is not None and n > 0:
                buf = buf[n:]
        self.out += buf

    async def drain(self):
        """Wait until everything written has left the buffer."""
        self._check()
        if not self.out:
            return await _time.yield_now()
        while self.out:
            await wait_writable(self.s)
            n = self.s.write(self.out)
            if n is not None:
                self.out = self.out[n:]

    def close(self):
        if self.closed:
            return
        self.closed = True
        K = k._K
        if K is not None:
            K.io_forget(self.s)
        self.s.close()

    async def wait_closed(self):
        self.close()
        await _time.yield_now()

    async def __aenter__(self):
        return self

    async def __aexit__(self, et, ev, tb):
        self.close()
        return False


async def open_connection(host, port):
    """Connect to host:port over TCP; returns (reader, writer) (one Stream
    twice, as MicroPython does). A checkpoint."""
    import socket as _socket  # here: ports without networking have no socket module

    ai = _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)[0]
    s = _socket.socket(ai[0], ai[1], ai[2])
    s.setblocking(False)
    try:
        s.connect(ai[-1])
    except OSError as e:
        if e.errno != 115 and not isinstance(e, BlockingIOError):  # EINPROGRESS
            s.close()
            raise
    ss = Stream(s, {"peername": ai[-1]})
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
    return ss, ss


_CONNECT_FAILED = tuple(getattr(_errno, n) for n in ("ECONNREFUSED", "ETIMEDOUT", "EHOSTUNREACH", "ECONNRESET", "ENETUNREACH") if hasattr(_errno, n))


class Server:
    """A listening TCP server; close() stops accepting, `async with` too."""

    def __init__(self, sock, task):
        self.s = sock
        self.task = task

    def close(self):
        if self.task is not None:
            self.task.cancel()
            self.task = None

    async def wait_closed(self):
        t = self.task
        if t is not None:
            try:
                await t
            except k.Cancelled:
                pass

    async def __aenter__(self):
        return self

    async def __aexit__(self, et, ev, tb):
        self.close()
        await self.wait_closed()
        return False


async def _serve(ls, cb):
    w = _stream_obj(ls)
    try:
        while True:
            await wait_readable(w)
            try:
                s, addr = ls.accept()
            except OSError:
                continue
            s.setblocking(False)
            st = Stream(s, {"peername": addr})
            spawn(cb(st, st))
    finally:
        K = k._K
        if K is not None:
            K.io_forget(w)
        ls.close()


async def start_server(cb, host, port, backlog=5):
    """Listen on host:port; each connection runs `cb(reader, writer)` as a
    new task. Returns a Server (server.close() stops it)."""
    if not callable(cb):
        raise TypeError("start_server needs a callback, got %r" % (cb,))
    import socket as _socket  # here: ports without networking have no socket module

    ai = _socket.getaddrinfo(host, port, 0, _socket.SOCK_STREAM)[0]
    s = _socket.socket(ai[0], ai[1], ai[2])
    s.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
    s.bind(ai[-1])
    s.listen(backlog)
    s.setblocking(False)
    srv = Server(s, None)
    srv.task = spawn(_serve(s, cb), name="server")
    await _time.yield_now()
    return srv
