# zsync_mp.io.stream: buffered async streams over anything pollable.
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
# - The same class is asyncio's StreamReader and StreamWriter, with
#   MicroPython's awrite/awritestr/aclose.
# - ssl= (open_connection, start_server) wraps the socket with the port's
#   ssl module (zsync_mp.io.tls); a TLS stream whose library holds decrypted
#   bytes does not wait for the socket before reading them.
# - Nothing here is IRQ-safe.

from ..kernel import core
from ..kernel import timing as _time
from ..kernel.core import _OP, _PARKED


class _IoWait:
    # Park the task until `obj` is readable (or writable).
    def __init__(self, write):
        self.write = write

    def _op(self, t, obj):
        core.kernel().io_wait(t, obj, self.write)
        return _PARKED


class _TlsRead(_IoWait):
    # Bytes the TLS library already decrypted are readable now: the socket
    # may never signal them.
    def _op(self, t, obj):
        if obj.pending():
            return None
        return _IoWait._op(self, t, obj)


_RD = _IoWait(False)
_WR = _IoWait(True)
_RD_TLS = _TlsRead(False)


def wait_readable(obj):
    return _OP.set(_RD, obj)


def wait_writable(obj):
    return _OP.set(_WR, obj)


# Stream algorithms: yield False to wait readable, True to wait writable.
# nb=True: `s` never blocks (a non-blocking socket): read before waiting,
# and wait only once it says it would block (None); otherwise (a UART, a
# pipe that may block) wait for readability before every read.
def _g_read(s, n, nb=False):
    while True:
        if nb:
            nb = False
        else:
            yield False
        r = s.read(n)
        if r is not None:
            return r


def _g_readexactly(s, n, nb=False):
    got = b""
    wait = not nb
    while len(got) < n:
        if wait:
            yield False
        r = s.read(n - len(got))
        if r is None:
            wait = True
            continue
        wait = not nb
        if not r:
            raise EOFError("stream ended after %d of %d bytes" % (len(got), n))
        got += r
    return got


def _g_readline(s, nb=False, line=b""):
    rl = hasattr(s, "readline")
    wait = not nb
    while True:
        if wait:
            yield False
        r = s.readline() if rl else s.read(1)
        if r is None:
            wait = True
            continue
        wait = not nb
        line += r
        if not r or line.endswith(b"\n"):
            return line


async def _adrive(g, s, rd=_RD):
    waited = False
    try:
        while True:
            w = next(g)
            waited = True
            if w:
                await _OP.set(_WR, s)
            else:
                await _OP.set(rd, s)
    except StopIteration as e:
        if not waited:
            await _time.yield_now()  # the data was there: still a checkpoint
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

    def readline(self):
        # Up to the first b"\n" the socket holds (all it holds if none):
        # peek, then take exactly that, rather than a recv per byte. (The
        # peek is apart so each frame fits MicroPython's 11 words:
        # tools/frames.py.)
        b = self._peek()
        if not b:
            return b
        i = b.find(b"\n")
        return self.s.recv(i + 1 if i >= 0 else len(b))

    def _peek(self):
        try:
            return self.s.recv(_LINE, _PEEK)
        except BlockingIOError:
            return None

    def write(self, buf):
        try:
            return self.s.send(buf)
        except BlockingIOError:
            return None

    def close(self):
        self.s.close()


_LINE = 4096  # readline's peek
try:
    from socket import MSG_PEEK as _PEEK
except ImportError:  # no networking here (WebAssembly): _Sock is never made
    _PEEK = 0


def _stream_obj(s):
    return _Sock(s) if hasattr(s, "recv") and not hasattr(s, "read") else s


_BUFS = (bytes, bytearray, memoryview)  # To prevent heap allocation per write


class Stream:
    """Async reads and buffered writes over a pollable stream `s`.
    read/readinto/readexactly/readline/drain/wait_closed are checkpoints."""

    def __init__(self, s, extra=None, nb=False):
        # nb=True: `s` never blocks (a non-blocking socket): reads are tried
        # before waiting for it.
        self.s = _stream_obj(s)
        self.e = extra if extra is not None else {}
        self.out = b""
        self.closed = False
        self.nb = nb
        self.rd = _RD_TLS if hasattr(self.s, "pending") else _RD

    def get_extra_info(self, name, default=None):
        """`name` from the connection's details ('peername'...), else default."""
        return self.e.get(name, default)

    def _check(self):
        if self.closed:
            raise OSError("stream is closed")

    async def read(self, n=-1):
        """Up to `n` bytes (n=-1: until EOF); b'' at EOF."""
        self._check()
        if n < 0:
            parts = []
            while True:
                await _OP.set(self.rd, self.s)
                r = self.s.read(4096)
                if r is None:
                    continue
                if not r:
                    return b"".join(parts)
                parts.append(r)
        return await _adrive(_g_read(self.s, n, self.nb), self.s, self.rd)

    async def readinto(self, buf):
        self._check()
        while True:
            await _OP.set(self.rd, self.s)
            r = self.s.readinto(buf)
            if r is not None:
                return r

    async def readexactly(self, n):
        """Exactly `n` bytes; EOFError if the stream ends first."""
        self._check()
        return await _adrive(_g_readexactly(self.s, n, self.nb), self.s, self.rd)

    async def readline(self):
        """One line including b'\\n' (shorter only at EOF)."""
        self._check()
        if self.nb:  # the common case first: the whole line is there
            r = self.s.readline()
            if r is None:
                return await _adrive(_g_readline(self.s), self.s, self.rd)
            if not r or r[-1] == 10:
                await _time.yield_now()  # still a checkpoint
                return r
            return await _adrive(_g_readline(self.s, True, r), self.s, self.rd)
        return await _adrive(_g_readline(self.s), self.s, self.rd)

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
        K = core._K
        if K is not None:
            K.io_forget(self.s)
        self.s.close()

    async def wait_closed(self):
        self.close()
        await _time.yield_now()

    async def awrite(self, buf, off=0, sz=-1):
        """write() then drain() (MicroPython's); off/sz send a slice of buf."""
        if off != 0 or sz != -1:
            buf = memoryview(buf)
            buf = buf[off:] if sz == -1 else buf[off:off + sz]
        self.write(buf)
        if self.out:
            await self.drain()
        else:  # all written: drain()'s checkpoint without its frame
            await _time.yield_now()

    async def awritestr(self, s):
        """awrite() of a str (UTF-8)."""
        await self.awrite(s.encode() if isinstance(s, str) else s)

    async def aclose(self):
        """Close and wait until closed (MicroPython's name for both)."""
        self.close()
        await _time.yield_now()

    async def __aenter__(self):
        return self

    async def __aexit__(self, et, ev, tb):
        self.close()
        return False

