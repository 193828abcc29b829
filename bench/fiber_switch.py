# Fiber switch cost beside a coroutine switch, on the same interpreter (CPython
# with greenlet here; MicroPython with _zsync_fiber in make test-firmware).
# Prints ns per operation, the ratios, and one `BENCH {json}` line. Figures:
#   raw_fiber   Fiber.switch() -> suspend() -> back: one round trip
#   raw_coro    generator .send(None) -> yield -> back: one round trip
#   zs_task     `await zs.sleep_ms(0)` in a task: one trip through the kernel
#   zs_fiber    `io.sleep_ms(0)` in a zs.fiber: the same trip plus the fiber
#               switch out and back and the captured-awaitable replay
# Nothing here asserts a time. Run: python bench/fiber_switch.py [--quick]
import gc
import json
import sys

import zsync_mp as zs
from zsync_mp.io import fiber as _fiber
from zsync_mp.kernel.port import ticks_us, ticks_diff

QUICK = "--quick" in getattr(sys, "argv", ())
N = 20000 if QUICK else 200000
REPS = 3 if QUICK else 5


def raw_fiber(n):
    B = _fiber.backend()
    suspend = B.suspend

    def body():
        while True:
            suspend()

    f = B.Fiber(body)
    sw = f.switch
    sw()
    t0 = ticks_us()
    for _ in range(n):
        sw()
    dt = ticks_diff(ticks_us(), t0)
    f.close()
    return dt


def raw_coro(n):
    def body():
        while True:
            yield

    g = body()
    send = g.send
    send(None)
    t0 = ticks_us()
    for _ in range(n):
        send(None)
    return ticks_diff(ticks_us(), t0)


def zs_task(n):
    async def main():
        await zs.sleep_ms(0)
        t0 = ticks_us()
        for _ in range(n):
            await zs.sleep_ms(0)
        return ticks_diff(ticks_us(), t0)

    return zs.run(main())


def zs_fiber(n):
    def body(io):
        io.sleep_ms(0)
        t0 = ticks_us()
        for _ in range(n):
            io.sleep_ms(0)
        return ticks_diff(ticks_us(), t0)

    return zs.run(zs.fiber(body))


def best_ns(fn, n):
    # The fastest of REPS runs, in ns per operation (least disturbed by load).
    best = None
    for _ in range(REPS):
        gc.collect()
        us = fn(n)
        ns = us * 1000 // n
        if best is None or ns < best:
            best = ns
    return best


def main():
    if _fiber.backend() is None:
        print("SKIP: no fiber backend (%s)" % _fiber._MISSING)
        return
    figs = {}
    for name, fn, n in (("raw_coro", raw_coro, N), ("raw_fiber", raw_fiber, N), ("zs_task", zs_task, N // 4), ("zs_fiber", zs_fiber, N // 4)):
        figs[name] = best_ns(fn, n)
    print("interpreter: %s; fiber backend: %s" % (sys.implementation.name, _fiber.backend().__name__))
    print("%-10s %8s  %s" % ("figure", "ns/op", "what"))
    print("%-10s %8d  generator send/yield round trip" % ("raw_coro", figs["raw_coro"]))
    print("%-10s %8d  Fiber.switch/suspend round trip" % ("raw_fiber", figs["raw_fiber"]))
    print("%-10s %8d  await zs.sleep_ms(0) in a task" % ("zs_task", figs["zs_task"]))
    print("%-10s %8d  io.sleep_ms(0) in a zs.fiber" % ("zs_fiber", figs["zs_fiber"]))
    print("raw fiber switch / coroutine switch: %.1fx" % (figs["raw_fiber"] / max(1, figs["raw_coro"])))
    print("fiber io op / task await:            %.2fx" % (figs["zs_fiber"] / max(1, figs["zs_task"])))
    print("BENCH " + json.dumps({"suite": "fiber_switch", "interp": sys.implementation.name, "figures": figs}))


main()
