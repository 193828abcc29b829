# Exceptions cross a fiber in both directions: one raised in the fiber comes
# out of `await zs.fiber(...)` (after its finally blocks); one raised where
# the task waits for an io.* call (ChannelClosed, a failed task, a bad
# argument) is raised at that io call inside the fiber, which may handle it
# and go on. A failing fiber in a TaskGroup cancels its siblings.
from _io_dev import need_fibers

need_fibers()
import zsync_mp as zs


def show(e):
    return "%s%r" % (type(e).__name__, e.args)


def fails(io, msg):
    try:
        io.sleep_ms(1)
        raise ValueError(msg)
    finally:
        print("  fiber finally ran")


def recv_closed(io, rx):
    got = []
    try:
        while True:
            got.append(io.recv(rx))
    except zs.ChannelClosed as e:
        print("  fiber: ChannelClosed at io.recv:", show(e))
    io.sleep_ms(1)
    return got


async def boom():
    await zs.sleep_ms(2)
    raise KeyError("task failed")


def await_failed(io):
    t = zs.spawn(boom())
    try:
        io.await_(t)
    except KeyError as e:
        print("  fiber: the awaited task's error:", show(e))
    try:
        io.sleep_ms(-5)
    except ValueError as e:
        print("  fiber: bad argument raised in the fiber:", type(e).__name__)
    return "handled"


def lets_it_through(io, rx):
    return io.recv(rx)


def sibling_waits(io):
    try:
        io.sleep_ms(1000)
    finally:
        print("  sibling fiber finally at", zs.ticks_ms())


async def main():
    e0 = None
    try:
        await zs.fiber(fails, "from fiber")
    except ValueError as e:
        e0 = e
        print("out of zs.fiber:", show(e))

    tx, rx = zs.channel(4)

    async def sender():
        for v in "abc":
            await tx.send(v)
            await zs.sleep_ms(1)
        tx.close()

    zs.spawn(sender())
    print("got before close:", await zs.fiber(recv_closed, rx))
    print("await_ of a failed task:", await zs.fiber(await_failed))

    tx2, rx2 = zs.channel(1)
    tx2.close()
    try:
        await zs.fiber(lets_it_through, rx2)
    except zs.ChannelClosed as e:
        print("unhandled in the fiber, out of zs.fiber:", show(e))

    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(zs.fiber(sibling_waits))
            tg.spawn(zs.fiber(fails, "in a group"))
    except zs.TaskGroupError as e:
        print("TaskGroupError:", [show(x) for x in e.exceptions])

    def retries(io):
        n = 0
        while True:
            try:
                n += 1
                io.await_(boom())
            except KeyError:
                if n == 3:
                    return "gave up after %d tries at %d" % (n, zs.ticks_ms())

    print(await zs.fiber(retries))
    print("the exception object is the one raised:", isinstance(e0, ValueError) and e0.args == ("from fiber",))


zs.run(main(), clock=zs.VirtualClock())
