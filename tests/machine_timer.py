# machine.Timer over virtual time: periodic counts, one-shot, freq=, deinit,
# a hard callback setting a Flag, and a callback that fails (reported, disabled).
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Timer
import zsync_mp as zs

b = machine.board
b.load(None)
hits = {"fast": [], "slow": 0, "once": [], "hz": 0}
flag = zs.Flag()


def fast(t):
    hits["fast"].append(zs.ticks_ms())


def slow(t):
    hits["slow"] += 1
    flag.set()


def once(t):
    hits["once"].append((zs.ticks_ms(), repr(t)))


def hz(t):
    hits["hz"] += 1


def broken(t):
    raise RuntimeError("callback bug")


async def main():
    t1 = Timer(-1, mode=Timer.PERIODIC, period=100, callback=fast)
    t2 = Timer(1)
    t2.init(period=250, callback=slow, hard=True)
    _t3 = Timer(2, mode=Timer.ONE_SHOT, period=333, callback=once)
    t4 = Timer(3, freq=40, callback=hz)  # every 25 ms
    waits = 0
    while hits["slow"] < 4:
        await flag.wait()
        waits += 1
        print("slow timer woke the task at", zs.ticks_ms())
    await zs.sleep_ms(1000 - zs.ticks_ms())
    t1.deinit()
    t4.deinit()
    print("after 1000 ms: fast", len(hits["fast"]), hits["fast"][:3], "...", hits["fast"][-1])
    print("slow", hits["slow"], "one-shot", hits["once"], "40 Hz", hits["hz"])
    await zs.sleep_ms(500)
    print("after deinit: fast", len(hits["fast"]), "40 Hz", hits["hz"], "slow still running:", hits["slow"])
    t2.deinit()
    t5 = Timer(-1, period=10, callback=broken)
    await zs.sleep_ms(50)
    print("broken callback errors:", len(b.irq_errors), b.log[-1].split(":")[0])
    t5.deinit()


zs.run(main(), clock=zs.VirtualClock())

print("-- without a loop: due callbacks fire at the next machine call")
b.load(None)
b.use_virtual_time()
n = [0]


def count(t):
    n[0] += 1


tm = Timer(-1, period=10, callback=count)
b.advance(95)
print("after advance(95):", n[0])
machine.lightsleep(100)
print("after lightsleep(100):", n[0], "board ms", b.ms())
tm.deinit()
