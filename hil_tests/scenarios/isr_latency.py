# ISR-to-task latency through zs.Flag over a pin loopback: PARAMS["loop"] =
# [output pin, input pin], wired together (on the virtual board: the
# simulated wire in examples/boards/devkit.json). A hard IRQ on both edges
# stamps ticks_us and sets the Flag; the waiting task measures how long it
# took to run. Prints RESULT {p50, p99, max, min (µs), edges, wakes} and
# `Test OK`. An edge the handler never saw means the wire is missing.
import json
import time

from machine import Pin
import zsync_mp as zs

N = PARAMS.get("edges", 200)
PERIOD_MS = PARAMS.get("period_ms", 3)
out = Pin(PARAMS["loop"][0], Pin.OUT, value=0)
inp = Pin(PARAMS["loop"][1], Pin.IN)
flag = zs.Flag()
stamp = [0]
edges = [0]
lat = []


# Hard IRQ: stores into preallocated lists only (allocation-free).
def on_edge(p):
    stamp[0] = time.ticks_us()
    edges[0] += 1
    flag.set()


async def waiter():
    while True:
        await flag.wait()
        lat.append(time.ticks_diff(time.ticks_us(), stamp[0]))


async def main():
    level = 0
    async with zs.TaskGroup() as tg:
        w = tg.spawn(waiter())
        await zs.sleep_ms(5)
        for _ in range(N):
            level ^= 1
            out.value(level)
            await zs.sleep_ms(PERIOD_MS)
        await zs.sleep_ms(20)
        w.cancel()


inp.irq(on_edge, Pin.IRQ_RISING | Pin.IRQ_FALLING, hard=True)
try:
    zs.run(main())
finally:
    inp.irq(None)
if edges[0] == 0:
    raise AssertionError("no edge reached the input pin: is %r wired to %r?" % tuple(PARAMS["loop"]))
lat.sort()


def pct(p):
    return lat[min(len(lat) - 1, len(lat) * p // 100)]


print("RESULT", json.dumps({"edges_sent": N, "edges_seen": edges[0], "wakes": len(lat),
                            "lat_p50_us": pct(50), "lat_p99_us": pct(99), "lat_max_us": lat[-1],
                            "lat_min_us": lat[0]}))
print("Test OK")
