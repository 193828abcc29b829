# streams.throttle measures each gap from when an item was handed on (its
# send completed), so a consumer that pauses never gets two items closer
# than interval_ms once it reads again: the wait starts after the blocked
# send, not before it. Output capacity 0 makes "handed on" the moment the
# consumer takes it; with capacity 1 the item buffered before the pause and
# the one handed on when the slot frees arrive together, then the interval
# holds. Times are virtual ms.
import zsync_mp as zs
from zsync_mp.resilience import streams


async def produce(tx, n, gap_ms):
    # item i is offered at i * gap_ms (later if the throttle holds it back)
    with tx:
        for i in range(n):
            await tx.send(i)
            await zs.sleep_ms(gap_ms)


async def consume(rx, pause_after, pause_ms):
    got = []
    async for v in rx:
        got.append("%d@%d" % (v, zs.ticks_ms()))
        if v == pause_after:
            await zs.sleep_ms(pause_ms)
    return got


async def run(n, gap_ms, drop, capacity):
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(1)
        tg.spawn(produce(tx, n, gap_ms))
        out = streams.throttle(tg, rx, 20, drop=drop, capacity=capacity)
        print(" ", await consume(out, 0, 50))


for title, args in [
    ("interval 20, consumer pauses 50 ms after item 0, capacity 0:", (5, 0, False, 0)),
    ("the same with capacity 1:", (5, 0, False, 1)),
    ("drop=True, an item every 5 ms, capacity 0:", (16, 5, True, 0)),
]:
    print(title)
    zs.run(run(*args), clock=zs.VirtualClock())
