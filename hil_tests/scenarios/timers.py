# Timer lateness on the board's real clock: N concurrent tasks each sleep
# ROUNDS pseudo-random delays; every wake is compared with its deadline in µs.
# Prints RESULT {p50, p99, max, min, early, samples} (µs) and `Test OK`.
# The host reports the figures; only `early` (a timer firing before its
# deadline) is a failure: zsync_mp promises timers never fire early.
import gc
import json
import time

import zsync_mp as zs

N = PARAMS.get("timers", 100)
ROUNDS = PARAMS.get("rounds", 3)
late = []
early = [0]
seed = [12345]


# A small LCG: the same delays on every board and interpreter.
def rnd(lo, hi):
    seed[0] = (seed[0] * 1103515245 + 12345) & 0x7FFFFFFF
    return lo + seed[0] % (hi - lo + 1)


async def timer(delays):
    for d in delays:
        t0 = time.ticks_us()
        await zs.sleep_ms(d)
        lat = time.ticks_diff(time.ticks_us(), t0) - d * 1000
        if lat < 0:
            early[0] += 1
        late.append(lat)


async def main():
    plans = [[rnd(5, 150) for _ in range(ROUNDS)] for _ in range(N)]
    async with zs.TaskGroup() as tg:
        for p in plans:
            tg.spawn(timer(p))


gc.collect()
zs.run(main())
late.sort()


def pct(p):
    return late[min(len(late) - 1, len(late) * p // 100)]


print("RESULT", json.dumps({"timers": N, "samples": len(late), "late_p50_us": pct(50), "late_p99_us": pct(99),
                            "late_max_us": late[-1], "late_min_us": late[0], "early": early[0]}))
print("Test OK")
