# select(): exactly one of several channel operations completes.
import zsync_mp as zs


async def main():
    a_tx, a_rx = zs.channel(1)
    b_tx, b_rx = zs.channel(1)
    out_tx, out_rx = zs.channel(1)
    await b_tx.send("b1")
    print(await zs.select(a_rx, b_rx))
    await a_tx.send("a1")
    await b_tx.send("b2")
    print("first ready in argument order:", await zs.select(a_rx, b_rx))
    print("left in b:", b_rx.try_recv())

    async def later():
        await zs.sleep_ms(5)
        await a_tx.send("a2")

    async with zs.TaskGroup() as tg:
        tg.spawn(later())
        i, v = await zs.select(b_rx, a_rx)
        print("waited until", zs.ticks_ms(), i, v)

    # A send branch and a receive branch: only one completes.
    await out_tx.send("full")
    async with zs.TaskGroup() as tg:
        async def drain():
            await zs.sleep_ms(3)
            print("drained", await out_rx.recv())

        tg.spawn(drain())
        i, v = await zs.select(a_rx, (out_tx, "x"))
        print("select ->", i, v, "at", zs.ticks_ms(), "a empty:", len(a_rx) == 0)
    print("out now holds", out_rx.try_recv())

    with zs.move_on_after(0.004) as s:
        await zs.select(a_rx, b_rx)
    print("select timed out", s.cancelled_caught)
    for bad in ((), (42,), ((a_rx, 1),)):
        try:
            await zs.select(*bad)
        except (TypeError, ValueError) as e:
            print(type(e).__name__, str(e).split(", got")[0])
    a_tx.close()
    try:
        await zs.select(a_rx)
    except zs.ChannelClosed as e:
        print("closed:", e)


zs.run(main(), clock=zs.VirtualClock())
