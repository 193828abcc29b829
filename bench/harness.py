# bench harness: the one place in bench/ that knows the interpreter.
#
# A suite module (b_*.py) lists jobs: (key, runner, fn, need, n). `fn(n)`
# does n operations and returns the elapsed microseconds (sync runner), or a
# coroutine that does (async runners: zs, asyncio, trio, anyio); `need` is
# None, False (no such peer here) or a module that must import. The harness
# runs every job REPS times, interleaved (ours, peer, ours, peer…) so a load
# spike on this shared machine hits both sides, and prints one line:
# BENCH {json}. Runs on MicroPython (unix, WebAssembly, boards) and CPython.
# Nothing here asserts a time.
import gc
import json
import sys

IMPL = sys.implementation.name
WASM = IMPL == "micropython" and "JS" in getattr(sys.implementation, "_machine", "")
try:
    from _bench_flags import ARGV  # written by wasm/run.mjs (no sys.argv there) or by hand on a board
except ImportError:
    ARGV = getattr(sys, "argv", ())
QUICK = "--quick" in ARGV
TINY = "--tiny" in ARGV  # the smoke test: proves the code runs, numbers mean nothing
ONLY = [a[7:] for a in ARGV if a.startswith("--only=")]  # run one figure: --only=pingpong
REPS = 2 if TINY else (3 if QUICK else 7)

if WASM:
    import js

    def now_us():
        # ticks_us has ms resolution here; performance.now() is finer.
        return js.performance.now() * 1000.0

elif IMPL == "micropython":
    import time

    def now_us():
        return time.ticks_us()

else:
    import time

    def now_us():
        return time.perf_counter_ns() / 1000.0


if IMPL == "micropython" and not WASM:
    def since_us(t0):
        return time.ticks_diff(time.ticks_us(), t0)

else:
    def since_us(t0):
        return now_us() - t0


# Scale an operation count: TINY for the smoke test, QUICK for development.
def size(n):
    if TINY:
        return max(2, n // 100)
    if QUICK:
        return max(2, n // 4)
    return n


def has(mod):
    try:
        __import__(mod)
        return True
    except ImportError:
        return False


# Run one job's fn(n) with its runner; return ns per operation.
def run_job(runner, fn, n):
    gc.collect()
    r = fn(n)
    if runner == "zs":
        import zsync_mp

        r = zsync_mp.run(r)
    elif runner == "asyncio":
        import asyncio

        r = asyncio.run(r)
    elif runner == "trio":
        import trio

        r = trio.run(lambda: r)
    elif runner == "anyio":
        import anyio

        r = anyio.run(lambda: r)
    return r


# The WebAssembly port has no asyncio.run: its asyncio rides the JS loop.
async def run_job_async(runner, fn, n):
    gc.collect()
    r = fn(n)
    if runner == "zs":
        import zsync_mp

        return zsync_mp.run(r)
    if runner == "asyncio":
        return await r
    return r


# Run coroutines concurrently under the framework `kind` and wait for all.
async def gather(kind, coros):
    if kind == "zs":
        import zsync_mp as zs

        async with zs.TaskGroup() as tg:
            for c in coros:
                tg.spawn(c)
    elif kind in ("trio", "anyio"):
        mod = __import__(kind)
        opener = mod.open_nursery if kind == "trio" else mod.create_task_group
        async with opener() as nursery:
            for c in coros:
                nursery.start_soon(_await, c)
    else:
        import asyncio

        await asyncio.gather(*coros)


async def _await(c):
    await c


# Per operation: ns from µs (scale 1000), or bytes from bytes (scale 1).
def per_op(total, n, scale=1000):
    return int(total * scale / n + 0.5)


# A job's need: None (always), False (no peer here) or a module to import.
def usable(jobs):
    jobs = [j for j in jobs if not ONLY or j[0].startswith(ONLY[0])]
    return [j for j in jobs if j[3] is None or (j[3] is not False and has(j[3]))]


# jobs: [(key, runner, fn, need, n)]; returns {key: [ns per op, …]}.
def measure(jobs, scale=1000):
    out = {}
    jobs = usable(jobs)
    for _ in range(REPS):
        for key, runner, fn, _need, n in jobs:
            out.setdefault(key, []).append(per_op(run_job(runner, fn, n), n, scale))
    return out


async def measure_async(jobs):
    out = {}
    jobs = [j for j in usable(jobs) if j[1] in ("zs", "asyncio", "sync")]
    for _ in range(REPS):
        for key, runner, fn, _need, n in jobs:
            out.setdefault(key, []).append(per_op(await run_job_async(runner, fn, n), n))
    return out


def emit(suite, figures, meta=None):
    r = {"suite": suite, "interp": "wasm" if WASM else IMPL, "figures": figures}
    if meta:
        r["meta"] = meta
    print("BENCH " + json.dumps(r))


# The entry of every suite: `suite.main()` on a board, `python b_x.py` here.
def main(suite, jobs_fn, extra_fn=None):
    figures = measure(jobs_fn()) if jobs_fn else {}
    meta = None
    if extra_fn:
        more, meta = extra_fn()
        figures.update(more)
    emit(suite, figures, meta)
