# Stress: a timer storm (20,000 timers; 400,000 with ZSYNC_STRESS=1) on a
# virtual clock that wraps at 2**30 during the run. Tasks sleep random
# times and enter deadline scopes that they mostly leave early (stale heap
# entries). Checked: every sleep wakes exactly at its deadline (never early,
# never late), every expired scope fires once and only when its deadline
# passed, the timer heap stays bounded by the number of tasks (stale
# entries are compacted), and memory
# returns to its baseline.
import _stress
import zsync_mp as zs
from zsync_mp import sim
from zsync_mp.kernel import core as _kernel

TOTAL = _stress.size(20000, 400000)
TASKS = 100
SEED = 3


async def storm(per, rng_seed, bad, peak_heap, counts):
    rng = _stress.Rng(rng_seed)
    i = 0
    while i < per:
        ms = rng.below(20)
        t0 = zs.ticks_ms()
        if rng.below(2):
            await zs.sleep_ms(ms)
            if zs.ticks_diff(zs.ticks_ms(), t0) != ms:
                bad[0] += 1  # woke early or late
        else:
            limit = rng.below(20)
            with zs.move_on_after(limit / 1000) as sc:
                await zs.sleep_ms(ms)
            took = zs.ticks_diff(zs.ticks_ms(), t0)
            if sc.cancelled_caught:
                counts[1] += 1
                if took != limit or limit > ms:
                    bad[1] += 1  # a deadline fired at the wrong time
            else:
                counts[0] += 1
                if took != ms or ms > limit:
                    bad[1] += 1  # the sleep should have lost to the deadline
        K = _kernel._K
        if K.timer_count > peak_heap[0]:
            peak_heap[0] = K.timer_count
        if K.timer_count > 5 * TASKS + 64:
            bad[2] += 1  # stale entries piled up: the heap grows with the run, not with the tasks
        i += 1


async def main(n):
    bad = [0, 0, 0]
    peak_heap = [0]
    counts = [0, 0]
    per = n // TASKS
    async with zs.TaskGroup() as tg:
        for i in range(TASKS):
            tg.spawn(storm(per, SEED + i, bad, peak_heap, counts))
    return per * TASKS, bad, peak_heap[0], counts


def once(n):
    # Start 5 s before the 2**30 wrap: the storm runs across it.
    return sim.run(main(n), seed=SEED, start=(1 << 30) - 5000)


once(TASKS)  # warm up
_stress.track()
_stress.reset_peak()
before = _stress.mem()
n, bad, heap, counts = once(TOTAL)
after = _stress.mem()
_stress.report("timers", n, bad[0] + bad[1] + bad[2], before, after, SEED)
print("timers", n, "sleeps early or late:", bad[0], "deadlines wrong:", bad[1], "heap not compacted:", bad[2])
print("deadline scopes expired and left early both seen:", counts[0] > 0 and counts[1] > 0)
print("timer heap stayed under", 5 * TASKS + 64, "entries:", heap <= 5 * TASKS + 64)
print("leak ok:", _stress.leak_ok(before, after))
