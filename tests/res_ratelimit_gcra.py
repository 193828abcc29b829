# RateLimiter releases each token at its ideal arrival time (GCRA), rounded
# up to the clock's whole ms. RateLimiter(2, per_ms=3, burst=1): one token
# every 1.5 ms, at most 1 held, full at 0. Five acquires from 0 take the
# initial token at 0, then the tokens due at 1.5, 3.0, 4.5 and 6.0 ms: they
# go out at 2, 3, 5 and 6 ms (the half ms a waiter spends past its token's
# due time stays in the bucket; a bucket capped at whole-ms refills loses
# it and gives 2, 4, 6, 8). Times are virtual ms.
import zsync_mp as zs
from zsync_mp.resilience import RateLimiter


async def user(rl, name, log):
    await rl.acquire()
    log.append("%s@%d" % (name, zs.ticks_ms()))


async def one_task():
    rl = RateLimiter(2, per_ms=3, burst=1)
    got = []
    for _ in range(7):
        await rl.acquire()
        got.append(zs.ticks_ms())
    print("one task, 7 acquires:", got)


async def waiters():
    rl = RateLimiter(2, per_ms=3, burst=1)
    rl.try_acquire()
    log = []
    async with zs.TaskGroup() as tg:
        for name in "abcd":
            tg.spawn(user(rl, name, log))
        await zs.sleep_ms(0)
        print("  at 0 with 4 waiting: tokens", rl.tokens(), "try_acquire", rl.try_acquire())
    print("four waiters:", log)


async def after_waiter():
    # The waiter served at 2 leaves half a token: the one due at 3.0 is there at 3.
    rl = RateLimiter(2, per_ms=3, burst=1)
    rl.try_acquire()
    await rl.acquire()
    print("waiter served at", zs.ticks_ms(), "tokens", rl.tokens(), "try_acquire", rl.try_acquire(), "wait_ms", rl.wait_ms())
    await zs.sleep_ms(1)
    print("at", zs.ticks_ms(), "try_acquire", rl.try_acquire())


async def cancelled():
    # A waiter cancelled before its token is due takes nothing: the token due
    # at 1.5 is still there at 2.
    rl = RateLimiter(2, per_ms=3, burst=1)
    rl.try_acquire()
    with zs.move_on_after(0.001) as sc:
        await rl.acquire()
    print("cancelled", sc.cancelled_caught, "at", zs.ticks_ms(), "tokens", rl.tokens(), "wait_ms", rl.wait_ms())
    await zs.sleep_ms(1)
    print("at", zs.ticks_ms(), "try_acquire", rl.try_acquire(), rl.try_acquire())


async def burst2():
    # burst 2: acquire(2) waits for two tokens (3.0 ms), the next single one
    # is due at 4.5, then the bucket refills to 2 by 7.5.
    rl = RateLimiter(2, per_ms=3, burst=2)
    rl.try_acquire(2)
    await rl.acquire(2)
    print("burst 2: acquire(2) at", zs.ticks_ms(), end="; ")
    await rl.acquire()
    print("acquire() at", zs.ticks_ms(), end="; ")
    await zs.sleep_ms(2)
    print("tokens at", zs.ticks_ms(), rl.tokens(), end="; ")
    await zs.sleep_ms(1)
    print("at", zs.ticks_ms(), rl.tokens())


for scenario in (one_task, waiters, after_waiter, cancelled, burst2):
    zs.run(scenario(), clock=zs.VirtualClock())  # each from 0 ms


async def wrap():
    # The same timeline across the tick wrap (period 2**30, 2 ms before it).
    rl = RateLimiter(2, per_ms=3, burst=1)
    t0 = zs.ticks_ms()
    got = []
    for _ in range(5):
        await rl.acquire()
        got.append(zs.ticks_diff(zs.ticks_ms(), t0))
    print("across the tick wrap:", got)


zs.run(wrap(), clock=zs.VirtualClock(start=(1 << 30) - 2))
