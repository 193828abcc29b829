# Cancellation reaches a fiber parked in io.*: fail_after around
# `await zs.fiber(...)` raises TimeoutError and the fiber's finally runs;
# move_on_after, task.cancel() and a TaskGroup's cancel do the same for a fiber
# waiting on sleep, an Event, a Lock or a channel. A fiber can clean up with
# io calls under a shielded scope, and `except Exception` does not swallow
# Cancelled. The fiber's stack is closed once it is cancelled.
from _io_dev import need_fibers

need_fibers()
import io
import zsync_mp as zs


def t():
    return zs.ticks_ms()


def sleeper(io, ms):
    try:
        io.sleep_ms(ms)
        print("  not reached")
    finally:
        print("  ", t(), "fiber finally ran")


def waiter(io, what, obj):
    try:
        if what == "event":
            io.wait(obj)
        elif what == "lock":
            with io.lock(obj):
                print("  not reached")
        elif what == "recv":
            io.recv(obj)
        elif what == "send":
            io.send(obj, 1)
        elif what == "read":
            io.read(obj, 1)
    finally:
        print("  ", t(), "fiber waiting on", what, "cancelled")


def careful(io):
    try:
        io.sleep_ms(100)
    except Exception:
        print("  not reached: Cancelled is not an Exception")
    finally:
        with zs.CancelScope(shield=True):
            io.sleep_ms(3)
            print("  ", t(), "shielded cleanup slept in the fiber")


def swallow(io):
    try:
        io.sleep_ms(100)
    except zs.Cancelled:
        print("  ", t(), "fiber caught Cancelled and returns")
    return "swallowed"


class Silent(io.IOBase):
    # A pollable that never becomes readable.
    def ioctl(self, req, flags):
        return 0 if req == 3 else -22

    def read(self, n):
        return None


async def main():
    try:
        with zs.fail_after(0.02):
            await zs.fiber(sleeper, 1000)
    except zs.TimeoutError:
        print(t(), "TimeoutError out of fail_after")

    with zs.move_on_after(0.01) as s:
        await zs.fiber(sleeper, 1000)
    print(t(), "move_on_after caught:", s.cancelled_caught)

    lk = zs.Lock()
    done = zs.Event()

    async def hold():  # the fiber runs for its task: another task holds the lock
        async with lk:
            await done.wait()

    zs.spawn(hold())
    await zs.yield_now()
    tx, rx = zs.channel(0)
    for what, obj in (("event", zs.Event()), ("lock", lk), ("recv", rx), ("send", tx), ("read", Silent())):
        with zs.move_on_after(0.005) as s:
            await zs.fiber(waiter, what, obj)
        print(t(), what, "cancelled_caught:", s.cancelled_caught)
    done.set()

    async def holder():
        await zs.fiber(sleeper, 1000)

    tk = zs.spawn(holder())
    await zs.sleep_ms(3)
    tk.cancel()
    try:
        await tk
    except zs.Cancelled:
        print(t(), "task.cancel(): task cancelled:", tk.cancelled())

    async with zs.TaskGroup() as tg:
        for i in range(3):
            tg.spawn(zs.fiber(sleeper, 1000))
        await zs.sleep_ms(2)
        tg.cancel()
    print(t(), "TaskGroup cancel ended three fibers")

    with zs.move_on_after(0.005):
        await zs.fiber(careful)
    print(t(), "after shielded cleanup")

    with zs.move_on_after(0.005) as s:
        r = await zs.fiber(swallow)
        print(t(), "zs.fiber returned", r, "; the scope cancels at the next checkpoint")
        await zs.sleep_ms(1)
    print(t(), "cancelled_caught:", s.cancelled_caught)

    # A coroutine from zs.fiber() that is never awaited never starts its fiber.
    c = zs.fiber(sleeper, 5)
    c.close()
    print("closing an unawaited zs.fiber() coroutine runs nothing")


zs.run(main(), clock=zs.VirtualClock())
