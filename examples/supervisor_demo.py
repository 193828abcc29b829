# supervisor_demo: a flaky sensor under a supervisor.
#
# The sensor task reads a (simulated) I2C sensor that starts failing: each
# crash is restarted by its supervisor (one_for_one, at most 3 restarts in
# 2 s). A retry with backoff absorbs single glitches; a circuit breaker stops
# hammering the bus; when the sensor keeps crashing faster than the
# intensity limit allows, the supervisor escalates to main, which shuts down
# cleanly. Runs unchanged on MicroPython and CPython:
#
#   PYTHONPATH=. .venv/bin/python examples/supervisor_demo.py
#   MICROPYPATH=. .venv/bin/micropython examples/supervisor_demo.py
#
# With ZSYNC_TRACE=path the run is traced and saved for `zsync-mp trace`:
#
#   ZSYNC_TRACE=build/demo.trace PYTHONPATH=. .venv/bin/python examples/supervisor_demo.py
#   .venv/bin/zsync-mp trace build/demo.trace -o docs/supervisor_demo.svg
import os

import zsync_mp as zs
import zsync_mp.trace as trace
from zsync_mp.resilience import Supervisor, child, TooManyRestarts, ONE_FOR_ONE, retry, CircuitBreaker


class FlakySensor:
    # Works for a while, then glitches, then dies for good.
    def __init__(self):
        self.reads = 0

    async def read(self):
        self.reads += 1
        await zs.sleep_ms(5)  # the bus transaction
        if self.reads > 12 or self.reads % 4 == 0:
            raise OSError("i2c: no ACK from 0x48")
        return 20 + self.reads % 3


def log(msg):
    print("%5d ms  %s" % (zs.ticks_ms(), msg))


def on_event(sup, event, cid, detail):
    if event == "start":
        log("[%s] start %s (#%d)" % (sup, cid, detail))
    elif event == "exit":
        how, err = detail
        log("[%s] %s %s%s" % (sup, cid, how, (": %s" % err) if err is not None else ""))
    elif event == "escalate":
        log("[%s] too many restarts of %s: escalating" % (sup, cid))


async def sampler(sensor, breaker, tx):
    while True:
        async with breaker:  # open after 2 failures in a row: fail fast
            v = await retry(sensor.read, attempts=2, base_ms=20, seed=1, retry_on=(OSError,))
        await tx.send(v)
        await zs.sleep_ms(100)


async def consumer(rx):
    async for v in rx:
        log("temperature %d C" % v)


async def main():
    sensor = FlakySensor()
    breaker = CircuitBreaker(fail_max=2, reset_ms=300)
    tx, rx = zs.channel(2)
    sup = Supervisor(
        [child("sampler", sampler, sensor, breaker, tx)],
        strategy=ONE_FOR_ONE,
        max_restarts=3,
        within_ms=2000,
        name="sensors",
        on_event=on_event,
    )
    async with zs.TaskGroup() as tg:
        tg.spawn(consumer(rx), name="consumer")
        try:
            await sup.run()
        except TooManyRestarts as e:
            err = e.error
            log("main: supervisor gave up on %s (%s: %s); shutting down" % (e.child, type(err).__name__, err))
        tx.close()
    log("done after %d sensor reads" % sensor.reads)


TRACE = getattr(os, "getenv", lambda name: None)("ZSYNC_TRACE")
if TRACE:
    trace.enable(4000)
zs.run(main(), clock=zs.VirtualClock())
if TRACE:
    trace.save(TRACE)
