# zsync_mp.resilience.streams: operators on channels, with backpressure.
"""Stream operators on zsync_mp channels.

    from zsync_mp.resilience import streams
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(4)
        big = streams.filter(tg, rx, lambda v: v > 10)
        batches = streams.batch(tg, big, 8, timeout_ms=500)
        async for b in batches: ...

Every operator is `op(tg, rx, ..., capacity=1)`: it spawns its task(s) in
the TaskGroup `tg`, takes ownership of the input Receiver `rx`, and returns a
new Receiver (broadcast returns a list of them) whose channel holds at most
`capacity` items.

- Nothing buffers without bound: each operator holds at most one item (batch:
  one batch of up to n; debounce: the latest item), and waits on a full
  output, so a slow consumer slows the producer (backpressure).
- End of stream flows down: when every sender of the input is closed, the
  operator delivers what it holds, then closes its output (`async for` ends).
- Shutdown flows up: when the output's receivers are all closed, the
  operator stops and closes its input, so the producer's send raises
  zs.ChannelClosed.
- An exception in a user function fails the operator's task, hence the
  TaskGroup (structured concurrency: nothing fails silently).
- Time is the kernel clock (zs.ticks_ms/zs.sleep_ms): deterministic under
  zs.VirtualClock. Functions may be plain or async.
- Not IRQ-safe.

map(tg, rx, fn)                  fn(v) for each item
filter(tg, rx, pred)             the items for which pred(v) is true
batch(tg, rx, n, timeout_ms)     lists of up to n items; a partial list goes
                                 out timeout_ms after its first item (None:
                                 only when full or at the end)
throttle(tg, rx, interval_ms, drop=False)
                                 at most one item per interval_ms; later ones
                                 wait (drop=True: are dropped instead)
debounce(tg, rx, quiet_ms)       an item goes out once no newer one came for
                                 quiet_ms; newer items replace it
merge(tg, rxs)                   the items of several receivers, interleaved
                                 as they come
broadcast(tg, rx, n)             n receivers that each get every item; the
                                 slowest sets the pace; a closed one is left out
"""
import zsync_mp as zs

from ._util import check_int, check_callable, is_awaitable

_NONE = object()  # debounce holds nothing


def _check(tg, rx, capacity):
    if not isinstance(tg, zs.TaskGroup):
        raise TypeError("tg must be a zs.TaskGroup, got %r" % (tg,))
    if not isinstance(rx, zs.Receiver):
        raise TypeError("rx must be a zs.Receiver, got %r" % (rx,))
    check_int("capacity", capacity)


def _spawn(tg, coro, name):
    try:
        return tg.spawn(coro, name)
    except BaseException:
        coro.close()
        raise


async def _call(fn, v):
    r = fn(v)
    if is_awaitable(r):
        r = await r
    return r


async def _map(rx, tx, fn, keep):
    with rx, tx:
        try:
            async for v in rx:
                r = await _call(fn, v)
                if keep:
                    if r:
                        await tx.send(v)
                else:
                    await tx.send(r)
        except zs.ChannelClosed:
            pass  # downstream closed


def map(tg, rx, fn, capacity=1):
    """A Receiver of fn(v) for each v from rx."""
    _check(tg, rx, capacity)
    check_callable("fn", fn)
    tx, out = zs.channel(capacity)
    _spawn(tg, _map(rx, tx, fn, False), "map")
    return out


def filter(tg, rx, pred, capacity=1):
    """A Receiver of the v from rx for which pred(v) is true."""
    _check(tg, rx, capacity)
    check_callable("pred", pred)
    tx, out = zs.channel(capacity)
    _spawn(tg, _map(rx, tx, pred, True), "filter")
    return out


async def _recv_until(rx, deadline):
    # (value, False), or (None, True) if the deadline came first.
    sc = zs.CancelScope(deadline)
    v = None
    with sc:
        v = await rx.recv()
    return v, sc.cancelled_caught


async def _timed(rx, tx, acc):
    # The loop of batch and debounce: acc.add(v) takes an item, acc.flush()
    # gives up what it holds; each returns what to send (or _NONE).
    # acc.deadline (None: none) is when to flush without a new item.
    with rx, tx:
        try:
            while True:
                try:
                    v, late = await _recv_until(rx, acc.deadline)
                except zs.ChannelClosed:
                    v = acc.flush()
                    if v is not _NONE:
                        await tx.send(v)
                    return
                v = acc.flush() if late else acc.add(v)
                if v is not _NONE:
                    await tx.send(v)
        except zs.ChannelClosed:
            pass  # downstream closed


class _Batch:
    def __init__(self, n, timeout_ms):
        self.n = n
        self.ms = timeout_ms
        self.buf = []
        self.deadline = None

    def add(self, v):
        if not self.buf and self.ms is not None:
            self.deadline = zs.ticks_add(zs.ticks_ms(), self.ms)
        self.buf.append(v)
        return self.flush() if len(self.buf) >= self.n else _NONE

    def flush(self):
        b = self.buf
        self.deadline = None
        if not b:
            return _NONE
        self.buf = []
        return b


def batch(tg, rx, n, timeout_ms=None, capacity=1):
    """A Receiver of lists of up to n items; a partial list is sent
    timeout_ms after its first item arrived (None: never early)."""
    _check(tg, rx, capacity)
    check_int("n", n, 1)
    check_int("timeout_ms", timeout_ms, 0, none_ok=True)
    tx, out = zs.channel(capacity)
    _spawn(tg, _timed(rx, tx, _Batch(n, timeout_ms)), "batch")
    return out


async def _throttle(rx, tx, interval_ms, drop):
    with rx, tx:
        last = None
        try:
            async for v in rx:
                if last is not None:
                    w = interval_ms - zs.ticks_diff(zs.ticks_ms(), last)
                    if w > 0:
                        if drop:
                            continue
                        await zs.sleep_ms(w)
                await tx.send(v)
                last = zs.ticks_ms()  # when it was handed on: a blocked send delays the next
        except zs.ChannelClosed:
            pass


def throttle(tg, rx, interval_ms, drop=False, capacity=1):
    """A Receiver that gets rx's items no closer together than interval_ms
    (measured when each is handed on); the next waits, or is dropped if
    drop=True."""
    _check(tg, rx, capacity)
    check_int("interval_ms", interval_ms, 1)
    tx, out = zs.channel(capacity)
    _spawn(tg, _throttle(rx, tx, interval_ms, bool(drop)), "throttle")
    return out


class _Debounce:
    def __init__(self, quiet_ms):
        self.ms = quiet_ms
        self.held = _NONE
        self.deadline = None

    def add(self, v):
        self.held = v
        self.deadline = zs.ticks_add(zs.ticks_ms(), self.ms)
        return _NONE

    def flush(self):
        v = self.held
        self.held = _NONE
        self.deadline = None
        return v


def debounce(tg, rx, quiet_ms, capacity=1):
    """A Receiver that gets an item once rx stayed quiet for quiet_ms after
    it (a newer item replaces it and restarts the wait); the last item is
    delivered when rx ends."""
    _check(tg, rx, capacity)
    check_int("quiet_ms", quiet_ms, 1)
    tx, out = zs.channel(capacity)
    _spawn(tg, _timed(rx, tx, _Debounce(quiet_ms)), "debounce")
    return out


async def _forward(rx, tx):
    with rx, tx:
        try:
            async for v in rx:
                await tx.send(v)
        except zs.ChannelClosed:
            pass


def merge(tg, rxs, capacity=1):
    """A Receiver of the items of every Receiver in rxs (one task each);
    it ends when they all have."""
    if not isinstance(rxs, (list, tuple)) or not rxs:
        raise TypeError("rxs must be a non-empty list of zs.Receiver, got %r" % (rxs,))
    for rx in rxs:
        _check(tg, rx, capacity)
    tx, out = zs.channel(capacity)
    with tx:
        for rx in rxs:
            _spawn(tg, _forward(rx, tx.clone()), "merge")
    return out


async def _broadcast(rx, txs):
    with rx:
        live = list(txs)
        try:
            async for v in rx:
                i = 0
                while i < len(live):
                    try:
                        await live[i].send(v)
                        i += 1
                    except zs.ChannelClosed:
                        live.pop(i).close()
                if not live:
                    return
        finally:
            for tx in txs:
                tx.close()


def broadcast(tg, rx, n, capacity=1):
    """n Receivers that each get every item of rx (the slowest sets the
    pace; close a receiver you stop reading, or it stalls the others)."""
    _check(tg, rx, capacity)
    check_int("n", n, 1)
    txs = []
    outs = []
    for i in range(n):
        tx, out = zs.channel(capacity)
        txs.append(tx)
        outs.append(out)
    _spawn(tg, _broadcast(rx, txs), "broadcast")
    return outs
