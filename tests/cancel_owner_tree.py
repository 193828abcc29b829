# Task.cancel() cancels the task's root scope (Trio's rule): every child and
# grandchild in the groups it owns is cancelled at once, whether the owner is
# in its group's body or already waiting in the group's exit; only a shielded
# scope keeps the cancellation out. Times are virtual ms: every cleanup line
# must say 10 (the cancel), never 100000 (a child sleeping its full time).
import zsync_mp as zs

T0 = [0]


def now():
    return zs.ticks_diff(zs.ticks_ms(), T0[0])


async def sleeper(name):
    try:
        await zs.sleep(100)
    finally:
        print(name, "cleanup at", now())


async def in_body():
    async with zs.TaskGroup() as tg:
        tg.spawn(sleeper("body child"))
        await zs.sleep(100)
    print("not reached")


async def in_exit():
    async with zs.TaskGroup() as tg:
        tg.spawn(sleeper("exit child"))
    print("not reached")


async def nested():
    async with zs.TaskGroup() as tg:
        tg.spawn(sleeper("child"))

        async def middle():
            async with zs.TaskGroup() as inner:
                inner.spawn(sleeper("grandchild"))

        tg.spawn(middle())


async def shielded():
    with zs.CancelScope(shield=True):
        async with zs.TaskGroup() as tg:
            tg.spawn(sleeper("shielded child"))
            await zs.sleep_ms(20)
            tg.cancel()
    print("shielded owner goes on at", now())
    await zs.sleep(1)
    print("not reached")


async def case(name, fn):
    T0[0] = zs.ticks_ms()
    t = zs.spawn(fn(), name=name)
    await zs.sleep_ms(10)
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        print(name, "owner cancelled at", now())


async def main():
    await case("in_body", in_body)
    await case("in_exit", in_exit)
    await case("nested", nested)
    await case("shielded", shielded)
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
