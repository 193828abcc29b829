# Timers stay in order and never fire early when the ticks counter wraps
# (boards wrap at 2**30 ms; a small period makes the wrap happen often).
import zsync_mp as zs


async def ticker(name, period, n, log):
    start = zs.ticks_ms()
    for i in range(n):
        await zs.sleep_ms(period)
        now = zs.ticks_ms()
        log.append((zs.ticks_diff(now, start), name))


def check(clock, label):
    log = []

    async def main():
        async with zs.TaskGroup() as tg:
            tg.spawn(ticker("fast", 7, 40, log))
            tg.spawn(ticker("slow", 50, 5, log))
        with zs.move_on_after(0.1) as s:
            await zs.Event().wait()
        return s.cancelled_caught

    caught = zs.run(main(), clock=clock)
    elapsed = [e for e, _ in log]
    print(label, "events", len(log), "monotonic", elapsed == sorted(elapsed), "timeout caught", caught)
    print(label, "last", log[-1], "clock now", clock.now(), "elapsed", clock.elapsed)


check(zs.VirtualClock(start=(1 << 30) - 100), "board-wrap")
check(zs.VirtualClock(start=1000, period=1 << 10), "small-period")
c = zs.VirtualClock(period=1 << 10)
print("diff across wrap", c.diff(3, 1020), c.diff(1020, 3), c.add(1020, 10))
try:
    zs.VirtualClock(period=1000)
except ValueError as e:
    print("ValueError", e)
