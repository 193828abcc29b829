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
# - A non-blocking stream (a socket: nb=True) reads through a read-ahead
#   buffer (_Ahead): readline() takes a chunk per read call, not a byte, and
#   keeps what follows the line for the next read of any kind. Its reads
#   follow Trio's rule for receive_some: a cancelled task raises Cancelled
#   before taking any bytes; bytes that are there are taken and returned; a
#   read that must wait takes nothing until it returns (a partial line or a
#   short readexactly stays in the buffer). awrite likewise (Trio's
#   send_all): a cancelled task raises before sending; once all is sent, it
#   returns.
# - An operation that completes without waiting (a read that finds its
#   bytes, an awrite the stream takes whole, a drain with nothing left) does
#   not switch tasks, except every core.COOP-th (16), which passes a
#   schedule point that cannot be cancelled (Tokio's cooperative budget): a
#   task on a stream that is always ready cannot starve the others.
# - The same class is asyncio's StreamReader and StreamWriter, with
#   MicroPython's awrite/awritestr/aclose.
# - ssl= (open_connection, start_server) wraps the socket with the port's
#   ssl module (zsync_mp.io.tls); a TLS stream whose library holds decrypted
#   bytes does not wait for the socket before reading them.
# - Nothing here is IRQ-safe.

from ..kernel import core
from ..kernel import timing as _time
from ..kernel.core import _OP, _PARKED, check_cancel, resched, spent


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


# What a read does (_Ahead.take's and Stream._read's `how`).
_READ = 0  # up to n bytes
_INTO = 1  # readinto(buf)
_LINE = 2  # up to and including b"\n"; the rest at EOF
_EXACT = 3  # n bytes (EOFError if the stream ends first)
_ALL = 4  # everything up to EOF
_CHUNK = 512  # bytes a read ahead asks for at once (at least)


# Stream algorithms: yield False to wait readable, True to wait writable.
# For a stream that may block (a UART, a pipe): wait for readability before
# every read. (A non-blocking Stream reads through _Ahead: _g_take.)
def _g_read(s, n, into=False):
    # into=True: n is a buffer to readinto().
    while True:
        yield False
        r = s.readinto(n) if into else s.read(n)
        if r is not None:
            return r


def _g_readexactly(s, n):
    # The pieces are joined once (appending each copied all before it).
    parts = []
    got = 0
    while got < n:
        yield False
        r = s.read(n - got)
        if r is None:
            continue
        if not r:
            raise EOFError("stream ended after %d of %d bytes" % (got, n))
        parts.append(r)
        got += len(r)
    return b"".join(parts)


def _g_readline(s):
    rl = hasattr(s, "readline")
    line = b""
    while True:
        yield False
        r = s.readline() if rl else s.read(1)
        if r is None:
            continue
        line += r
        if not r or line.endswith(b"\n"):
            return line


def _g_readall(s):
    parts = []
    while True:
        yield False
        r = s.read(4096)
        if r is None:
            continue
        if not r:
            return b"".join(parts)
        parts.append(r)


def _g_take(st, how, arg):
    # A zs.Stream's read (`how`) as a stream algorithm: through the
    # read-ahead (non-blocking), else the algorithm that waits first.
    if st.nb:
        while True:
            v = st.r.take(how, arg)
            if v is not None:
                return v
            yield False
    s = st.s
    if how == _LINE:
        return (yield from _g_readline(s))
    if how == _EXACT:
        return (yield from _g_readexactly(s, arg))
    if how == _ALL:
        return (yield from _g_readall(s))
    return (yield from _g_read(s, arg, how == _INTO))


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

    def write(self, buf):
        try:
            return self.s.send(buf)
        except BlockingIOError:
            return None

    def close(self):
        self.s.close()


class _Ahead:
    # A non-blocking stream's reads, with a read-ahead buffer `b`: the bytes
    # read past what the last read returned. MicroPython's socket readline()
    # makes one read(2) call per byte (37 for a 37-byte HTTP request); here a
    # line costs a read call per chunk. take() returns None when it would
    # block, keeping what it has read so far.
    # A read that needs more than the buffer holds (a line, readexactly(n),
    # read() to EOF) gathers chunks in a list, `g` = [how, bytes gathered,
    # chunk, ...], kept across its waits (`b` is empty meanwhile), and joins
    # them once when it is done: appending each chunk to the buffer copied
    # the buffer every time (read() of 16 MB took 23 s on CPython). A read
    # of another kind finds the chunks joined back into `b` (_fold).
    def __init__(self, s):
        self.s = s
        self.b = b""
        self.g = None

    def take(self, how, arg):
        # (Its frame fits MicroPython's 11 words: a read allocates no frame,
        # tools/frames.py.)
        g = self.g
        if g is not None:
            if g[0] == how:
                return self._more(g, how, arg)  # the same read again: go on gathering
            self._fold(g)
        b = self.b
        if how == _LINE:
            i = b.find(b"\n")
            if i < 0:
                return self._more(None, how, arg)
            self.b = b[i + 1:]
            return b[:i + 1]
        if how == _EXACT:
            if len(b) < arg:
                return self._more(None, how, arg)
            self.b = b[arg:]
            return b[:arg]
        if how == _ALL:
            return self._more(None, how, arg)
        if not b:  # _READ, _INTO: the stream's own call
            return self.s.readinto(arg) if how == _INTO else self.s.read(arg)
        if how == _INTO:
            return self._into(b, arg)
        self.b = b[arg:]
        return b[:arg]

    def _into(self, b, buf):
        k = len(buf) if len(buf) < len(b) else len(b)
        buf[:k] = b[:k]
        self.b = b[k:]
        return k

    def _fold(self, g):
        # A read that gathered was cancelled: its chunks are the buffer.
        self.g = None
        self.b = b"".join(g[2:])

    def _more(self, g, how, n):
        # Gather chunks (onto g, a new list if None) until they hold a line
        # (_LINE), n bytes (_EXACT) or everything up to EOF (_ALL, in 4 KB
        # chunks); None if the stream would block first (they wait in
        # self.g). n counts for _EXACT only.
        if g is None:
            g = [how, len(self.b), self.b]
            self.b = b""
        elif how == _EXACT and g[1] >= n:
            return self._done(g, n)  # a readexactly that waited, asking less now
        while True:
            k = n - g[1] if how == _EXACT else (4096 if how == _ALL else 0)
            r = self.s.read(k if k > _CHUNK else _CHUNK)
            if r is None:  # would block: keep what came
                self.g = g
                return None
            if not r:
                return self._eof(g, how, n)
            k = r.find(b"\n") if how == _LINE else -1
            if k >= 0:
                k += g[1] + 1  # the line's end
            g.append(r)
            g[1] += len(r)
            if k >= 0:
                return self._done(g, k)
            if how == _EXACT and g[1] >= n:
                return self._done(g, n)

    def _eof(self, g, how, n):
        # The stream ended: what there is (a short readexactly raises).
        self.g = None
        if how == _EXACT:
            raise EOFError("stream ended after %d of %d bytes" % (g[1], n))
        return b"".join(g[2:])

    def _done(self, g, k):
        # The gathering read takes k bytes; the rest is the buffer.
        self.g = None
        b = b"".join(g[2:])
        self.b = b[k:]
        return b[:k]


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
        self.r = _Ahead(self.s) if nb else self.s  # what reads read

    def get_extra_info(self, name, default=None):
        """`name` from the connection's details ('peername'...), else default."""
        return self.e.get(name, default)

    def _check(self):
        if self.closed:
            raise OSError("stream is closed")

    def read(self, n=-1):
        """Up to `n` bytes (n=-1: until EOF); b'' at EOF."""
        return self._read(_ALL, None) if n < 0 else self._read(_READ, n)

    def readinto(self, buf):
        """Read into `buf`; the number of bytes read (0 at EOF)."""
        return self._read(_INTO, buf)

    def readexactly(self, n):
        """Exactly `n` bytes; EOFError if the stream ends first."""
        return self._read(_EXACT, n)

    def readline(self):
        """One line including b'\\n' (shorter only at EOF)."""
        return self._read(_LINE, None)

    def _read(self, how, arg):
        # The coroutine of every read (the Io classes' too).
        self._check()
        if self.nb:
            return self._take(how, arg)
        return _adrive(_g_take(self, how, arg), self.s, self.rd)

    async def _take(self, how, arg):
        # A non-blocking stream's read (see the contract above).
        if core.pending:
            check_cancel(core._cur)  # cancelled: raise before taking bytes
        r = self.r
        v = r.take(how, arg)
        if v is None:
            while v is None:
                await _OP.set(self.rd, self.s)
                v = r.take(how, arg)
        elif spent():  # the bytes are taken: a schedule point that cannot raise
            await resched()
        return v

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
        out = self.out
        self.out = (out if isinstance(out, bytes) else bytes(out)) + buf

    async def drain(self):
        """Wait until everything written has left the buffer."""
        self._check()
        if not self.out:
            if core.pending:
                check_cancel(core._cur)
            if spent():
                await resched()
            return
        while self.out:
            await wait_writable(self.s)
            out = self.out
            n = self.s.write(out)
            if n is not None:
                # The rest as a view: a copy per partial write would copy
                # the buffer over and over (a slow link, a board's small
                # socket buffers) and churn the heap.
                self.out = (out if isinstance(out, memoryview) else memoryview(out))[n:]
        self.out = b""

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
        if core.pending:
            check_cancel(core._cur)  # cancelled: raise before sending (Trio's send_all)
        self.write(buf)
        if self.out:
            await self.drain()
        elif spent():  # all sent: a schedule point that cannot raise
            await resched()

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

