# CancelToken: parent cancels children (never the reverse), scopes, wait().
import zsync_mp as zs


async def worker(name, tok):
    with tok.scope() as s:
        await zs.sleep(10)
    print(name, "stopped, caught", s.cancelled_caught, "at", zs.ticks_ms())


async def main():
    root = zs.CancelToken()
    a = root.child()
    b = root.child()
    a1 = a.child()
    async with zs.TaskGroup() as tg:
        tg.spawn(worker("a1", a1))
        tg.spawn(worker("b", b))

        async def waiter():
            await root.wait()
            print("root.wait() returned at", zs.ticks_ms())

        tg.spawn(waiter())
        await zs.sleep_ms(5)
        a.cancel()
        print("a cancelled; root", root.cancelled, "b", b.cancelled, "a1", a1.cancelled)
        await zs.sleep_ms(5)
        root.cancel()
    late = root.child()
    print("child of cancelled token is cancelled:", late.cancelled)
    with late.scope() as s:
        await zs.yield_now()
    print("scope of cancelled token caught", s.cancelled_caught)
    await root.wait()
    print("wait on cancelled token returns at once")


zs.run(main(), clock=zs.VirtualClock())
