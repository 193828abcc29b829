# Channel throughput, ns per message, for capacity 0, 1 and 16 with one
# producer and one consumer (1to1) and with four of each (4to4). Peers in the
# same process: asyncio.Queue and trio memory channels on CPython; on
# MicroPython (no asyncio.Queue) a user-level channel made of an asyncio Event
# and a list; everywhere the floor: two bare coroutines sharing a list.
import harness as H
from b_switch import _Pre

CAPS = (0, 1, 16)
SIDES = (1, 4)


class EvList:
    # The closest user-level channel MicroPython asyncio offers: a list and two
    # Events. Capacity 0 has no equivalent; it behaves as capacity 1.
    def __init__(self, asyncio, cap):
        self.q = []
        self.cap = max(cap, 1)
        self.not_empty = asyncio.Event()
        self.not_full = asyncio.Event()
        self.not_full.set()

    async def send(self, v):
        while len(self.q) >= self.cap:
            self.not_full.clear()
            await self.not_full.wait()
        self.q.append(v)
        self.not_empty.set()

    async def recv(self):
        while not self.q:
            self.not_empty.clear()
            await self.not_empty.wait()
        v = self.q.pop(0)
        self.not_full.set()
        return v


def make(kind, cap):
    # Returns (senders, receivers): lists of SIDES-many send/recv callables.
    if kind == "zs":
        import zsync_mp as zs

        tx, rx = zs.channel(cap)
        return tx, rx, tx.clone, rx.clone, "send", "recv"
    if kind == "trio":
        import trio

        tx, rx = trio.open_memory_channel(cap)
        return tx, rx, tx.clone, rx.clone, "send", "receive"
    import asyncio

    if kind == "asyncio":  # Queue(0) is unbounded in asyncio: use 1 for 0
        q = asyncio.Queue(max(cap, 1))
        return q, q, lambda: q, lambda: q, "put", "get"
    q = EvList(asyncio, cap)
    return q, q, lambda: q, lambda: q, "send", "recv"


def chan(kind, cap, sides):
    def fn(n):
        each = n // sides

        async def prod(tx, send):
            f = getattr(tx, send)
            i = 0
            while i < each:
                await f(i)
                i += 1

        async def cons(rx, recv):
            f = getattr(rx, recv)
            i = 0
            while i < each:
                await f()
                i += 1

        async def main():
            tx, rx, tclone, rclone, send, recv = make(kind, cap)
            txs = [tx] + [tclone() for _ in range(sides - 1)]
            rxs = [rx] + [rclone() for _ in range(sides - 1)]
            coros = [prod(t, send) for t in txs] + [cons(r, recv) for r in rxs]
            t0 = H.now_us()
            await H.gather(kind, coros)
            return H.since_us(t0)

        return main()

    return fn


def floor(cap):
    # Two bare coroutines, a shared list, a hand-written round-robin driver.
    def fn(n):
        pre = _Pre()
        q = []
        room = max(cap, 1)

        async def prod():
            i = 0
            while True:
                while len(q) < room:
                    q.append(i)
                    i += 1
                pre.go = True
                await pre

        async def cons():
            while True:
                while q:
                    q.pop()
                pre.go = True
                await pre

        p, c = prod(), cons()
        t0 = H.now_us()
        got = 0
        while got < n:
            p.send(None)
            got += len(q)
            c.send(None)
        us = H.since_us(t0)
        p.close()
        c.close()
        return us

    return fn


def queue_need():
    import asyncio

    return None if hasattr(asyncio, "Queue") else False


def evlist_need():
    import asyncio

    return False if hasattr(asyncio, "Queue") else None


def jobs():
    n = H.size(4000)
    out = []
    for cap in CAPS:
        for s in SIDES:
            k = "chan.c%d.%dto%d." % (cap, s, s)
            out.append((k + "zs", "zs", chan("zs", cap, s), None, n))
            out.append((k + "asyncio", "asyncio", chan("asyncio", cap, s), queue_need(), n))
            out.append((k + "evlist", "asyncio", chan("evlist", cap, s), evlist_need(), n))
            out.append((k + "trio", "trio", chan("trio", cap, s), "trio", n))
        out.append(("chan.c%d.floor" % cap, "sync", floor(cap), None, n))
    return out


def main():
    H.main("chan", jobs)


if __name__ == "__main__":
    main()
