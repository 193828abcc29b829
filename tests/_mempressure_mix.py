# Memory pressure across the kernel: one workload that uses timers and
# deadline scopes, nested TaskGroups, channels and select(), Event, Lock and
# Semaphore, and a Stream over a pure-Python wire (read-ahead, waits), each
# worker also making garbage, run with a budget of FREE bytes of heap
# (ballast pins the rest after the import). Contract: whatever the budget,
# a MemoryError fails only the code that needed the memory; the run ends
# either with every worker done or with a TaskGroupError (or MemoryError)
# made only of MemoryErrors, never with another error out of the kernel
# (IndexError, KeyError, a false deadlock report) and never hangs; and a
# new loop runs afterwards. Prints one OUTCOME line and, after a second
# run, "AFTER ok". tests/test_mempressure.py sweeps the budget.
import gc
import os
import sys

import zsync_mp as zs
from _ballast import leave_free
from _wire import Wire

ROUNDS = 60




async def timers():
    for i in range(ROUNDS):
        with zs.move_on_after(0.001 * (i % 3)):
            await zs.sleep_ms(2)
        with zs.fail_after(1):
            await zs.sleep_ms(1)
        _ = [i] * 20  # garbage, as real code makes


async def spawner():
    async def child(k):
        await zs.sleep_ms(k % 3)
        return [k] * 10

    for i in range(ROUNDS // 4):
        async with zs.TaskGroup() as tg:
            for k in range(6):
                tg.spawn(child(k))


async def channels():
    tx, rx = zs.channel(2)
    tx2, rx2 = zs.channel(0)

    async def produce():
        with tx:
            for i in range(ROUNDS):
                await tx.send(str(i) * 3)

    async with zs.TaskGroup() as tg:
        tg.spawn(produce())
        got = 0
        while True:
            with zs.move_on_after(0.005):
                try:
                    i, v = await zs.select(rx, rx2)
                except zs.ChannelClosed:
                    break
                got += 1


async def sync():
    ev = zs.Event()
    lk = zs.Lock()
    sem = zs.Semaphore(2)

    async def user(k):
        for i in range(ROUNDS // 2):
            async with lk:
                await zs.yield_now()
            async with sem:
                await zs.sleep_ms(1)
        if k == 0:
            ev.set()

    async with zs.TaskGroup() as tg:
        for k in range(3):
            tg.spawn(user(k))
        await ev.wait()


async def stream():
    w = Wire()
    st = zs.Stream(w, nb=True)

    async def feed():
        for i in range(ROUNDS):
            w.feed(b"line %d\npart" % i)
            await zs.sleep_ms(1)
            w.feed(b"ial\nxy")
        w.eof = True

    async with zs.TaskGroup() as tg:
        tg.spawn(feed())
        n = 0
        while True:
            line = await st.readline()
            if not line:
                break
            n += 1


async def main():
    async with zs.TaskGroup() as tg:
        for w in (timers, spawner, channels, sync, stream):
            tg.spawn(w())


def kinds(e):
    if isinstance(e, zs.TaskGroupError):
        out = []
        for x in e.exceptions:
            out += kinds(x)
        return out
    return [type(e).__name__]


free = int(os.getenv("ZSYNC_FREE_HEAP") or 0)
ballast = leave_free(free) if free else None
try:
    zs.run(main())
    print("OUTCOME done")
except BaseException as e:  # noqa: B902 (the outcome is what we report)
    k = kinds(e)
    print("OUTCOME", "memory" if set(k) == {"MemoryError"} else "OTHER " + ",".join(k))
    if set(k) != {"MemoryError"}:
        sys.print_exception(e)
ballast = None
gc.collect()


async def again():
    await zs.sleep_ms(1)
    return "ok"


print("AFTER", zs.run(again()))
