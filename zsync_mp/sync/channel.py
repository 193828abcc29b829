# zsync_mp.sync.channel: bounded channels with backpressure, and select().
#
# Contract
# - tx, rx = channel(capacity): capacity 0 is a rendezvous (send waits for a
#   receiver). Values arrive exactly once, in send order (FIFO per channel).
# - A full channel parks senders, an empty one parks receivers; a value is
#   handed straight to a parked receiver, and a parked sender's value moves
#   into the buffer as soon as there is room, so FIFO holds.
# - send(), try_send(), try_recv() and ready() allocate nothing. On
#   MicroPython an `await` written in Python can only return a value through
#   a new StopIteration, so recv() of a value other than None allocates that
#   one object (96 B on 64-bit unix); `await rx.ready(); rx.try_recv()` is the
#   allocation-free receive loop.
# - Closing: when every Sender is closed, receivers drain the buffer and then
#   get ChannelClosed (`async for` ends). When every Receiver is closed,
#   senders get ChannelClosed. Closing a handle twice is a no-op.
# - close() on a handle wakes every task parked through that handle with
#   ChannelClosed (a parked send never delivers); tasks parked through a
#   clone keep waiting. A parked task's `data` is its handle's _Via (the
#   queue it is on, and the handle), so close() finds them without a table.
# - Not IRQ-safe: from a guarded interrupt handler (zsync_mp.board.irq) every
#   call here raises RuntimeError before changing anything.
from ..kernel import core
from ..kernel.core import WaitQueue, hand, irq_msg, _OP, _PARKED
from ..kernel.deliver import throw
from .primitives import Event

_IRQ_TRY = irq_msg("a channel's try_send()/try_recv()")
_IRQ_END = irq_msg("a channel's clone()/close()")


class ChannelClosed(Exception):
    """The other side of the channel is closed (or this handle is)."""


class WouldBlock(Exception):
    """A try_ operation could not complete without waiting."""


class _SendQueue(WaitQueue):
    # Parked senders and the value each one is waiting to send.
    def __init__(self):
        WaitQueue.__init__(self)
        self.vals = {}

    def park_with(self, t, v):
        self.vals[t] = v
        self.park(t)

    def remove(self, t):
        WaitQueue.remove(self, t)
        self.vals.pop(t, None)


class _Via:
    # A parked task's `data`: the queue it waits on and the handle it parked
    # through. The kernel unparks through remove(); wait_label names `owner`.
    def __init__(self, q, owner):
        self.q = q
        self.owner = owner

    def remove(self, t):
        self.q.remove(t)


def _evict(q, via, msg):
    # Throw ChannelClosed into every task parked on q through via's handle.
    t = q.head
    while t is not None:
        n = t.next
        if t.data is via:
            throw(t, ChannelClosed(msg))
        t = n


class _State:
    def __init__(self, cap):
        self.cap = cap
        self.buf = [None] * (cap if cap > 0 else 1)
        self.head = 0
        self.n = 0
        self.txs = 1  # open Sender handles
        self.rxs = 1
        self.sendq = _SendQueue()
        self.recvq = WaitQueue()
        self.readyq = WaitQueue()  # Receiver.ready() callers
        self.watchers = []  # select() events to set on any change

    def changed(self):
        for e in self.watchers:
            e.set()

    def put(self, v):
        # Deliver v now if possible: to a parked receiver, else into the buffer.
        r = self.recvq.head
        if r is not None:
            self.recvq.remove(r)
            hand(r, v)
            return True
        if self.n < self.cap:
            i = self.head + self.n
            if i >= self.cap:
                i -= self.cap
            self.buf[i] = v
            self.n += 1
            if self.readyq.head is not None:
                self.readyq.wake_one()
            if self.watchers:
                self.changed()
            return True
        return False

    def take(self):
        # The next value if one is available now, else _EMPTY.
        if self.n:
            v = self.buf[self.head]
            self.buf[self.head] = None
            self.head += 1
            if self.head == self.cap:
                self.head = 0
            self.n -= 1
            s = self.sendq.head
            if s is not None:  # room now: the longest-waiting sender's value moves in
                v2 = self.sendq.vals[s]
                self.sendq.remove(s)
                self.put(v2)
                hand(s)
            if self.watchers:
                self.changed()
            return v
        s = self.sendq.head
        if s is not None:  # rendezvous: take straight from the sender
            v = self.sendq.vals[s]
            self.sendq.remove(s)
            hand(s)
            if self.watchers:
                self.changed()
            return v
        return _EMPTY




_EMPTY = object()
_READY = object()


class Sender:
    """The sending end: await send(v), try_send(v), clone(), close()."""

    def __init__(self, st):
        self._st = st
        self._closed = False
        self._via = _Via(st.sendq, self)

    def _check(self):
        if self._closed:
            raise ChannelClosed("send on a closed Sender")
        if self._st.rxs == 0:
            raise ChannelClosed("send on a channel whose receivers are all closed")

    def send(self, v):
        """Send v, waiting while the channel is full. A checkpoint."""
        o = _OP  # _OP.set() inlined: it pays (channel(16) 1->1: 8.6% fewer instructions, callgrind)
        o.prim = self
        o.arg = v
        return o

    def _op(self, t, v):
        st = self._st
        if self._closed or st.rxs == 0:
            self._check()
        if st.put(v):
            return None
        st.sendq.park_with(t, v)
        t.data = self._via
        if st.readyq.head is not None:  # rendezvous: a value is on offer
            st.readyq.wake_one()
        if st.watchers:
            st.changed()
        return _PARKED

    def try_send(self, v):
        """Send v now or raise WouldBlock."""
        if core.irq:
            raise RuntimeError(_IRQ_TRY)
        self._check()
        if not self._st.put(v):
            raise WouldBlock("channel is full" if self._st.cap else "no receiver is waiting (rendezvous channel)")

    def clone(self):
        if core.irq:
            raise RuntimeError(_IRQ_END)
        if self._closed:
            raise ChannelClosed("clone() of a closed Sender")
        self._st.txs += 1
        return Sender(self._st)

    def close(self):
        if core.irq:
            raise RuntimeError(_IRQ_END)
        if self._closed:
            return
        self._closed = True
        st = self._st
        st.txs -= 1
        _evict(st.sendq, self._via, "send on a closed Sender")
        if st.txs == 0:
            while st.recvq.head is not None:
                throw(st.recvq.head, ChannelClosed("all senders closed"))
            st.readyq.wake_all()
        st.changed()

    @property
    def closed(self):
        return self._closed

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        self.close()


class Receiver:
    """The receiving end: await recv(), try_recv(), `async for v in rx`,
    clone(), close()."""

    def __init__(self, st):
        self._st = st
        self._closed = False
        self._rvia = _Via(st.recvq, self)
        self._yvia = _Via(st.readyq, self)

    def _check(self):
        if self._closed:
            raise ChannelClosed("recv on a closed Receiver")

    def recv(self):
        """Receive the next value, waiting while the channel is empty. Raises
        ChannelClosed once every sender is closed and the buffer is drained.
        A checkpoint."""
        o = _OP  # _OP.set() inlined: it pays (channel(16) 1->1: 8.6% fewer instructions, callgrind)
        o.prim = self
        o.arg = None
        return o

    def ready(self):
        """Wait until try_recv() will not raise WouldBlock: a value is there or
        every sender is closed. With try_recv() this is the receive loop that
        allocates nothing on MicroPython. A checkpoint."""
        return _OP.set(self, _READY)

    def _op(self, t, arg):
        if self._closed:
            self._check()
        st = self._st
        if arg is _READY:
            if st.n or st.sendq.head is not None or st.txs == 0:
                return None
            st.readyq.park(t)
            t.data = self._yvia
            return _PARKED
        v = st.take()
        if v is not _EMPTY:
            return v
        if st.txs == 0:
            raise ChannelClosed("all senders closed and the channel is drained")
        st.recvq.park(t)
        t.data = self._rvia
        if st.watchers:
            st.changed()
        return _PARKED

    def try_recv(self):
        """The next value now, or raise WouldBlock (ChannelClosed at the end)."""
        if core.irq:
            raise RuntimeError(_IRQ_TRY)
        self._check()
        st = self._st
        v = st.take()
        if v is not _EMPTY:
            return v
        if st.txs == 0:
            raise ChannelClosed("all senders closed and the channel is drained")
        raise WouldBlock("channel is empty")

    def clone(self):
        if core.irq:
            raise RuntimeError(_IRQ_END)
        if self._closed:
            raise ChannelClosed("clone() of a closed Receiver")
        self._st.rxs += 1
        return Receiver(self._st)

    def close(self):
        if core.irq:
            raise RuntimeError(_IRQ_END)
        if self._closed:
            return
        self._closed = True
        st = self._st
        st.rxs -= 1
        _evict(st.recvq, self._rvia, "recv on a closed Receiver")
        _evict(st.readyq, self._yvia, "recv on a closed Receiver")
        if st.rxs == 0:
            while st.sendq.head is not None:
                throw(st.sendq.head, ChannelClosed("all receivers closed"))
        st.changed()

    @property
    def closed(self):
        return self._closed

    def __len__(self):
        return self._st.n

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        self.close()

    def __aiter__(self):
        return self

    async def __anext__(self):
        try:
            return await self.recv()
        except ChannelClosed:
            if self._closed:
                raise
            raise StopAsyncIteration


def channel(capacity=0):
    """tx, rx = channel(capacity): a bounded FIFO channel (0: rendezvous)."""
    if not isinstance(capacity, int) or isinstance(capacity, bool):
        raise TypeError("channel capacity must be an int, got %r" % (capacity,))
    if capacity < 0:
        raise ValueError("channel capacity must be >= 0, got %r" % capacity)
    st = _State(capacity)
    return Sender(st), Receiver(st)


async def select(*ops):
    """Wait until exactly one of several channel operations completes.

    Each op is a Receiver (receive from it) or a (Sender, value) pair (send
    value). Returns (index, value): the index of the op that completed and
    the value received (None for a send). Ops are tried in argument order.
    A ChannelClosed from any op is raised. A checkpoint. A select only
    pairs with plain send()/recv() on a rendezvous channel (two selects on
    both ends of a capacity-0 channel never meet)."""
    if not ops:
        raise ValueError("select() needs at least one operation")
    sts = []
    for op in ops:
        if isinstance(op, Receiver):
            sts.append(op._st)
        elif isinstance(op, tuple) and len(op) == 2 and isinstance(op[0], Sender):
            sts.append(op[0]._st)
        else:
            raise TypeError("select() ops are Receivers or (Sender, value) pairs, got %r" % (op,))
    ev = Event()
    try:
        for st in sts:  # inside the try: a MemoryError part way unwatches the ones done
            st.watchers.append(ev)
        while True:
            for i, op in enumerate(ops):
                if isinstance(op, Receiver):
                    try:
                        return i, op.try_recv()
                    except WouldBlock:
                        pass
                else:
                    try:
                        op[0].try_send(op[1])
                        return i, None
                    except WouldBlock:
                        pass
            ev.clear()
            await ev.wait()
    finally:
        for st in sts:
            if ev in st.watchers:
                st.watchers.remove(ev)
