# Metrics: counters, gauges, histograms; pull API (collect/render); misuse.
import zsync_mp as zs
from zsync_mp import metrics


def expect(what, f, *args):
    try:
        f(*args)
    except (TypeError, ValueError, KeyError) as e:
        print(what, "->", type(e).__name__ + ":", e.args[0])
    else:
        print(what, "-> no error!")


reg = metrics.Registry()
frames = metrics.counter("uart_frames", "frames received", reg)
depth = metrics.gauge("queue_depth", registry=reg)
lat = metrics.histogram("latency_us", [100, 1000, 10000], "frame latency", reg)


async def producer(tx):
    for i in range(6):
        await tx.send(i)
        depth.inc()
        await zs.sleep_ms(1)


async def consumer(rx):
    for i in range(6):
        t0 = zs.ticks_ms()
        v = await rx.recv()
        depth.dec()
        frames.inc()
        lat.observe(zs.ticks_diff(zs.ticks_ms(), t0) * 1000 + v * 60)


async def main():
    tx, rx = zs.channel(4)
    async with zs.TaskGroup() as tg:
        tg.spawn(producer(tx))
        tg.spawn(consumer(rx))


zs.run(main(), clock=zs.VirtualClock())
for name, kind, value in reg.collect():
    print(name, kind, value)
print(reg.render(), end="")
lat.observe(50000)
lat.observe(-5)
print("after two more:", reg.get("latency_us").read())
# Wrap-around: counters and sums stay small ints (allocation-free on a board).
c = metrics.Counter("wrap", registry=reg)
c.value = 0x3FFFFFFF
c.inc()
print("counter wraps to", c.value)
h = metrics.Histogram("big", [1], registry=reg)
for i in range(3):
    h.observe(0x30000000)
print("big sum", h.read()["sum"], "== 3 * 0x30000000:", h.read()["sum"] == 3 * 0x30000000)
reg.reset()
print("reset:", reg.collect()[0], reg.get("latency_us").read()["count"])
metrics.counter("on_default")
print("default registry:", [m[0] for m in metrics.collect()])
expect("duplicate name", metrics.counter, "uart_frames", None, reg)
expect("bad name", metrics.counter, "a b")
expect("name not str", metrics.gauge, 3)
expect("bounds empty", metrics.histogram, "h1", [])
expect("bounds not increasing", metrics.histogram, "h2", [10, 5])
expect("bound not int", metrics.histogram, "h3", [1.5])
expect("help not str", metrics.counter, "h4", 7)
expect("unknown metric", reg.get, "nope")
