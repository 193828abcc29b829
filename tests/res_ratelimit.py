# RateLimiter: token bucket refill, burst, FIFO acquire, no barging,
# cancellation while waiting, tick wrap, misuse.
import zsync_mp as zs
from zsync_mp.resilience import RateLimiter


async def user(rl, name, n, log):
    await rl.acquire(n)
    log.append("%s@%d" % (name, zs.ticks_ms()))


async def main():
    rl = RateLimiter(5, per_ms=1000, burst=3)
    print(rl, "tokens", rl.tokens())
    print("burst", [rl.try_acquire() for _ in range(4)], "tokens", rl.tokens())
    print("wait_ms", rl.wait_ms(), rl.wait_ms(2))
    await zs.sleep_ms(199)
    print("at 199", rl.try_acquire(), "at 200", end=" ")
    await zs.sleep_ms(1)
    print(rl.try_acquire(), rl.tokens())
    await zs.sleep_ms(10000)
    print("capped at burst", rl.tokens())

    print("acquire waits exactly as long as needed, FIFO")
    log = []
    rl.try_acquire(3)
    async with zs.TaskGroup() as tg:
        tg.spawn(user(rl, "a", 1, log))
        tg.spawn(user(rl, "b", 2, log))
        tg.spawn(user(rl, "c", 1, log))
        await zs.sleep_ms(0)
        print("  try_acquire while others wait:", rl.try_acquire(), "(no barging)")
    print(" ", log)

    print("steady rate: 10 acquires at 5/s")
    rl = RateLimiter(5, per_ms=1000, burst=1)
    t0 = zs.ticks_ms()
    times = []
    for i in range(10):
        await rl.acquire()
        times.append(zs.ticks_diff(zs.ticks_ms(), t0))
    print(" ", times)

    print("cancelled while waiting: stops at once, takes nothing")
    rl = RateLimiter(1, per_ms=100)
    rl.try_acquire()
    t0 = zs.ticks_ms()
    with zs.move_on_after(0.03) as sc:
        await rl.acquire()
    print("  cancelled", sc.cancelled_caught, "after", zs.ticks_diff(zs.ticks_ms(), t0), "tokens later:", end=" ")
    await zs.sleep_ms(70)
    print(rl.tokens(), rl.try_acquire())

    print("fractional rates: 3 per 1000 ms")
    rl = RateLimiter(3, per_ms=1000, burst=1)
    rl.try_acquire()
    print("  wait_ms", rl.wait_ms())
    await rl.acquire()
    print("  got at", zs.ticks_diff(zs.ticks_ms(), t0))

    print("misuse")
    for what, mk in [
        ("rate=0", lambda: RateLimiter(0)),
        ("rate=1.5", lambda: RateLimiter(1.5)),
        ("per_ms=0", lambda: RateLimiter(1, per_ms=0)),
        ("burst=0", lambda: RateLimiter(1, burst=0)),
        ("try_acquire(0)", lambda: RateLimiter(2).try_acquire(0)),
        ("try_acquire(3) > burst", lambda: RateLimiter(2).try_acquire(3)),
        ("try_acquire('1')", lambda: RateLimiter(2).try_acquire("1")),
    ]:
        try:
            mk()
            print(what, "accepted?!")
        except (TypeError, ValueError) as e:
            print(what, "->", type(e).__name__, e)
    try:
        await RateLimiter(2).acquire(5)
    except ValueError as e:
        print("acquire(5) ->", e)


zs.run(main(), clock=zs.VirtualClock())


async def wrap():
    # Refill across a tick wrap (period 2**30, started just before it).
    rl = RateLimiter(10, per_ms=100, burst=2)
    rl.try_acquire(2)
    print("wrap: start", zs.ticks_ms(), "tokens", rl.tokens())
    await zs.sleep_ms(10)
    print("wrap: now", zs.ticks_ms(), "tokens", rl.tokens())
    await rl.acquire(2)
    print("wrap: acquired 2 at", zs.ticks_ms())


zs.run(wrap(), clock=zs.VirtualClock(start=(1 << 30) - 15))
