# The sleep queue under churn: 300 sleepers with seeded deadlines (many
# equal), a third of them cancelled in seeded order while asleep (removal
# from anywhere in the queue), scope deadlines on the same ticks as sleeps.
# Wake order must be (deadline, FIFO) exactly, on every interpreter and with
# the C Task's intrusive heap (firmware) as with the lists.
import zsync_mp as zs

N = 300


class Rng:  # xorshift32: the same numbers on every interpreter (no imports: runs on boards)
    def __init__(self, seed):
        self.x = seed

    def below(self, n):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x % n


async def sleeper(i, ms, woke):
    try:
        await zs.sleep_ms(ms)
        woke.append((zs.ticks_ms(), i))
    except zs.Cancelled:
        woke.append((-1, i))
        raise


async def timed(i, ms, woke):
    # A scope deadline and a sleep due on the same tick: the one set up
    # first fires first (here the scope: it is entered before the sleep).
    with zs.move_on_after(ms / 1000) as sc:
        await zs.sleep_ms(ms)
    woke.append((zs.ticks_ms(), "scope%d" % i, sc.cancelled_caught))


async def main():
    rng = Rng(7)
    woke = []
    ms = [rng.below(40) for _ in range(N)]
    tasks = [zs.spawn(sleeper(i, ms[i], woke)) for i in range(N)]
    scoped = [zs.spawn(timed(i, 5 + 7 * i, woke)) for i in range(4)]
    await zs.yield_now()  # all asleep now
    victims = []
    while len(victims) < N // 3:
        v = rng.below(N)
        if ms[v] and v not in victims:  # (0 ms: a yield, already done)
            victims.append(v)
    for v in victims:
        tasks[v].cancel()
    for t in tasks + scoped:
        try:
            await t
        except zs.Cancelled:
            pass
    cancelled = [i for t, i, *_ in woke if t == -1]
    print("cancelled in cancel order:", cancelled == victims, len(cancelled))
    woken = [w for w in woke if w[0] != -1]
    expect = sorted(((ms[i], i) for i in range(N) if i not in victims))
    got = [(t, i) for t, i, *_ in woken if not isinstance(i, str)]
    print("woken", len(got), "in (deadline, spawn) order:", got == expect)
    print("each at its deadline:", all(t == ms[i] for t, i in got))
    for w in woken:
        if isinstance(w[1], str):
            print(w)
    print("queue empty at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
