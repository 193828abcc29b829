# Timer accuracy on the real clock: 1000 tasks each sleep 1..200 ms (a fixed
# spread, ~5 deadlines per ms) and record how late they woke, in µs: p50, p99,
# max, and the number that woke early (before the requested time). zsync_mp
# sleep_ms beside asyncio's sleep_ms (MicroPython) or sleep (CPython).
import harness as H

TIMERS = 1000
SPREAD = 200


def delays(n):
    return [1 + (i * 37) % SPREAD for i in range(n)]


def lateness(kind, n):
    mod = __import__("zsync_mp" if kind == "zs" else "asyncio")
    nap = getattr(mod, "sleep_ms", None) or (lambda ms: mod.sleep(ms / 1000))
    late = [0] * n

    async def one(i, ms):
        t0 = H.now_us()
        await nap(ms)
        late[i] = int(H.since_us(t0) - ms * 1000)

    async def main():
        ds = delays(n)
        if kind == "zs":
            async with mod.TaskGroup() as tg:
                for i in range(n):
                    tg.spawn(one(i, ds[i]))
        else:
            await mod.gather(*[one(i, ds[i]) for i in range(n)])

    mod.run(main())
    return late


def stats(late):
    s = sorted(late)
    n = len(s)
    return {
        "p50": s[n // 2],
        "p99": s[min(n - 1, (n * 99) // 100)],
        "max": s[-1],
        "early": sum(1 for x in late if x < 0),
        "min": s[0],
    }


def run():
    n = H.size(TIMERS)
    out = {}
    for _ in range(H.REPS):
        for kind in ("zs", "asyncio"):
            for k, v in stats(lateness(kind, n)).items():
                out.setdefault("timer.%s.%s" % (kind, k), []).append(v)
    return out


def main():
    H.emit("timer", run(), {"unit": "us late", "timers": H.size(TIMERS), "spread_ms": SPREAD})


if __name__ == "__main__":
    main()
