# Scaling: ns per switch with 10, 100, 1000 and 10000 tasks yielding, and ns
# per timer insert+cancel (a timeout around an await that completes at once)
# while 10 .. 10000 other tasks sleep on long timers. zsync_mp beside asyncio;
# flat curves mean O(1). run.py gives MicroPython a larger heap here
# (10000 tasks do not fit in the default 2 MiB).
import harness as H
from b_switch import z_switch, a_switch

COUNTS = (10, 100) if H.TINY else (10, 100, 1000, 10000)


def timer_ops(kind, sleepers):
    mod = __import__("zsync_mp" if kind == "zs" else "asyncio")

    def fn(n):
        spawn = mod.spawn if kind == "zs" else mod.create_task

        async def sleeper():
            await mod.sleep(3600)

        async def one():
            await mod.sleep(0)

        async def main():
            ts = [spawn(sleeper()) for _ in range(sleepers)]
            await mod.sleep(0)
            t0 = H.now_us()
            i = 0
            while i < n:
                if kind == "zs":
                    with mod.fail_after(3600):
                        await mod.yield_now()
                elif hasattr(mod, "timeout"):  # CPython 3.11+
                    async with mod.timeout(3600):
                        await mod.sleep(0)
                else:  # MicroPython: its only timeout
                    await mod.wait_for_ms(one(), 3600000)
                i += 1
            us = H.since_us(t0)
            for t in ts:
                t.cancel()
            await mod.sleep(0)
            return us

        return main()

    return fn


def jobs():
    out = []
    for c in COUNTS:
        # at least 3 rounds of every task, and enough switches to time
        n = c * max(3, H.size(20000) // c)
        out.append(("scale.switch.zs.%d" % c, "zs", z_switch(c), None, n))
        out.append(("scale.switch.asyncio.%d" % c, "asyncio", a_switch(c), None, n))
        m = H.size(2000)
        out.append(("scale.timer.zs.%d" % c, "zs", timer_ops("zs", c), None, m))
        out.append(("scale.timer.asyncio.%d" % c, "asyncio", timer_ops("asyncio", c), None, m))
    return out


def main():
    H.main("scale", jobs)


if __name__ == "__main__":
    main()
