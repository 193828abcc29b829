"""Run behaviour scripts on CPython and MicroPython and compare their traces.

A behaviour script is tests/<name>.py (not test_*.py, not _*.py). It prints a
trace. CPython's output is the expected output; `<name>.py.exp` replaces it
where MicroPython differs on purpose. A script that needs something an
interpreter lacks prints `SKIP` as its only line; skips are reported, never
hidden.

    python tests/parity.py [names...]
"""
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOARD = os.path.join(ROOT, "host", "board")  # the simulated machine module
VENV_BIN = os.path.join(ROOT, ".venv", "bin")
CPYTHON = os.path.join(VENV_BIN, "python")
MICROPYTHON = os.path.join(VENV_BIN, "micropython")
TIMEOUT = 120


def scripts():
    return sorted(
        f[:-3]
        for f in os.listdir(HERE)
        if f.endswith(".py") and not f.startswith(("test_", "_", "parity", "conftest"))
    )


def run(interp, name):
    env = dict(os.environ)
    if interp == "micropython":
        cmd = [MICROPYTHON, "-X", "heapsize=2M", os.path.join(HERE, name + ".py")]
        env["MICROPYPATH"] = ":".join([ROOT, HERE, BOARD, ".frozen"])
    else:
        cmd = [CPYTHON, os.path.join(HERE, name + ".py")]
        env["PYTHONPATH"] = os.pathsep.join([ROOT, HERE, BOARD])
    try:
        p = subprocess.run(cmd, cwd=HERE, env=env, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired as e:
        out = (e.stdout or b"").decode("utf-8", "replace")
        return None, out + "\n[timed out after %ds]" % TIMEOUT
    out = p.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    err = p.stderr.decode("utf-8", "replace")
    return p.returncode, out + (("\n[stderr]\n" + err) if p.returncode else "")


def check(name):
    """Returns (status, report): status is 'pass', 'fail' or 'skip:<side>'."""
    rc_c, out_c = run("cpython", name)
    rc_m, out_m = run("micropython", name)
    exp_path = os.path.join(HERE, name + ".py.exp")
    skipped = [side for side, out in (("cpython", out_c), ("micropython", out_m)) if out.strip() == "SKIP"]
    if "cpython" in skipped and not os.path.exists(exp_path):
        return "fail", "CPython printed SKIP but there is no .exp to compare MicroPython with"
    if rc_c != 0 and "cpython" not in skipped:
        return "fail", "CPython run failed (rc=%s):\n%s" % (rc_c, out_c)
    if os.path.exists(exp_path):
        with open(exp_path) as f:
            expected = f.read()
    else:
        expected = out_c
    if "micropython" in skipped:
        return "skip:micropython", ""
    if rc_m != 0 or out_m != expected:
        return "fail", "MicroPython differs (rc=%s)\n--- expected\n%s\n--- got\n%s" % (rc_m, expected, out_m)
    if skipped:
        # CPython cannot run it (e.g. heap_lock) but MicroPython matched .exp.
        return "pass", "(CPython printed SKIP; MicroPython matched %s.py.exp)" % name
    return "pass", ""


def main(names):
    names = names or scripts()
    counts = {"pass": 0, "fail": 0, "skip": 0}
    for n in names:
        status, report = check(n)
        key = status.split(":")[0]
        counts[key] += 1
        print("%-40s %s %s" % (n, status, report if status == "pass" else ""))
        if report and status != "pass":
            print(report)
    print("%d passed, %d failed, %d skipped" % (counts["pass"], counts["fail"], counts["skip"]))
    return 1 if counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
