# backoff_ms(n, base_ms, max_ms, factor) is its documented formula,
# int(min(max_ms, base_ms * factor**n)): truncated to whole ms once, at the
# end, never step by step (5 ms growing by 1.1 must grow), capped at max_ms
# also for an n whose factor**n overflows a float; retry() sleeps those
# delays minus a seeded jitter in [0, int(d * jitter)]. Times are virtual ms.
import zsync_mp as zs
from zsync_mp.resilience import retry, backoff_ms, Prng

print("factor 1.1 from 5 ms:", [backoff_ms(n, 5, 100000, 1.1) for n in (0, 1, 2, 3, 4, 5, 10, 20, 50, 100)])
# (at n=103 the value is 91709.98: single-precision boards round it up to 91710)
print("just below the cap at n=103:", 91000 < backoff_ms(103, 5, 100000, 1.1) < 100000, "the cap at n=104:", backoff_ms(104, 5, 100000, 1.1))
print("factor 1.5 from 10 ms:", [backoff_ms(n, 10, 1000, 1.5) for n in range(8)])
print("factor 2 from 100 ms:", [backoff_ms(n, 100, 1000, 2) for n in range(6)])
print("factor 1: constant", [backoff_ms(n, 7, 100, 1) for n in (0, 1, 1000)])
print("base 0:", backoff_ms(50, 0, 100, 3))
print("huge n is the cap:", backoff_ms(10 ** 6, 5, 100000, 1.1), backoff_ms(10 ** 9, 1, 60000, 2))


async def main():
    delays = []

    async def fails():
        raise OSError("down")

    def log(attempt, err, d):
        delays.append((zs.ticks_ms(), d))

    print("retry sleeps the formula's delays (jitter=0):")
    try:
        await retry(fails, attempts=8, base_ms=5, max_ms=100000, factor=1.1, jitter=0, on_retry=log)
    except OSError:
        pass
    print("  (at, delay):", delays)
    print("jitter: the delay minus Prng(seed).below(int(d * jitter) + 1):")
    del delays[:]
    try:
        await retry(fails, attempts=6, base_ms=100, max_ms=1000, factor=1.5, jitter=0.5, seed=7, on_retry=log)
    except OSError:
        pass
    rng = Prng(7)
    expect = []
    for n in range(5):
        d = backoff_ms(n, 100, 1000, 1.5)
        expect.append(d - rng.below(int(d * 0.5) + 1))
    print("  delays:", [d for _, d in delays], "as computed:", expect == [d for _, d in delays])


zs.run(main(), clock=zs.VirtualClock())

print("misuse")
for what, args in [
    ("n=-1", (-1, 5, 100, 2)),
    ("n=1.5", (1.5, 5, 100, 2)),
    ("base_ms=-5", (0, -5, 100, 2)),
    ("max_ms='x'", (0, 5, "x", 2)),
    ("factor=0.5", (0, 5, 100, 0.5)),
]:
    try:
        backoff_ms(*args)
        print(what, "accepted?!")
    except (TypeError, ValueError) as e:
        print(what, "->", type(e).__name__, e)
