# Stress: cancellations racing completions (5,000; 100,000 with
# ZSYNC_STRESS=1). In each round every worker waits on something (a sleep, an
# event, a rendezvous send, a deadline scope, a contended lock) that completes
# at the very instant a canceller cancels it; a seeded schedule decides who
# runs first. Checked: every task ends exactly once (done xor cancelled,
# matching what it recorded), a cancelled send never delivers and a completed
# one always does, the lock is never left held, and cancel() returns False
# only for a task that was already done.
import _stress
import zsync_mp as zs
from zsync_mp import sim

TOTAL = _stress.size(5000, 100000)
K = 50  # workers per round
KINDS = 5
SEED = 11
NORMAL = 1
CANCELLED = 2


async def worker(i, d, res, ev, tx, lock):
    kind = i % KINDS
    try:
        if kind == 0:
            await zs.sleep_ms(d)
        elif kind == 1:
            await ev.wait()
        elif kind == 2:
            await tx.send(i)
        elif kind == 3:
            with zs.move_on_after(d / 1000):
                await ev.wait()
        else:
            async with lock:
                pass
        res[i] = NORMAL
    except zs.Cancelled:
        res[i] = CANCELLED
        raise


async def trigger(d, ev, rx, lock, got):
    lock.try_acquire()  # released at d: handed to the first waiting worker
    await zs.sleep_ms(d)
    ev.set()
    lock.release()
    while True:
        try:
            got.append(rx.try_recv())
        except zs.WouldBlock:
            break


async def canceller(d, tasks, refused):
    await zs.sleep_ms(d)
    for t in tasks:
        was_done = t.done()
        if t.cancel() == was_done:
            refused[0] += 1  # cancel() must say False exactly when the task was done


async def rounds(n, stats):
    rng = _stress.Rng(SEED)
    done = 0
    while done < n:
        d = 1 + rng.below(3)
        res = bytearray(K)
        got = []
        refused = [0]
        ev = zs.Event()
        tx, rx = zs.channel(0)
        lock = zs.Lock()
        async with zs.TaskGroup() as tg:
            tg.spawn(trigger(d, ev, rx, lock, got))
            await zs.yield_now()  # the trigger holds the lock now
            tasks = [tg.spawn(worker(i, d, res, ev, tx, lock)) for i in range(K)]
            tg.spawn(canceller(d, tasks, refused))
        _check(tasks, res, got, lock, refused[0], stats)
        done += K
        _stress.sample()


def _check(tasks, res, got, lock, refused, stats):
    for i in range(K):
        t = tasks[i]
        if res[i] == NORMAL and t.cancelled() or res[i] == CANCELLED and not t.cancelled() or res[i] == 0:
            stats["bad_outcome"] += 1
        stats["cancelled" if t.cancelled() else "completed"] += 1
        if i % KINDS == 2:
            if (i in got) != (res[i] == NORMAL):
                stats["bad_send"] += 1
    if lock.locked():
        stats["lock_held"] += 1
    stats["bad_cancel_result"] += refused


def run_all(n):
    stats = {"completed": 0, "cancelled": 0, "bad_outcome": 0, "bad_send": 0, "lock_held": 0, "bad_cancel_result": 0}
    sim.run(rounds(n, stats), seed=SEED)
    return stats


run_all(K)  # warm up
_stress.track()
_stress.reset_peak()
before = _stress.mem()
st = run_all(TOTAL)
after = _stress.mem()
lost = st["bad_outcome"] + st["bad_send"] + st["lock_held"] + st["bad_cancel_result"]
_stress.report("cancel_race", TOTAL, lost, before, after, SEED)
print("cancellations", TOTAL, "both outcomes seen:", st["completed"] > 0 and st["cancelled"] > 0)
for k in ("bad_outcome", "bad_send", "lock_held", "bad_cancel_result"):
    print(k, st[k])
print("leak ok:", _stress.leak_ok(before, after))
