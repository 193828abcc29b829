# Runs bench suites (b_*.py) on each interpreter in a subprocess and turns
# their BENCH lines into statistics: median, min, max over the samples.
# CPython only (the orchestrator); the suites themselves are portable.
import json
import os
import statistics
import subprocess
import sys

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BIN = os.path.join(ROOT, ".venv", "bin")
WASM_PKG = os.path.join(BENCH, "wasm", "node_modules", "@micropython", "micropython-webassembly-pyscript")

SUITES = ("switch", "sync", "chan", "mem", "alloc", "timer", "scale", "trace", "fibers", "microdot", "stream", "footprint")
# A suite is bench/b_<name>.py, except these (written by other hands; they
# print the same BENCH line, figures may be single numbers).
SCRIPTS = {"fibers": "fiber_switch.py"}
# Suites that CPython drives (servers on the measured interpreter, clients
# here): the script gets --serve <interpreter>.
DRIVEN = ("microdot", "footprint")
# Which suites run where: the WebAssembly port has no asyncio.run, a JS event
# loop and ms ticks; it gets the three areas the issue names for it.
WHERE = {
    "micropython": SUITES,
    "cpython": tuple(s for s in SUITES if s not in ("alloc", "footprint")),  # fibers: greenlet here; microdot served by CPython
    "wasm": ("switch", "sync", "chan", "footprint"),
    # A real board over mpremote (--port): what fits a small heap.
    "firmware": ("switch", "sync", "chan", "mem", "alloc", "timer", "trace", "microdot", "footprint"),
    "board": ("switch", "sync", "chan", "mem", "alloc", "timer", "trace"),
}
PORT = {"port": None}  # set by run.py --port
# The unix firmware built with native/ (make firmware PORT=unix): its tasks
# are the C Task of _zsync_core. Set by run.py --firmware.
FIRMWARE = {"path": os.path.join(ROOT, "build", "firmware", "unix", "micropython")}
BIG_HEAP = "32M"  # MicroPython heap for the scaling suite (10000 tasks)


def have_wasm():
    return os.path.isdir(WASM_PKG) and bool(which("node"))


def which(name):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, name)
        if os.access(p, os.X_OK):
            return p
    return None


def command(interp, suite, flags, src):
    # (argv, extra env) for one suite on one interpreter.
    script = os.path.join("bench", SCRIPTS.get(suite, "b_%s.py" % suite))
    if suite in DRIVEN:
        serve = FIRMWARE["path"] if interp == "firmware" else interp
        if suite == "microdot" and interp == "firmware":
            flags = flags + ["--frozen"]  # what a board runs: zsync_mp frozen, as stock asyncio is
        return [os.path.join(BIN, "python"), script, "--serve", serve] + flags, {"PYTHONPATH": src}
    if suite in SCRIPTS:  # they know --quick only
        flags = ["--quick" if f == "--tiny" else f for f in flags if not f.startswith("--only")]
    if interp == "cpython":
        return [os.path.join(BIN, "python"), script] + flags, {"PYTHONPATH": src}
    if interp == "micropython":
        heap = ["-X", "heapsize=" + BIG_HEAP] if suite == "scale" else []
        return [os.path.join(BIN, "micropython")] + heap + [script] + flags, {"MICROPYPATH": src + ":.frozen"}
    if interp == "firmware":
        return [FIRMWARE["path"], script] + flags, {"MICROPYPATH": src + ":.frozen"}
    if interp == "board":
        # The repository mounted at /remote (the board's cwd), so zsync_mp and
        # bench/ are read from this checkout; flags go through sys.argv.
        code = ("import sys; sys.argv.extend(%r); sys.path.insert(0, 'bench'); import %s as S; S.main()"
                % (flags, script[6:-3]))
        return [os.path.join(BIN, "mpremote"), "connect", PORT["port"], "mount", ROOT, "exec", code], {}
    return ["node", os.path.join("bench", "wasm", "run.mjs"), suite] + flags, {"ZSYNC_SRC": src}


def available(suite):
    return os.path.exists(os.path.join(BENCH, SCRIPTS.get(suite, "b_%s.py" % suite)))


def run_suite(interp, suite, flags, src, timeout=400):
    # One process; the parsed BENCH dict, or None for SKIP. Raises with its stderr.
    argv, env = command(interp, suite, flags, src)
    p = subprocess.run(argv, cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True, timeout=timeout)
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("BENCH ")]
    if not p.returncode and not lines and p.stdout.startswith("SKIP"):
        return None  # the suite cannot run here (e.g. no fiber backend)
    if p.returncode or not lines:
        raise RuntimeError("%s %s failed (rc %s):\n%s%s" % (interp, suite, p.returncode, p.stdout[-2000:], p.stderr[-3000:]))
    return json.loads(lines[-1][6:])


def stat(samples):
    return {
        "median": statistics.median(samples),
        "min": min(samples),
        "max": max(samples),
        "n": len(samples),
        "samples": samples,
    }


def collect(interps, suites, flags, src, log=print):
    # {"results": {interp: {key: stat}}, "meta": {interp: {suite: meta}}, "errors": [...]}
    res, meta, errors = {}, {}, []
    for interp in interps:
        for suite in suites:
            if suite not in WHERE[interp] or not available(suite):
                continue
            log("  %-11s %-7s ..." % (interp, suite))
            try:
                out = run_suite(interp, suite, flags, src)
            except (RuntimeError, subprocess.TimeoutExpired) as e:
                errors.append(str(e))
                log("    FAILED: %s" % str(e).splitlines()[0])
                continue
            if out is None:
                continue
            figs = res.setdefault(interp, {})
            for k, v in out["figures"].items():
                figs[k] = stat(v if isinstance(v, list) else [v])
            if out.get("meta"):
                meta.setdefault(interp, {})[suite] = out["meta"]
    return {"results": res, "meta": meta, "errors": errors}


def versions(interps):
    v = {"cpython": sys.version.split()[0]}
    if "micropython" in interps:
        p = subprocess.run([os.path.join(BIN, "micropython"), "-c", "import sys; print('%d.%d.%d' % sys.implementation.version[:3], '(' + sys.version + ')')"],
                           capture_output=True, text=True, timeout=60)
        v["micropython"] = p.stdout.strip()
    if "firmware" in interps:
        p = subprocess.run([FIRMWARE["path"], "-c", "import sys, _zsync_core; print('%d.%d.%d' % sys.implementation.version[:3], '(' + sys.version + ')')"],
                           capture_output=True, text=True, timeout=60)
        v["firmware"] = p.stdout.strip() + " + _zsync_core " + FIRMWARE["path"]
    if "wasm" in interps:
        try:
            with open(os.path.join(WASM_PKG, "package.json")) as f:
                v["wasm"] = "micropython-webassembly-pyscript " + json.load(f)["version"]
        except OSError:
            pass
    for mod in ("trio", "anyio", "greenlet"):
        try:
            v[mod] = __import__(mod).__version__
        except (ImportError, AttributeError):
            pass
    return v
