"""make stress: run tests/stress_*.py at the issue's sizes on MicroPython and
CPython and print one table: what was tried, how many times, what was lost
(must be 0), peak memory, leaked bytes, the seed, and the time taken.
Exits 1 if anything was lost, leaked or crashed.

    ZSYNC_STRESS=1 python tests/_stress_report.py [names...]
    ZSYNC_STRESS_HEAP=4M  (the PyPI MicroPython's heap; default 2M)
    ZSYNC_STRESS_FIRMWARE=build/firmware/unix/micropython  (also run on this
        unix firmware, built with native/ so tasks are the C Task, with its
        default heap: 2 MiB on 64-bit, as issue 9 asks)
"""
import os
import sys
import time

import parity

LEAK_SLACK = 8192


def stress_scripts():
    return [n for n in parity.scripts() if n.startswith("stress_")]


def interpreters():
    out = ["micropython", "cpython"]
    if os.environ.get("ZSYNC_STRESS_FIRMWARE"):
        out.insert(1, "mpy-firmware")
    return out


def run(interp, name):
    env = dict(os.environ, ZSYNC_STRESS="1")
    script = os.path.join(parity.HERE, name + ".py")
    if interp == "micropython":
        heap = os.environ.get("ZSYNC_STRESS_HEAP", "2M")
        cmd = [parity.MICROPYTHON, "-X", "heapsize=" + heap, script]
        env["MICROPYPATH"] = ":".join([parity.ROOT, parity.HERE, ".frozen"])
    elif interp == "mpy-firmware":
        cmd = [os.path.abspath(os.environ["ZSYNC_STRESS_FIRMWARE"]), script]
        env["MICROPYPATH"] = ":".join([parity.ROOT, parity.HERE, ".frozen"])
    else:
        cmd = [parity.CPYTHON, os.path.join(parity.HERE, name + ".py")]
        env["PYTHONPATH"] = os.pathsep.join([parity.ROOT, parity.HERE])
    import subprocess

    t0 = time.time()
    try:
        p = subprocess.run(cmd, env=env, capture_output=True, timeout=1800, cwd=parity.HERE)
        rc, err = p.returncode, p.stderr.decode("utf-8", "replace")
        if rc:  # MicroPython prints an uncaught traceback on stdout
            err += "\n" + p.stdout.decode("utf-8", "replace")
    except subprocess.TimeoutExpired:
        rc, err = None, "timed out after 1800 s"
    return rc, err, time.time() - t0


def parse(err):
    rows = []
    for line in err.splitlines():
        if line.startswith("STRESS "):
            rows.append(dict(kv.split("=", 1) for kv in line.split()[1:]))
    return rows


def main(names):
    bad = 0
    print("micropython: the PyPI unix port, -X heapsize=%s (Python Task)" % os.environ.get("ZSYNC_STRESS_HEAP", "2M"))
    if "mpy-firmware" in interpreters():
        print("mpy-firmware: %s, its default heap (C Task)" % os.environ["ZSYNC_STRESS_FIRMWARE"])
    print("%-12s %-16s %10s %6s %12s %8s %6s %7s" % ("interpreter", "what", "tried", "lost", "peak bytes", "leak", "seed", "seconds"))
    for name in names or stress_scripts():
        for interp in interpreters():
            rc, err, secs = run(interp, name)
            rows = parse(err)
            for r in rows:
                lost = int(r["lost"])
                leak = int(r["leak"])
                flag = "" if lost == 0 and leak <= LEAK_SLACK else "  <-- FAIL"
                bad += 1 if flag else 0
                print("%-12s %-16s %10s %6d %12s %8d %6s %7.1f%s" % (interp, r["name"], r["tried"], lost, r["peak"], leak, r["seed"], secs, flag))
            if rc != 0:
                bad += 1
                last = [ln for ln in err.splitlines() if ln.strip()][-1:] or ["?"]
                print("%-12s %-16s CRASHED rc=%s: %s" % (interp, name, rc, last[0]))
    print("stress: %s" % ("all clean" if not bad else "%d failure(s)" % bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
