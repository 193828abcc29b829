# WatchdogFeeder on the simulated machine.WDT: fed while every check-in is
# fresh; a stuck task stops the feeding and the watchdog resets the board;
# a CPU hog that makes the loop late skips feeds; misuse is named.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
import zsync_mp as zs
from zsync_mp.board.watchdog import WatchdogFeeder

b = machine.board
b.load(None)
msgs = []


async def sensor(c):
    while True:
        await zs.sleep_ms(100)
        c.checkin()


async def modem(c, stuck_at):
    while True:
        await zs.sleep_ms(200)
        if zs.ticks_ms() >= stuck_at:
            await zs.Event().wait()  # stuck: nobody will set it
        c.checkin()


T0 = [0]


async def app(f, stuck_at, run_ms):
    T0[0] = b.ms()  # the board's time when this run starts
    async with zs.TaskGroup() as tg:
        tg.spawn(f.run())
        tg.spawn(sensor(f.register("sensor", 300)))
        tg.spawn(modem(f.register("modem", 500), stuck_at))
        await zs.sleep_ms(run_ms)
        tg.cancel()


print("-- healthy for 5 s")
f = WatchdogFeeder(timeout_ms=1000, period_ms=250, warn=msgs.append)
zs.run(app(f, 10 ** 6, 5100), clock=zs.VirtualClock())  # ends between two feeds
print("feeds", f.feeds, "skipped", f.skipped, "board resets:", [ln for ln in b.log if "reset" in ln])

print("-- modem stuck at 2000 ms")
f = WatchdogFeeder(timeout_ms=1000, period_ms=250, warn=msgs.append)
n = len(b.log)
try:
    zs.run(app(f, 2000, 10000), clock=zs.VirtualClock())
    print("no reset!")
except machine.board.BoardReset as e:
    print("BoardReset cause WDT:", e.cause == machine.WDT_RESET, "at", b.ms() - T0[0], "ms into the run")
print("feeds", f.feeds, "skipped", f.skipped)
for m in msgs:
    print(m)
print([ln.split(" ", 1)[1] for ln in b.log[n:]])

print("-- a task hogging the CPU makes the feeder late")
msgs[:] = []


async def hog():
    await zs.sleep_ms(300)
    machine.board.advance(400)  # 400 ms of CPU time without a checkpoint


async def hogged():
    f = WatchdogFeeder(timeout_ms=2000, period_ms=250, max_lag_ms=100, wdt=machine.WDT(timeout=2000), warn=msgs.append)
    async with zs.TaskGroup() as tg:
        tg.spawn(f.run())
        tg.spawn(hog())
        await zs.sleep_ms(1000)
        tg.cancel()
    print("feeds", f.feeds, "skipped", f.skipped, msgs)


b.load(None)
zs.run(hogged(), clock=zs.VirtualClock())

print("-- misuse")
for kw in ({"timeout_ms": 0}, {"timeout_ms": 1000, "period_ms": 1000}, {"wdt": object()}, {"max_lag_ms": -1}):
    try:
        WatchdogFeeder(**kw)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e.args[0].split(",")[0].split(" got")[0])
f = WatchdogFeeder(1000)
for args in ((5, 100), ("x", 0)):
    try:
        f.register(*args)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e.args[0].split(" got")[0])
