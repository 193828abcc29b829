# Stress: messages through channels with many senders and receivers (60,000;
# 1,000,000 with ZSYNC_STRESS=1), at capacities 0 (rendezvous), 1 and 16,
# under a seeded schedule. Every message arrives exactly once (a bitmap),
# each receiver sees every sender's messages in send order, and memory
# returns to its baseline.
import _stress
import zsync_mp as zs
from zsync_mp import sim

TOTAL = _stress.size(60000, 1000000)
SENDERS = 8
RECEIVERS = 4
CAPS = (0, 1, 16)
SEED = 5


async def sender(s, per, tx):
    with tx:
        base = s * per
        i = 0
        while i < per:
            await tx.send(base + i)
            i += 1


# Two receive styles: `async for` (recv) and the allocation-free ready()/try_recv().
async def receiver(r, per, rx, seen, bad):
    last = [-1] * SENDERS
    with rx:
        if r & 1:
            async for v in rx:
                _take(v, per, last, seen, bad)
        else:
            while True:
                await rx.ready()
                try:
                    v = rx.try_recv()
                except zs.ChannelClosed:
                    break
                except zs.WouldBlock:
                    continue  # another receiver took it first
                _take(v, per, last, seen, bad)


def _take(v, per, last, seen, bad):
    s = v // per
    if v <= last[s]:
        bad[0] += 1  # out of order for this sender
    last[s] = v
    byte = v >> 3
    bit = 1 << (v & 7)
    if seen[byte] & bit:
        bad[1] += 1  # duplicate
    seen[byte] |= bit


async def flow(cap, n):
    per = n // SENDERS
    n = per * SENDERS
    seen = bytearray((n + 7) >> 3)
    bad = [0, 0]
    tx, rx = zs.channel(cap)
    async with zs.TaskGroup() as tg:
        for r in range(RECEIVERS):
            tg.spawn(receiver(r, per, rx.clone(), seen, bad))
        rx.close()
        for s in range(SENDERS):
            tg.spawn(sender(s, per, tx.clone()))
        tx.close()
        _stress.sample()
    lost = 0
    for v in range(n):
        if not seen[v >> 3] & (1 << (v & 7)):
            lost += 1
    return n, lost, bad[0], bad[1]


for cap in CAPS:
    sim.run(flow(cap, 64), seed=SEED)  # warm up
    _stress.track()
    _stress.reset_peak()
    before = _stress.mem()
    n, lost, disorder, dups = sim.run(flow(cap, TOTAL // len(CAPS)), seed=SEED)
    after = _stress.mem()
    _stress.report("channel_cap%d" % cap, n, lost + disorder + dups, before, after, SEED)
    print("capacity", cap, "messages", n, "lost", lost, "out of order", disorder, "duplicated", dups, "leak ok:", _stress.leak_ok(before, after))
