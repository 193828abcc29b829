# zsync_mp.io.colorblind: the Io interface, so one plain function runs blocking, in a
# fiber, or (with `await` added) in async code ("colorblind" I/O, after zsync).
#
# Contract
# - Three classes with the same methods: sleep(s), sleep_ms(ms),
#   read(obj, n), readexactly(obj, n), readline(obj), write(obj, data),
#   wait(event_or_flag), lock(lock), send(tx, v), recv(rx), await_(aw).
#   `obj` is a zs.Stream or any object with MicroPython's stream methods that
#   the poller accepts (a UART, a socket, a pure-Python object with
#   ioctl(3, mask)); reads return None when nothing is there yet.
# - BlockingIo needs no scheduler: sleeps block, stream waits block in
#   select.poll, a Flag is polled through its ioctl. An Event, a channel or a
#   held zs.Lock can only change from another thread, so those waits re-check
#   every 1 ms (the one busy wait, unavoidable without a loop). await_() runs
#   the awaitable in a private zs.run() loop. Inside a running loop it blocks
#   every task: use FiberIo there.
# - FiberIo is made by zs.fiber() for the function it runs. Each call
#   configures the kernel's awaitable, captures it (prim, arg: the awaitables
#   are preallocated singletons) and suspends the fiber; the task replays it
#   with _OP.set(prim, arg), awaits it and resumes the fiber with the result,
#   or throws the exception (Cancelled too) into it. Every call is a
#   checkpoint, exactly like the `await` it stands for.
# - AsyncIo returns the awaitables for async code: `await io.read(obj, 4)`.
# - lock(lk) refuses, before touching lk, a lock its Io cannot take: FiberIo
#   and AsyncIo await acquire() (zs.Lock, Semaphore, Condition; a thread
#   lock would block every task), BlockingIo takes a zs.Lock or a thread lock
#   (an async lock's acquire() only makes an awaitable).
# - The stream algorithms (read, readexactly, readline, write) are written
#   once, as generators that yield which way to wait; each Io drives them.
# - Nothing here is IRQ-safe.
from ..kernel import core
from ..kernel import loop as _loop
from ..kernel import timing as _time
from ..kernel.core import is_op
from .stream import Stream, wait_readable, wait_writable, _g_read, _g_readexactly, _g_readline, _g_take, _adrive
from .stream import _READ, _LINE, _EXACT
from ..sync.primitives import Lock, Flag
from ..sync.channel import WouldBlock
from ..kernel.port import new_poller, ipoll, sleep_ms as _sleep_ms, is_coro

_BUFS = (bytes, bytearray, memoryview)  # To prevent heap allocation per write


# The raw stream object under a zs.Stream (writes and waits go to it; a
# Stream's reads go through the Stream, whose read-ahead comes first).
def _raw(obj):
    if isinstance(obj, Stream):
        obj._check()
        return obj.s
    if not hasattr(obj, "read") and not hasattr(obj, "write"):
        raise TypeError("Io needs a stream (read/write and pollable), got %r" % (obj,))
    return obj


def _check_n(n, what):
    if not isinstance(n, int) or isinstance(n, bool) or n < 0:
        raise ValueError("%s needs a byte count >= 0, got %r" % (what, n))
    return n


def _g_write(s, data):
    n = len(data)
    off = 0
    mv = memoryview(data)
    while True:
        yield True
        if off == n:
            return n
        w = s.write(mv[off:] if off else data)
        if w is not None:
            off += w
            if off >= n:
                return n


def _write_src(obj, data):
    # (raw stream, bytes to write); bytes a zs.Stream buffered go first.
    if not isinstance(data, _BUFS):
        raise TypeError("Io.write needs bytes, got %r" % (type(data).__name__,))
    s = _raw(obj)
    if isinstance(obj, Stream) and obj.out:
        data = obj.out + data
        obj.out = b""
    return s, data


# obj if it has `attr`, else a TypeError naming what Io.<op> needs.
def _need(obj, attr, op, what):
    if not hasattr(obj, attr):
        raise TypeError("Io.%s needs %s, got %r" % (op, what, obj))
    return obj


# lk if `who` (FiberIo, AsyncIo) can await its acquire(), else a TypeError.
def _await_lock(lk, who):
    if hasattr(lk, "__aenter__") and hasattr(lk, "acquire") and hasattr(lk, "release"):
        return lk
    why = "; its acquire() would block the thread, and every task with it" if hasattr(lk, "acquire") else ""
    raise TypeError("%s.lock needs a lock it can await (zs.Lock, zs.Semaphore), got %r%s" % (who, lk, why))


def _awaitable(aw):
    if not (is_coro(aw) or hasattr(aw, "__await__") or hasattr(aw, "__iter__")):
        raise TypeError("Io.await_ needs an awaitable, got %r" % (aw,))
    return aw


# Forget an awaitable we refuse: unset the singleton, close a coroutine.
def _drop(aw):
    if is_op(aw):
        aw.prim = None
    elif is_coro(aw):
        aw.close()


class _Held:
    # `with io.lock(l):` for the synchronous Io classes.
    def __init__(self, io, lk):
        self.io = io
        self.lk = lk

    def __enter__(self):
        self.io._acquire(self.lk)
        return self.lk

    def __exit__(self, et, ev, tb):
        self.io._release(self.lk)


class _SyncIo:
    # What BlockingIo and FiberIo share: the stream algorithms over _io().
    def _drive(self, g, s):
        try:
            while True:
                self._io(s, next(g))
        except StopIteration as e:
            return e.value

    def read(self, obj, n):
        _check_n(n, "read")
        if isinstance(obj, Stream):
            return self._stream(obj, _READ, n)
        s = _raw(obj)
        return self._drive(_g_read(s, n), s)

    def readexactly(self, obj, n):
        _check_n(n, "readexactly")
        if isinstance(obj, Stream):
            return self._stream(obj, _EXACT, n)
        s = _raw(obj)
        return self._drive(_g_readexactly(s, n), s)

    def readline(self, obj):
        if isinstance(obj, Stream):
            return self._stream(obj, _LINE, None)
        s = _raw(obj)
        return self._drive(_g_readline(s), s)

    def _stream(self, st, how, arg):
        st._check()
        return self._drive(_g_take(st, how, arg), st.s)

    def write(self, obj, data):
        s, data = _write_src(obj, data)
        return self._drive(_g_write(s, data), s)

    def lock(self, lk):
        return _Held(self, self._check_lock(lk))


class BlockingIo(_SyncIo):
    """Io that blocks the caller; needs no scheduler (a REPL, a test, a
    thread). Waits on an Event, a channel or a held zs.Lock re-check every
    1 ms: only another thread can change them. Not IRQ-safe."""

    def sleep(self, seconds):
        ms = _time.to_ms(seconds)
        if ms is None:
            raise ValueError("BlockingIo.sleep(inf) would block this thread for ever (nothing can cancel it)")
        _sleep_ms(ms)

    def sleep_ms(self, ms):
        _sleep_ms(_time.check_ms(ms))

    def _io(self, s, write):
        p = new_poller()
        p.register(s, 4 if write else 1)
        try:
            while True:
                for _ in ipoll(p, -1):
                    return
        finally:
            p.unregister(s)

    def wait(self, ev):
        _need(ev, "wait", "wait", "a zs.Event or zs.Flag")
        if isinstance(ev, Flag):
            if not ev.is_set():
                self._io(ev, False)  # a Flag is pollable: no busy wait
            ev.clear()
            return
        if not hasattr(ev, "is_set"):
            raise TypeError("BlockingIo.wait needs a zs.Event or zs.Flag, got %r" % (ev,))
        while not ev.is_set():
            _sleep_ms(1)

    def _check_lock(self, lk):
        if isinstance(lk, Lock):
            return lk
        _need(_need(lk, "acquire", "lock", "a lock"), "release", "lock", "a lock")
        if hasattr(lk, "__aenter__"):
            raise TypeError("BlockingIo.lock needs a zs.Lock or a thread lock, got %r; its acquire() must be awaited (use FiberIo or AsyncIo)" % (lk,))
        return lk

    def _acquire(self, lk):
        if isinstance(lk, Lock):
            while lk._owner is not None:
                _sleep_ms(1)
            lk._owner = self
        else:
            lk.acquire()  # a thread lock blocks by itself

    def _release(self, lk):
        if isinstance(lk, Lock):
            if lk._owner is not self:
                raise RuntimeError("BlockingIo.lock: the lock is no longer held by this Io")
            lk._owner = lk._q.hand_one() if lk._q.head is not None else None
        else:
            lk.release()

    def send(self, tx, v):
        while True:
            try:
                return _need(tx, "try_send", "send", "a channel Sender").try_send(v)
            except WouldBlock:
                _sleep_ms(1)

    def recv(self, rx):
        while True:
            try:
                return _need(rx, "try_recv", "recv", "a channel Receiver").try_recv()
            except WouldBlock:
                _sleep_ms(1)

    def await_(self, aw):
        # Run it to completion in a private loop (zs.run refuses inside one).
        _awaitable(aw)
        if core._K is not None:
            _drop(aw)
            raise RuntimeError("BlockingIo.await_ inside a running zs loop would block it: await it, or use zs.fiber()")
        if is_op(aw):
            prim = aw.prim
            aw.prim = None
            return _loop.run(_replay(aw.replay, prim, aw.arg))
        return _loop.run(_await(aw))


async def _replay(op, prim, arg):
    return await op.set(prim, arg)


async def _await(aw):
    return await aw


class FiberIo(_SyncIo):
    """Io for the function zs.fiber() runs: every call parks the fiber (its
    task, really) in the kernel like the `await` it stands for, so other
    tasks run meanwhile and cancellation reaches it. Only valid inside that
    fiber. Not IRQ-safe."""

    def __init__(self):
        self._f = None  # the Fiber, set by zs.fiber() while it runs
        self._cur = None  # the backend's current()
        self._sus = None  # the backend's suspend()
        self.op = None  # captured kernel awaitable (_OP or _NOCHECK) ...
        self.prim = None  # ... and what it was set to
        self.arg = None
        self.aw = None  # or any other awaitable

    def _wait(self, aw):
        f = self._f
        if f is None or self._cur() is not f:
            _drop(aw)
            raise RuntimeError("FiberIo used outside its fiber: call io.* only inside the function zs.fiber() runs")
        if is_op(aw):
            self.op = aw.replay
            self.prim = aw.prim
            self.arg = aw.arg
            aw.prim = None
        else:
            self.op = None
            self.aw = aw
        return self._sus(self)

    def _io(self, s, write):
        return self._wait(wait_writable(s) if write else wait_readable(s))

    def _stream(self, st, how, arg):
        # The Stream's own read, awaited by the task: its checkpoints and
        # cancellation rule are the async call's.
        return self._wait(st._read(how, arg))

    def sleep(self, seconds):
        return self._wait(_time.sleep(seconds))

    def sleep_ms(self, ms):
        return self._wait(_time.sleep_ms(ms))

    def wait(self, ev):
        return self._wait(_need(ev, "wait", "wait", "a zs.Event or zs.Flag").wait())

    def _check_lock(self, lk):
        return _await_lock(lk, "FiberIo")

    def _acquire(self, lk):
        self._wait(lk.acquire())

    def _release(self, lk):
        lk.release()

    def send(self, tx, v):
        return self._wait(_need(tx, "try_send", "send", "a channel Sender").send(v))

    def recv(self, rx):
        return self._wait(_need(rx, "try_recv", "recv", "a channel Receiver").recv())

    def await_(self, aw):
        return self._wait(_awaitable(aw))


class AsyncIo:
    """The same operations as awaitables for async code:
    `await io.sleep_ms(20)`, `async with io.lock(l):`. Not IRQ-safe."""

    def sleep(self, seconds):
        return _time.sleep(seconds)

    def sleep_ms(self, ms):
        return _time.sleep_ms(ms)

    def read(self, obj, n):
        _check_n(n, "read")
        if isinstance(obj, Stream):
            return obj.read(n)
        s = _raw(obj)
        return _adrive(_g_read(s, n), s)

    def readexactly(self, obj, n):
        _check_n(n, "readexactly")
        if isinstance(obj, Stream):
            return obj.readexactly(n)
        s = _raw(obj)
        return _adrive(_g_readexactly(s, n), s)

    def readline(self, obj):
        if isinstance(obj, Stream):
            return obj.readline()
        s = _raw(obj)
        return _adrive(_g_readline(s), s)

    def write(self, obj, data):
        s, data = _write_src(obj, data)
        return _adrive(_g_write(s, data), s)

    def wait(self, ev):
        return _need(ev, "wait", "wait", "a zs.Event or zs.Flag").wait()

    def lock(self, lk):
        return _await_lock(lk, "AsyncIo")

    def send(self, tx, v):
        return _need(tx, "try_send", "send", "a channel Sender").send(v)

    def recv(self, rx):
        return _need(rx, "try_recv", "recv", "a channel Receiver").recv()

    def await_(self, aw):
        return _awaitable(aw)
