# Trace events: spawn, run, park (with what it waits on), wake, sleep, exit
# (returned/raised/cancelled), cancel, timeout; labels name the primitives.
import zsync_mp as zs
import zsync_mp.trace as trace
from zsync_mp.trace.export import lines


async def waiter(ev):
    await ev.wait()


async def locker(lock):
    async with lock:
        await zs.sleep_ms(5)


async def reader(rx):
    return await rx.recv()


async def flagger(f):
    await f.wait()


async def failer():
    await zs.sleep_ms(1)
    raise ValueError("boom")


async def forever():
    await zs.sleep_ms(100000)


async def main():
    ev = trace.label(zs.Event(), "button")
    lock = trace.label(zs.Lock(), "i2c bus")
    tx, rx = zs.channel(1)
    trace.label(rx, "samples")
    f = trace.label(zs.Flag(), "uart irq")
    plain = zs.Event()  # no label: the type name
    async with zs.TaskGroup() as tg:
        tg.spawn(waiter(ev), name="waiter")
        tg.spawn(waiter(plain), name="plain")
        tg.spawn(locker(lock), name="locker1")
        tg.spawn(locker(lock), name="locker2")
        tg.spawn(reader(rx), name="reader")
        tg.spawn(flagger(f), name="flagger")
        await zs.sleep_ms(1)
        ev.set()
        plain.set()
        f.set()
        await tx.send(42)
    t = zs.spawn(forever(), name="victim")
    await zs.yield_now()
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        pass
    with zs.move_on_after(0.003):
        await zs.sleep_ms(50)
    try:
        async with zs.TaskGroup() as tg:
            tg.spawn(failer(), name="failer")
            tg.spawn(forever(), name="sibling")
    except zs.TaskGroupError as e:
        print("group failed:", [type(x).__name__ for x in e.exceptions])


tr = trace.enable(400)
zs.run(main(), clock=zs.VirtualClock())
trace.disable()
for ln in lines(tr):
    if ln.startswith("ev "):
        print(ln.split(" ", 2)[2])  # drop ticks_us: real time varies
    elif not ln.startswith("ticks_us_period"):  # the interpreter's ticks range
        print(ln)
# Off: nothing more is recorded.
n = tr.count
zs.run(main(), clock=zs.VirtualClock())
print("events after disable:", tr.count - n)
