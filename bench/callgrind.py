# Instructions per operation on MicroPython, counted by valgrind's callgrind:
# a noise-free second opinion beside the timings on this shared machine.
# The `micropython` console script is CPython running the pybind11 module
# micropython_run; we run that module directly under callgrind, once with
# N operations and once with 0 (the baseline: interpreter start, imports,
# task creation), and divide the difference by N. User-space instructions
# only: the poll(2) syscall MicroPython asyncio makes per switch is not counted.
import os
import re
import subprocess

from collect import BIG_HEAP, BIN, ROOT, which

JOBS = (  # (suite, key, N): what gets counted
    ("switch", "switch.zs", 10000),
    ("switch", "switch.asyncio", 10000),
    ("switch", "switch.floor", 10000),
    ("scale", "scale.switch.zs.10000", 20000),  # flatness without the noise (asyncio's takes minutes)
    ("sync", "pingpong.zs", 2000),
    ("sync", "pingpong.asyncio", 2000),
)
COLLECTED = re.compile(r"Collected : (\d+)")


def available():
    return bool(which("valgrind"))


def count(suite, key, n, src, timeout=300):
    heap = ["-X", "heapsize=" + BIG_HEAP] if suite == "scale" else []  # as collect.command
    code = ("import sys, micropython_run; sys.exit(micropython_run.run_main(%r))"
            % (["micropython"] + heap + ["bench/cg_job.py", suite, key, str(n)],))
    argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
            os.path.join(BIN, "python"), "-c", code]
    env = dict(os.environ, MICROPYPATH=src + ":.frozen")
    p = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    m = COLLECTED.search(p.stderr)
    if p.returncode or not m:
        raise RuntimeError("callgrind %s %s failed:\n%s" % (key, n, p.stderr[-1500:]))
    return int(m.group(1))


def run(src, quick=False, log=print):
    # {key: {"insns_per_op": float, "n": N}}; empty if valgrind is missing.
    out = {}
    if not available():
        return out
    for suite, key, n in JOBS:
        if quick:
            n //= 10
        log("  callgrind   %-18s ..." % key)
        try:
            base = count(suite, key, 0, src)
            full = count(suite, key, n, src)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            out[key] = {"error": str(e).splitlines()[0]}
            continue
        out[key] = {"insns_per_op": (full - base) / n, "n": n}
    return out
