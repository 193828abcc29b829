# The first failure cancels siblings and body; all failures come out as TaskGroupError.
import zsync_mp as zs


async def fails(ms, exc):
    await zs.sleep_ms(ms)
    raise exc


async def sibling(name):
    try:
        await zs.sleep(10)
    except zs.Cancelled:
        print(name, "cancelled at", zs.ticks_ms())
        raise


async def main():
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(sibling("s1"))
            tg.spawn(fails(5, ValueError("first")))
            tg.spawn(sibling("s2"))
            try:
                await zs.sleep(10)
            except zs.Cancelled:
                print("body cancelled at", zs.ticks_ms())
                raise
    except zs.TaskGroupError as e:
        print("TaskGroupError", [type(x).__name__ + ":" + str(x) for x in e.exceptions])
        print("is Exception", isinstance(e, Exception))

    # Two children woken together fail before their next checkpoint: both are
    # reported. (Two whose sleeps end together are not: a sleep that ended is
    # a checkpoint, so the first failure cancels the other there, as in Trio.)
    async def fails_on(ev, exc):
        await ev.wait()
        raise exc

    try:
        async with zs.TaskGroup() as tg:
            ev = zs.Event()
            tg.spawn(fails_on(ev, ValueError("a")))
            tg.spawn(fails_on(ev, KeyError("b")))
            await zs.sleep_ms(5)
            ev.set()
    except zs.TaskGroupError as e:
        print("two failures", sorted(type(x).__name__ for x in e.exceptions))
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(fails(5, ValueError("a")))
            tg.spawn(fails(5, KeyError("b")))
    except zs.TaskGroupError as e:
        print("sleeps ended together", sorted(type(x).__name__ for x in e.exceptions))

    # The body raises: children are cancelled, the error is in the group.
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(sibling("s3"))
            await zs.sleep_ms(2)
            raise OSError(5)
    except zs.TaskGroupError as e:
        print("body error", [type(x).__name__ for x in e.exceptions], "at", zs.ticks_ms())

    # A child's cleanup that fails is reported too.
    async def bad_cleanup():
        try:
            await zs.sleep(10)
        finally:
            raise RuntimeError("cleanup failed")

    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(bad_cleanup())
            tg.spawn(fails(1, ValueError("trigger")))
    except zs.TaskGroupError as e:
        print("cleanup failure", sorted(str(x) for x in e.exceptions))

    # A cancelled child is not a failure; cancel() stops the whole group quietly.
    async with zs.TaskGroup() as tg:
        t = tg.spawn(sibling("s4"))
        await zs.sleep_ms(1)
        t.cancel()
    print("child cancel: group ok at", zs.ticks_ms())
    async with zs.TaskGroup() as tg:
        tg.spawn(sibling("s5"))
        await zs.sleep_ms(1)
        tg.cancel()
        await zs.sleep(1)
        print("not reached")
    print("group cancel() exits quietly at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
