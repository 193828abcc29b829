# Channels: FIFO, backpressure, rendezvous, close semantics, async for, clone.
import zsync_mp as zs


async def producer(name, tx, n, log):
    for i in range(n):
        await tx.send((name, i))
        log.append("%s sent %d at %d" % (name, i, zs.ticks_ms()))
    tx.close()


async def main():
    # Backpressure: capacity 2, slow consumer.
    tx, rx = zs.channel(2)
    log = []
    async with zs.TaskGroup() as tg:
        tg.spawn(producer("p", tx, 5, log))
        await zs.sleep_ms(10)
        print("buffered while consumer sleeps:", len(rx), "log", len(log))
        async for v in rx:
            print("got", v, "at", zs.ticks_ms())
            await zs.sleep_ms(1)
    print("\n".join(log))

    # Rendezvous: send completes only when a receiver takes the value.
    tx, rx = zs.channel(0)

    async def slow_rx():
        await zs.sleep_ms(7)
        print("rx got", await rx.recv(), "at", zs.ticks_ms())

    async with zs.TaskGroup() as tg:
        tg.spawn(slow_rx())
        await tx.send("hello")
        print("rendezvous send returned at", zs.ticks_ms())
    try:
        tx.try_send(1)
    except zs.WouldBlock as e:
        print("try_send on rendezvous with no receiver: WouldBlock", e)

    # Many senders via clone(); iteration ends when all are closed.
    tx, rx = zs.channel(1)
    async with zs.TaskGroup() as tg:
        for name in ("a", "b", "c"):
            tg.spawn(producer(name, tx.clone(), 2, []))
        tx.close()
        got = []
        async for v in rx:
            got.append(v)
    print("from clones", sorted(got))
    for a in ("a", "b", "c"):
        mine = [i for n, i in got if n == a]
        print(a, "in order", mine == sorted(mine))

    # try_ ops
    tx, rx = zs.channel(1)
    tx.try_send("x")
    try:
        tx.try_send("y")
    except zs.WouldBlock:
        print("try_send full: WouldBlock")
    print("try_recv", rx.try_recv())
    try:
        rx.try_recv()
    except zs.WouldBlock:
        print("try_recv empty: WouldBlock")

    # The allocation-free receive loop: ready() then try_recv().
    tx, rx = zs.channel(2)

    async def feed():
        for i in range(3):
            await zs.sleep_ms(2)
            await tx.send(i)
        tx.close()

    async with zs.TaskGroup() as tg:
        tg.spawn(feed())
        while True:
            await rx.ready()
            try:
                print("ready/try_recv", rx.try_recv(), "at", zs.ticks_ms())
            except zs.WouldBlock:
                continue
            except zs.ChannelClosed:
                print("ready/try_recv: closed")
                break
    tx, rx = zs.channel(1)

    # None is a value like any other.
    await tx.send(None)
    print("None through a channel:", await rx.recv())


zs.run(main(), clock=zs.VirtualClock())
