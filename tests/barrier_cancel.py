# Barrier: a waiter cancelled while waiting leaves the count at once (not
# when it next runs), so the barrier never releases with a party missing;
# arrival indexes are 0..parties-1, each exactly once per round. Times are
# virtual ms.
import zsync_mp as zs


async def party(bar, name, ms, got):
    await zs.sleep_ms(ms)
    try:
        i = await bar.wait()
    except zs.Cancelled:
        print(name, "cancelled at", zs.ticks_ms())
        raise
    got.append(i)
    print(name, "released at", zs.ticks_ms(), "index", i)


async def main():
    bar = zs.Barrier(3)
    got = []
    async with zs.TaskGroup() as tg:
        tg.spawn(party(bar, "a", 1, got))
        b = tg.spawn(party(bar, "b", 2, got))
        await zs.sleep_ms(3)
        b.cancel()  # b leaves now; main arrives before b runs again
        print("main arrives, waiting before it:", bar.n_waiting)
        tg.spawn(party(bar, "d", 2, got))
        i = await bar.wait()
        got.append(i)
        print("main released at", zs.ticks_ms(), "index", i)
    print("round 1 indexes", sorted(got))

    # Round 2: t's deadline and e's and f's arrivals fall on the same tick;
    # the barrier waits for g.
    got = []

    async def timed(name):
        with zs.move_on_after(0.010) as s:
            await party(bar, name, 0, got)
        print(name, "timed out:", s.cancelled_caught)

    async with zs.TaskGroup() as tg:
        tg.spawn(party(bar, "e", 10, got))
        tg.spawn(party(bar, "f", 10, got))
        tg.spawn(timed("t"))
        tg.spawn(party(bar, "g", 12, got))
    print("round 2 indexes", sorted(got))
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
