# close() on a channel handle wakes every task parked through that handle
# with ChannelClosed, and a send parked on a handle that gets closed never
# delivers its value. Tasks parked through another (cloned) handle of the
# same side keep waiting. Times are virtual ms.
import zsync_mp as zs


async def consumer(name, rx):
    try:
        async for v in rx:
            print(name, "got", v)
        print(name, "loop ended: not reached")
    except zs.ChannelClosed as e:
        print(name, "ChannelClosed at", zs.ticks_ms(), "-", e)


async def waiter(name, rx, how):
    try:
        if how == "ready":
            await rx.ready()
            print(name, "ready: not reached")
        else:
            print(name, "got", await rx.recv())
    except zs.ChannelClosed:
        print(name, "ChannelClosed at", zs.ticks_ms())


async def sender(name, tx, v):
    try:
        await tx.send(v)
        print(name, "sent", v)
    except zs.ChannelClosed:
        print(name, "ChannelClosed at", zs.ticks_ms())


async def main():
    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(0)
        rx2 = rx.clone()
        tg.spawn(consumer("for", rx))
        tg.spawn(waiter("recv", rx, "recv"))
        tg.spawn(waiter("ready", rx, "ready"))
        tg.spawn(waiter("other", rx2, "recv"))
        await zs.sleep_ms(5)
        rx.close()  # wakes for/recv/ready, not the task parked through rx2
        await zs.sleep_ms(5)
        tx.try_send("to rx2")  # the task parked through rx2 still waits

    async with zs.TaskGroup() as tg:
        tx, rx = zs.channel(0)
        tx2 = tx.clone()
        tg.spawn(sender("s1", tx, "v1"))
        tg.spawn(sender("s2", tx2, "v2"))
        await zs.sleep_ms(5)
        tx.close()  # s1 gets ChannelClosed; v1 is never delivered
        await zs.sleep_ms(5)
        print("receiver gets", await rx.recv())
        tx2.close()
        try:
            rx.try_recv()
        except zs.ChannelClosed:
            print("then the channel is drained and closed")
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
