# Stress: many concurrent tasks (1,000; 10,000 with ZSYNC_STRESS=1). Every
# task runs to its end exactly once, in a TaskGroup and detached, under a
# seeded schedule, and memory returns to its baseline after each run.
import _stress
import zsync_mp as zs
from zsync_mp import sim

N = _stress.size(2000, 10000)
SEED = 9


# Shared state lives in globals so a task costs what the runtime costs
# (its Task and a one-argument coroutine), not a fat frame per task.
START = None  # the Event every member waits for
RUNS = None  # bytearray: how often each member ran
DELAY = None  # bytearray: each member's sleep (ms), from the seeded Rng


def setup(n, seed):
    global START, RUNS, DELAY
    rng = _stress.Rng(seed)
    START = zs.Event()
    RUNS = bytearray(n)
    DELAY = bytearray(rng.below(10) for _ in range(n))


async def member(i):
    await START.wait()
    await zs.sleep_ms(DELAY[i])
    await zs.yield_now()
    RUNS[i] += 1


async def in_group(n):
    setup(n, SEED)
    async with zs.TaskGroup() as tg:
        for i in range(n):
            tg.spawn(member(i))
        await zs.yield_now()  # every member is now parked on the event
        _stress.sample()
        START.set()
    return RUNS


async def detached(n):
    setup(n, SEED + 1)
    tasks = [None] * n
    for i in range(n):
        tasks[i] = zs.spawn(member(i))
    await zs.yield_now()
    _stress.sample()
    START.set()
    for t in tasks:
        await t
    return RUNS


def once(what, n, seed):
    runs = sim.run(what(n), seed=seed)
    lost = 0
    extra = 0
    for r in runs:
        if r == 0:
            lost += 1
        elif r > 1:
            extra += 1
    setup(0, seed)  # drop the run's state before the leak check
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
