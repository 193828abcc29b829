# Allocations per steady-state operation on MicroPython, for each primitive of
# zsync_mp and the same operation in MicroPython's asyncio. The method is
# tests/_alloc.py's (both must hold: no MemoryError under heap_lock AND no
# growth of gc.mem_alloc() with the collector off); its printed verdict is
# captured here. MicroPython only: on CPython it reports nothing.
import sys
import harness as H

sys.path.append("tests")  # run from the repository root (run.py, mpremote mount .)
VERDICTS = {}
N = H.size(2000)


def _record(label, *words):
    # Replaces print() inside _alloc: parse its one-line verdict.
    text = " ".join(str(w) for w in words)
    prim, kind = label.rsplit("/", 1)
    per = 0
    if "bytes per op" in text:
        per = int(text.split("bytes per op")[0].split()[-1])
    VERDICTS.setdefault(prim, {})[kind] = {
        "zero": text == "allocates nothing",
        "locked_error": "MemoryError" in text,
        "bytes_per_op": per,
    }


def stepper(fns):
    # Round-robin over step functions (e.g. acquire, then release+yield).
    box = [0]

    def step():
        i = box[0]
        box[0] = (i + 1) % len(fns)
        return fns[i]()

    return step


async def until(stop, fn):
    while not stop[0]:
        await fn()


async def ping(a, b, stop, clear):
    while not stop[0]:
        await a.wait()
        if clear:
            a.clear()
        b.set()


async def hold(prim, yld, stop):
    try:
        while not stop[0]:
            await prim.acquire()
            await yld()
            prim.release()
    except RuntimeError:
        pass  # a MemoryError under heap_lock can leave asyncio's Lock inconsistent


async def feed(send, stop):
    while not stop[0]:
        await send(1)


# The allocation-free receive: ready() parks until a value is there.
def take(rx):
    if len(rx):
        rx.try_recv()
        return None
    return rx.ready()


# Each primitive in turn, with 4 yielding tasks around; its partner tasks are
# cancelled after it is measured (a parked Flag waiter makes every pass of
# either loop call poll(2), which sleeps ~1 ms on the unix port).
async def scenario(kind, mod, spawn, yld, measure):
    stop = [False]
    bg_stop = [False]
    _bg = [spawn(until(bg_stop, yld)) for _ in range(4)]

    async def case(name, partners, step, n=N):
        stop[0] = False
        ts = [spawn(p) for p in partners]
        await measure(name + "/" + kind, step, n)
        stop[0] = True  # let partners leave by themselves, then cancel the blocked ones
        for _ in range(4):
            await yld()
        for t in ts:
            t.cancel()
        await yld()

    await case("switch", [], yld)
    await case("sleep_ms", [], lambda: mod.sleep_ms(1), N // 10)
    a, b = mod.Event(), mod.Event()
    await case("event", [ping(a, b, stop, True)], lambda: a.set() or b.clear() or b.wait())
    lock = mod.Lock()
    await case("lock", [hold(lock, yld, stop) for _ in range(3)], stepper([lock.acquire, lambda: lock.release() or yld()]))
    if hasattr(mod, "Semaphore"):
        sem = mod.Semaphore(2)
        await case("semaphore", [hold(sem, yld, stop) for _ in range(4)], stepper([sem.acquire, lambda: sem.release() or yld()]))
    if kind == "zs":
        tx, rx = mod.channel(16)
        await case("channel send + recv()", [feed(tx.send, stop)], rx.recv)
        tx, rx = mod.channel(16)
        await case("channel send + ready()/try_recv()", [feed(tx.send, stop)], lambda: take(rx))
        fa, fb = mod.Flag(), mod.Flag()
    else:
        from b_chan import EvList

        q = EvList(mod, 16)
        await case("channel send + recv()", [feed(q.send, stop)], q.recv)
        fa, fb = mod.ThreadSafeFlag(), mod.ThreadSafeFlag()
    bg_stop[0] = True  # the Flag last and alone: see above
    await yld()
    await case("flag", [ping(fa, fb, stop, False)], lambda: fa.set() or fb.wait(), N // 10)
    stop[0] = True


def run():
    try:
        import micropython

        micropython.heap_lock
    except (ImportError, AttributeError):
        return {}
    import _alloc

    _alloc.print = _record
    import zsync_mp as zs
    import asyncio

    zs.run(scenario("zs", zs, zs.spawn, zs.yield_now, _alloc.measure))
    asyncio.run(scenario("asyncio", asyncio, asyncio.create_task, lambda: asyncio.sleep(0), _alloc.measure))
    return VERDICTS


def main():
    H.emit("alloc", {}, {"alloc": run()})


if __name__ == "__main__":
    main()
