# zs.fiber(fn, *args): fn(io, *args) runs on its own stack and its result is
# returned; every io.* call parks the fiber in the kernel, so tasks and other
# fibers interleave (trace under the virtual clock). Covers Event, Lock,
# channels between a fiber and a task, await_ of a task / coroutine /
# yield_now, a fiber started from a fiber (await_(zs.fiber(...))), a cancel
# scope opened inside a fiber, and zs.run(zs.fiber(...)) as the main task.
from _io_dev import need_fibers

need_fibers()
import zsync_mp as zs


def t():
    return zs.ticks_ms()


def stepper(io, name, period, n):
    for i in range(n):
        io.sleep_ms(period)
        print(t(), name, "step", i)
    return name + " done"


async def task(name, period, n):
    for i in range(n):
        await zs.sleep_ms(period)
        print(t(), name, "step", i)


async def interleave():
    print("-- interleaving: two fibers and a task")
    async with zs.TaskGroup() as tg:
        tg.spawn(task("task", 3, 4))

        async def run_fiber(name, period, n):
            r = await zs.fiber(stepper, name, period, n)
            print(t(), "result:", r)

        tg.spawn(run_fiber("fA", 5, 2))
        tg.spawn(run_fiber("fB", 4, 3))


def consumer(io, rx, ev, lk):
    io.wait(ev)
    print(t(), "fiber: event set")
    got = []
    while len(got) < 3:
        got.append(io.recv(rx))
    print(t(), "fiber: received", got)
    with io.lock(lk):
        print(t(), "fiber: has the lock", lk.locked())
        io.sleep_ms(2)
    return sum(got)


async def primitives():
    print("-- Event, channel and Lock between a task and a fiber")
    tx, rx = zs.channel(0)
    ev = zs.Event()
    lk = zs.Lock()
    async with zs.TaskGroup() as tg:

        async def producer():
            await zs.sleep_ms(2)
            ev.set()
            for v in (1, 2, 3):
                await tx.send(v)
                print(t(), "task: sent", v)
            async with lk:
                print(t(), "task: has the lock")
                await zs.sleep_ms(5)
            print(t(), "task: released the lock")

        tg.spawn(producer())
        await zs.sleep_ms(3)
        r = await zs.fiber(consumer, rx, ev, lk)
        print(t(), "sum:", r)


async def slow_double(x):
    await zs.sleep_ms(4)
    return 2 * x


def awaiter(io, tsk):
    a = io.await_(tsk)
    b = io.await_(slow_double(a))
    io.await_(zs.yield_now())
    c = io.await_(zs.fiber(stepper, "nested", 1, 2))
    return a, b, c


async def awaits():
    print("-- await_ of a task, a coroutine, yield_now and a nested fiber")
    tsk = zs.spawn(slow_double(5))
    r = await zs.fiber(awaiter, tsk)
    print(t(), r)


def scoped(io):
    with zs.move_on_after(0.01) as s:
        io.sleep_ms(50)
        print("not reached")
    print(t(), "fiber: scope cancelled_caught", s.cancelled_caught)
    with zs.fail_after(0.05):
        io.sleep_ms(2)
    return "after scopes"


async def scopes():
    print("-- cancel scopes opened inside a fiber")
    r = await zs.fiber(scoped, stack_size=16384)
    print(t(), r)


async def main():
    await interleave()
    await primitives()
    await awaits()
    await scopes()


zs.run(main(), clock=zs.VirtualClock())
print("main task is a fiber:", zs.run(zs.fiber(stepper, "solo", 1, 1), clock=zs.VirtualClock()))
