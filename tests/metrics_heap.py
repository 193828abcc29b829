# Metric updates allocate nothing on MicroPython (heap_lock + mem_alloc).
import _alloc

_alloc.skip_unless_micropython()
import zsync_mp as zs
from zsync_mp import metrics
from zsync_mp.kernel.port import ticks_us

reg = metrics.Registry()
c = metrics.counter("c", registry=reg)
g = metrics.gauge("g", registry=reg)
h = metrics.histogram("h", [10, 100, 1000, 10000, 100000], registry=reg)
v = [0]


def step():
    c.inc()
    c.inc(3)
    g.set(v[0])
    g.inc()
    g.dec(2)
    h.observe(v[0] * 37)
    h.observe_us(ticks_us())
    v[0] = (v[0] + 1) & 0xFFF
    return zs.yield_now()


async def main():
    await _alloc.measure("counter/gauge/histogram updates", step)
    print("observations:", h.read()["count"])


zs.run(main())
