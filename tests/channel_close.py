# Closing either end wakes the other side with ChannelClosed; misuse is clear.
import zsync_mp as zs


async def main():
    tx, rx = zs.channel(4)
    await tx.send(1)
    await tx.send(2)
    tx.close()
    tx.close()
    print("closed sender, drain:", await rx.recv(), await rx.recv())
    try:
        await rx.recv()
    except zs.ChannelClosed as e:
        print("recv after drain:", e)
    try:
        await tx.send(3)
    except zs.ChannelClosed as e:
        print("send on closed sender:", e)
    try:
        tx.clone()
    except zs.ChannelClosed as e:
        print("clone closed:", e)

    # A parked receiver is woken when the last sender closes.
    tx, rx = zs.channel(0)
    t2 = tx.clone()

    async def receiver():
        try:
            await rx.recv()
        except zs.ChannelClosed as e:
            print("parked receiver woken:", e, "at", zs.ticks_ms())

    async with zs.TaskGroup() as tg:
        tg.spawn(receiver())
        await zs.sleep_ms(3)
        tx.close()
        print("one of two senders closed; receiver still waits")
        await zs.sleep_ms(3)
        t2.close()

    # Parked senders are woken when the receiver closes; nothing is delivered twice.
    tx, rx = zs.channel(1)

    async def sender(v):
        try:
            await tx.send(v)
            print("sent", v)
        except zs.ChannelClosed as e:
            print("sender", v, "woken:", e)

    async with zs.TaskGroup() as tg:
        for v in range(3):
            tg.spawn(sender(v))
        await zs.sleep_ms(2)
        rx.close()
    try:
        tx.try_send(9)
    except zs.ChannelClosed as e:
        print("try_send with no receivers:", e)
    try:
        rx.try_recv()
    except zs.ChannelClosed as e:
        print("try_recv on closed receiver:", e)

    # A sender cancelled while parked takes its value back.
    tx, rx = zs.channel(0)
    with zs.move_on_after(0.005) as s:
        await tx.send("lost?")
    print("send timed out", s.cancelled_caught)
    try:
        print(rx.try_recv())
    except zs.WouldBlock:
        print("nothing left behind")

    for bad in (-1, 1.5, None):
        try:
            zs.channel(bad)
        except (ValueError, TypeError) as e:
            print(type(e).__name__, e)


zs.run(main(), clock=zs.VirtualClock())
