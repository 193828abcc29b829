# Cancelling the task that owns a group, or an outer scope, cancels the children
# at once (Trio: Task.cancel() cancels the task's root scope, and everything in it).
# Cleanups at the same instant run in the kernel's deterministic order: the
# cancel kicks the children of every open group inside the owner, in the order
# the groups were entered (c1, c2, then the grandchild).
import zsync_mp as zs


async def child(name):
    try:
        await zs.sleep(100)
    finally:
        print(name, "cleanup at", zs.ticks_ms())


async def owner():
    async with zs.TaskGroup() as tg:
        tg.spawn(child("c1"))
        tg.spawn(child("c2"))
        async with zs.TaskGroup() as inner:
            inner.spawn(child("grandchild"))
    print("not reached")


async def main():
    t = zs.spawn(owner(), name="owner")
    await zs.sleep_ms(10)
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        print("owner cancelled:", t.cancelled(), "at", zs.ticks_ms())

    with zs.move_on_after(0.02) as s:
        async with zs.TaskGroup() as tg:
            tg.spawn(child("d1"))
            tg.spawn(child("d2"))
    print("outer timeout caught", s.cancelled_caught, "at", zs.ticks_ms())

    # A shielded child keeps running; its group waits for it.
    async def shielded():
        with zs.CancelScope(shield=True):
            await zs.sleep_ms(15)
            print("shielded child finished at", zs.ticks_ms())

    with zs.move_on_after(0.005) as s:
        async with zs.TaskGroup() as tg:
            tg.spawn(shielded())
            tg.spawn(child("e1"))
    print("after shielded group, caught", s.cancelled_caught, "at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
