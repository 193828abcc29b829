# Stress: many concurrent tasks (1,000; 10,000 with ZSYNC_STRESS=1). Every
# task runs to its end exactly once, in a TaskGroup and detached, under a
# seeded schedule, and memory returns to its baseline after each run.
import _stress
import zsync_mp as zs
from zsync_mp import sim

N = _stress.size(2000, 10000)
SEED = 9


async def member(i, start, runs, rng_ms):
    await start.wait()
    await zs.sleep_ms(rng_ms)
    await zs.yield_now()
    runs[i] += 1


async def in_group(n):
    runs = bytearray(n)
    rng = _stress.Rng(SEED)
    start = zs.Event()
    async with zs.TaskGroup() as tg:
        for i in range(n):
            tg.spawn(member(i, start, runs, rng.below(10)))
        await zs.yield_now()  # every member is now parked on the event
        _stress.sample()
        start.set()
    return runs


async def detached(n):
    runs = bytearray(n)
    rng = _stress.Rng(SEED + 1)
    start = zs.Event()
    tasks = [zs.spawn(member(i, start, runs, rng.below(10))) for i in range(n)]
    await zs.yield_now()
    _stress.sample()
    start.set()
    for t in tasks:
        await t
    return runs


def once(what, n, seed):
    runs = sim.run(what(n), seed=seed)
    lost = 0
    extra = 0
    for r in runs:
        if r == 0:
            lost += 1
        elif r > 1:
            extra += 1
    return lost, extra


def check(label, what):
    once(what, 50, SEED)  # warm up
    _stress.track()
    _stress.reset_peak()
    before = _stress.mem()
    lost, extra = once(what, N, SEED)
    after = _stress.mem()
    _stress.report("tasks_" + label, N, lost + extra, before, after, SEED)
    print(label, "tasks=%d" % N, "never ran:", lost, "ran twice:", extra, "leak ok:", _stress.leak_ok(before, after))


check("group", in_group)
check("detached", detached)
