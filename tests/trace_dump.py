# zs.dump(): the task tree (TaskGroup nesting, detached tasks), each task's
# state, what it is parked on and for how long, its cancel scopes and deadlines.
import zsync_mp as zs
import zsync_mp.trace as trace


async def sensor(rx):
    with zs.fail_after(2):
        await rx.recv()


async def blinker():
    while True:
        await zs.sleep_ms(250)


async def shielded(ev):
    with zs.CancelScope(shield=True):
        await ev.wait()


async def worker(lock, ev):
    async with zs.TaskGroup() as tg:
        tg.spawn(shielded(ev), name="shielded")
        async with lock:
            await zs.sleep_ms(1000)


async def main():
    tx, rx = zs.channel(2)
    trace.label(rx, "uart rx")
    lock = trace.label(zs.Lock(), "spi bus")
    ev = zs.Event()
    bg = zs.spawn(blinker(), name="blinker")
    with zs.move_on_after(3) as outer:
        async with zs.TaskGroup() as tg:
            tg.spawn(sensor(rx), name="sensor")
            tg.spawn(worker(lock, ev), name="worker")
            tg.spawn(worker(lock, ev), name="waiting-worker")
            await zs.sleep_ms(100)
            trace.dump(times=False, stacks=False)
            outer.cancel()
            ev.set()
    bg.cancel()
    await zs.yield_now()
    trace.dump(times=False, stacks=False)


# Without tracing: only main and detached tasks are known.
async def untraced():
    zs.spawn(blinker(), name="blinker")
    await zs.sleep_ms(10)
    trace.dump(times=False, stacks=False)


zs.run(untraced(), clock=zs.VirtualClock())
trace.enable(64)
zs.run(main(), clock=zs.VirtualClock(start=1000))
