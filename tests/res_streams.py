# Stream operators: map, filter, batch, throttle, debounce, merge, broadcast;
# end of stream flows down, shutdown flows up, backpressure bounds buffering.
import zsync_mp as zs
from zsync_mp.resilience import streams


async def produce(tx, items, gap_ms=0, log=None):
    # items: values, sent gap_ms apart; log records when each send completed.
    with tx:
        for v in items:
            if gap_ms:
                await zs.sleep_ms(gap_ms)
            try:
                await tx.send(v)
            except zs.ChannelClosed:
                print("  producer: ChannelClosed at item", v)
                return
            if log is not None:
                log.append((v, zs.ticks_ms()))


async def collect(rx, stamp=False):
    out = []
    async for v in rx:
        out.append((v, zs.ticks_ms()) if stamp else v)
    return out


async def pipeline(build, items, gap_ms=0, stamp=False):
    # Run producer -> build(tg, rx) -> collector; return what came out.
    t0 = zs.ticks_ms()
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(1)
        tg.spawn(produce(tx, items, gap_ms))
        out = await collect(build(tg, rx), stamp)
    if stamp:
        out = [(v, zs.ticks_diff(t, t0)) for v, t in out]
    return out


async def main():
    print("map", await pipeline(lambda tg, rx: streams.map(tg, rx, lambda v: v * 10), range(5)))

    async def slow_double(v):
        await zs.sleep_ms(3)
        return 2 * v

    print("map async", await pipeline(lambda tg, rx: streams.map(tg, rx, slow_double), range(3), stamp=True))
    print("filter", await pipeline(lambda tg, rx: streams.filter(tg, rx, lambda v: v % 3 == 0), range(10)))
    print("chain", await pipeline(lambda tg, rx: streams.map(tg, streams.filter(tg, rx, lambda v: v & 1), str), range(7)))

    print("batch by size", await pipeline(lambda tg, rx: streams.batch(tg, rx, 3), range(8)))
    print("batch by time", await pipeline(lambda tg, rx: streams.batch(tg, rx, 4, timeout_ms=25), range(7), gap_ms=10, stamp=True))

    print("throttle (delay)", await pipeline(lambda tg, rx: streams.throttle(tg, rx, 20), range(4), stamp=True))
    print("throttle (drop)", await pipeline(lambda tg, rx: streams.throttle(tg, rx, 20, drop=True), range(10), gap_ms=7, stamp=True))

    async def bursts(tx):
        with tx:
            for burst in ((1, 2, 3), (4,), (5, 6)):
                for v in burst:
                    await tx.send(v)
                    await zs.sleep_ms(5)
                await zs.sleep_ms(50)

    async with zs.TaskGroup() as tg:
        t0 = zs.ticks_ms()
        tx, rx = zs.channel(1)
        tg.spawn(bursts(tx))
        out = await collect(streams.debounce(tg, rx, 20), True)
    print("debounce", [(v, zs.ticks_diff(t, t0)) for v, t in out])

    async with zs.TaskGroup() as tg:
        ins = []
        for i in range(3):
            tx, rx = zs.channel(1)
            tg.spawn(produce(tx, [i * 10 + j for j in range(3)], gap_ms=i + 1))
            ins.append(rx)
        out = await collect(streams.merge(tg, ins))
    print("merge", out, "(all", sorted(out) == [0, 1, 2, 10, 11, 12, 20, 21, 22], ")")

    print("broadcast: every receiver gets every item, the slowest sets the pace")

    async def reader(name, rx, ms):
        got = []
        async for v in rx:
            got.append(v)
            await zs.sleep_ms(ms)
        print("  %s got %s, ended at %d" % (name, got, zs.ticks_ms() - t0))

    async with zs.TaskGroup() as tg:
        t0 = zs.ticks_ms()
        tx, rx = zs.channel(1)
        log = []
        tg.spawn(produce(tx, range(8), log=log))
        fast, slow = streams.broadcast(tg, rx, 2)
        tg.spawn(reader("fast", fast, 1))
        tg.spawn(reader("slow", slow, 10))
    print("  sends completed at", [t - t0 for v, t in log])

    print("broadcast: a closed receiver is left out")
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(1)
        tg.spawn(produce(tx, range(4)))
        a, b = streams.broadcast(tg, rx, 2)
        b.close()
        print("  a got", await collect(a))

    print("backpressure: a stalled consumer stops the producer (bounded buffering)")
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(1)
        log = []
        tg.spawn(produce(tx, range(100), log=log))
        out = streams.map(tg, streams.filter(tg, rx, lambda v: True), lambda v: v)
        await zs.sleep_ms(50)
        print("  sent while nobody reads:", len(log), "(channels of 1 + one item per operator)")
        got = []
        for _ in range(3):
            got.append(await out.recv())
        await zs.sleep_ms(1)
        print("  then reading 3:", got, "sent", len(log))
        print("shutdown flows up: closing the output stops the operators and the producer")
        out.close()
        await zs.sleep_ms(1)
    print("  producer stopped after", len(log), "sends")

    print("an error in fn fails the TaskGroup")
    try:
        await pipeline(lambda tg, rx: streams.map(tg, rx, lambda v: 1 // (v - 2)), range(5))
    except zs.TaskGroupError as e:
        print("  TaskGroupError", [type(x).__name__ for x in e.exceptions])

    print("misuse")
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(1)
        for what, mk in [
            ("tg=None", lambda: streams.map(None, rx, str)),
            ("rx=tx", lambda: streams.map(tg, tx, str)),
            ("fn=5", lambda: streams.map(tg, rx, 5)),
            ("pred=None", lambda: streams.filter(tg, rx, None)),
            ("capacity=-1", lambda: streams.map(tg, rx, str, capacity=-1)),
            ("batch n=0", lambda: streams.batch(tg, rx, 0)),
            ("batch timeout_ms=1.5", lambda: streams.batch(tg, rx, 2, timeout_ms=1.5)),
            ("throttle 0", lambda: streams.throttle(tg, rx, 0)),
            ("debounce 'x'", lambda: streams.debounce(tg, rx, "x")),
            ("merge []", lambda: streams.merge(tg, [])),
            ("merge [5]", lambda: streams.merge(tg, [5])),
            ("broadcast n=0", lambda: streams.broadcast(tg, rx, 0)),
        ]:
            try:
                mk()
                print(what, "accepted?!")
            except (TypeError, ValueError) as e:
                print(what, "->", type(e).__name__, str(e).split("<")[0])  # no addresses
        tx.close()
        rx.close()


zs.run(main(), clock=zs.VirtualClock())
