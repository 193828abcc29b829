# Soak: a mixed workload for PARAMS["seconds"] of real time: a producer and a
# consumer on a channel, an Event ping-pong pair, timer tasks, tasks sharing a
# Lock, and (when PARAMS["loop"] names a wired pin pair) edges through a hard
# IRQ and a Flag. A monitor samples gc.mem_free() after gc.collect() every
# SAMPLE_MS. Every worker stops at the end and reports; an exception in any
# worker fails the TaskGroup (and the scenario). Prints RESULT {baseline,
# final, leak, samples, per-worker counts, the series of (ms, free) samples}
# and `Test OK`; the host checks the leak against its tolerance and that
# every worker finished, and draws the series (make soak).
import gc
import json
import time

import zsync_mp as zs

SECONDS = PARAMS.get("seconds", 6)
SAMPLE_MS = PARAMS.get("sample_ms", 500)
LOOP = PARAMS.get("loop")
names = ["producer", "consumer", "ping", "pong", "timers", "lock_a", "lock_b", "irq"]
count = {}
done = {}
stop = [False]
# The series lives in lists sized before the baseline, so recording a sample
# changes nothing the samples measure.
CAP = SECONDS * 1000 // SAMPLE_MS + 8
at_ms = [0] * CAP
free = [0] * CAP
n_samples = [0]
died = []
hoard = []  # negative control: PARAMS["leak_per_sample"] bytes kept per sample


async def producer(tx):
    i = 0
    while not stop[0]:
        await tx.send(i)
        i += 1
        count["producer"] += 1
        await zs.sleep_ms(1 + i % 3)
    tx.close()


async def consumer(rx):
    async for v in rx:
        count["consumer"] += 1
        if v == PARAMS.get("die_at"):  # negative control: a worker dies
            raise RuntimeError("consumer died at item %d" % v)


async def ping(a, b, me):
    while not stop[0]:
        a.set()
        with zs.move_on_after(0.05):
            await b.wait()
        b.clear()
        count[me] += 1


async def timers():
    while not stop[0]:
        async with zs.TaskGroup() as tg:
            for d in (1, 3, 7, 11):
                tg.spawn(_nap(d))
        count["timers"] += 1


async def _nap(d):
    await zs.sleep_ms(d)


async def locker(lock, me):
    while not stop[0]:
        async with lock:
            await zs.sleep_ms(2)
        count[me] += 1
        await zs.yield_now()


async def irq_worker():
    from machine import Pin
    flag = zs.Flag()
    out = Pin(LOOP[0], Pin.OUT, value=0)
    inp = Pin(LOOP[1], Pin.IN)
    inp.irq(lambda p: flag.set(), Pin.IRQ_RISING | Pin.IRQ_FALLING, hard=True)
    level = 0
    try:
        while not stop[0]:
            level ^= 1
            out.value(level)
            with zs.move_on_after(0.05):
                await flag.wait()
                count["irq"] += 1
            await zs.sleep_ms(2)
    finally:
        inp.irq(None)


async def run_worker(name, coro):
    try:
        await coro
    except Exception as e:
        died.append("%s: %r" % (name, e))
        raise
    done[name] = True


def collect():
    gc.collect()
    return gc.mem_free()


async def monitor(seconds):
    t0 = time.ticks_ms()
    while time.ticks_diff(time.ticks_ms(), t0) < seconds * 1000:
        await zs.sleep_ms(SAMPLE_MS)
        if PARAMS.get("leak_per_sample"):
            hoard.append(bytearray(PARAMS["leak_per_sample"]))
        i = n_samples[0]
        if i < CAP:
            at_ms[i] = time.ticks_diff(time.ticks_ms(), t0)
            free[i] = collect()
            n_samples[0] = i + 1
    stop[0] = True


async def main(seconds):
    tx, rx = zs.channel(4)
    a, b = zs.Event(), zs.Event()
    lock = zs.Lock()
    work = {"producer": producer(tx), "consumer": consumer(rx), "ping": ping(a, b, "ping"),
            "pong": ping(b, a, "pong"), "timers": timers(), "lock_a": locker(lock, "lock_a"),
            "lock_b": locker(lock, "lock_b")}
    if LOOP:
        work["irq"] = irq_worker()
    async with zs.TaskGroup() as tg:
        for name in work:
            tg.spawn(run_worker(name, work[name]))
        tg.spawn(monitor(seconds))


# One run of the workload; a short first run warms up what stays allocated
# once (imported modules, interned names, the kernel) before the baseline.
def soak(seconds):
    for n in names:
        count[n] = 0
        done[n] = False
    stop[0] = False
    n_samples[0] = 0
    zs.run(main(seconds))


try:
    soak(SAMPLE_MS / 1000)
    baseline = collect()
    soak(SECONDS)
except zs.TaskGroupError:
    raise AssertionError("soak workers died: " + "; ".join(died))
final = collect()
n = n_samples[0]
workers = [n for n in names if n != "irq" or LOOP]
print("RESULT", json.dumps({
    "seconds": SECONDS, "mem_baseline": baseline, "mem_final": final, "leak_bytes": baseline - final,
    "mem_min_running": min(free[:n]) if n else 0, "samples": n,
    "workers": len(workers), "finished": len([n for n in workers if done[n]]),
    "not_finished": [n for n in workers if not done[n]], "idle_workers": [n for n in workers if not count[n]],
    "ops": sum(count.values()), "series": [[at_ms[i], free[i]] for i in range(n)]}))
print("Test OK")
