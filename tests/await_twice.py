# Awaiting one call's awaitable a second time (`w = ev.wait(); await w;
# await w`) is a misuse: every interpreter raises the same RuntimeError
# naming it, for each kind of kernel awaitable (the general one, yield_now's,
# Event.wait's), and never hands out a made-up value; awaits made where they
# are called keep working afterwards, values included.
import zsync_mp as zs


async def twice(what, make):
    w = make()
    await w
    try:
        v = await w
        print(what, "second await returned", v)
    except RuntimeError as e:
        print(what, "second await: RuntimeError", e)


async def main():
    ev = zs.Event()
    ev.set()
    await twice("Event.wait (set)", ev.wait)
    await twice("sleep_ms(1)", lambda: zs.sleep_ms(1))
    await twice("yield_now()", zs.yield_now)
    tx, rx = zs.channel(2)
    await tx.send(7)
    await twice("tx.send", lambda: tx.send(8))
    w = rx.recv()
    print("recv", await w)
    try:
        await w
    except RuntimeError as e:
        print("rx.recv second await: RuntimeError", e)
    print("recv again", await rx.recv())
    ev2 = zs.Event()

    async def setter():
        await zs.sleep_ms(2)
        ev2.set()

    async with zs.TaskGroup() as tg:
        tg.spawn(setter())
        await ev2.wait()  # parks, then resumes: a resume is not a second await
    print("parked wait resumed at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
