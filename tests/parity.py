"""Run behaviour scripts on CPython, MicroPython (unix) and MicroPython
WebAssembly, and compare their traces.

A behaviour script is tests/<name>.py (not test_*.py, not _*.py). It prints a
trace. CPython's output is the expected output; `<name>.py.exp` replaces it
where MicroPython differs on purpose (`<name>.py.core.exp`: on firmware built
with native/, where the C Task differs; tests/test_firmware.py), and `<name>.py.wasm.exp` where the
WebAssembly port differs too (each with its reason in WASM_EXP). A script
that needs something an interpreter lacks prints `SKIP` as its only line;
on WebAssembly a script may instead stop at a missing feature named in
WASM_SKIP, after printing only expected lines. Skips are reported with their
reason, never hidden; a listed skip that passes is a failure (stale entry).

    python tests/parity.py [names...]
"""
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from host import interp  # noqa: E402

BOARD = interp.BOARD
CPYTHON = os.path.join(interp.VENV_BIN, "python")
MICROPYTHON = os.path.join(interp.VENV_BIN, "micropython")
PATHS = [ROOT, HERE, BOARD]
TIMEOUT = 120
SIDES = ("micropython", "wasm")

# Where the WebAssembly port's JS-driven model cannot do what a script does:
# name -> (what its failure output must contain, why). A script with marker
# None is not run there at all (it would only time out).
WASM_SKIP = {
    "io_blocking": ("no module named '_thread'",
                    "wakes a blocking wait from a second thread; the WebAssembly port has no _thread"),
    "sync_flag": ("no module named '_thread'",
                  "its last case sets the Flag from a second thread; the WebAssembly port has no _thread"),
    "stream_tcp": ("no module named 'socket'",
                   "TCP streams need sockets; the WebAssembly port has no socket module"),
}

# name -> why its tests/<name>.py.wasm.exp differs from the unix port's trace.
WASM_EXP = {
    "heap_steady_state": "the WebAssembly port is 32-bit: an allocation is 48 bytes, not the unix port's 96",
    "stress_cancel": "gc.collect() inside a script only sets a flag on this port (the heap grows; collection "
                     "runs when control returns to JS), so the in-script leak check cannot see freed memory",
    "stress_channel": "as stress_cancel: no in-script gc.collect() on this port, so 'leak ok' reads False",
    "stress_tasks": "as stress_cancel: no in-script gc.collect() on this port, so 'leak ok' reads False",
    "stress_timers": "as stress_cancel: no in-script gc.collect() on this port, so 'leak ok' reads False",
    "token_child_leak": "as stress_cancel: no in-script gc.collect() on this port, so the garbage of 10,000 "
                        "blocks reads as growth",
    "misuse_irq": "no emergency exception buffer on this port: the RuntimeError raised in a heap-locked (hard) "
                  "handler loses its message",
}


def scripts():
    return sorted(
        f[:-3]
        for f in os.listdir(HERE)
        if f.endswith(".py") and not f.startswith(("test_", "_", "parity", "conftest"))
    )


def path(name):
    return os.path.join(HERE, name + ".py")


def run(interp_name, name):
    """(rc, output) of one script; stderr is appended when rc != 0."""
    rc, out, err = run3(interp_name, name)
    return rc, out + (("\n[stderr]\n" + err) if rc != 0 else "")


def run3(interp_name, name):
    if interp_name == "wasm" and WASM_SKIP.get(name, (1,))[0] is None:
        return 0, "SKIP\n", ""  # not run: see WASM_SKIP
    if interp_name == "wasm" and name in _batch.wanted:
        return _batch.get(name)
    try:
        return interp.run(interp_name, path(name), paths=PATHS, cwd=HERE, timeout=TIMEOUT)
    except interp.InterpreterError as e:
        return 127, "", "%s\n" % e


class _Batch:
    # WebAssembly results fetched ahead in one Node process (parity.py's CLI).
    def __init__(self):
        self.wanted = set()
        self.res = {}
        self.thread = None
        self.error = None

    def start(self, names):
        self.wanted = set(n for n in names if WASM_SKIP.get(n, (1,))[0] is not None)
        self.thread = threading.Thread(target=self._fetch, args=(sorted(self.wanted),), daemon=True)
        self.thread.start()

    def _fetch(self, names):
        if not names:
            return
        try:
            got = interp.wasm_batch([path(n) for n in names], PATHS, timeout=TIMEOUT, cwd=HERE)
            self.res = dict((os.path.basename(p)[:-3], r) for p, r in got.items())
        except interp.InterpreterError as e:
            self.error = "%s\n" % e

    def get(self, name):
        self.thread.join()
        if name in self.res:
            return self.res[name]
        return 127, "", self.error or "[no result from the WebAssembly batch]\n"


_batch = _Batch()


def _read(p):
    with open(p) as f:
        return f.read()


def expected_for(side, name, out_c):
    """The trace `side` must print, and where it comes from."""
    if side == "wasm" and os.path.exists(path(name) + ".wasm.exp"):
        return _read(path(name) + ".wasm.exp"), name + ".py.wasm.exp"
    if os.path.exists(path(name) + ".exp"):
        return _read(path(name) + ".exp"), name + ".py.exp"
    return out_c, "CPython"


def _side(side, name, expected, src, got, mp_skipped):
    # One interpreter's verdict: ('pass'|'skip'|'fail', note).
    rc, out, err = got
    label = "MicroPython" if side == "micropython" else "WebAssembly"
    if out.strip() == "SKIP":
        if side == "wasm" and WASM_SKIP.get(name, (1,))[0] is None:
            return "skip", "wasm: not run (%s)" % WASM_SKIP[name][1]
        if side == "wasm" and not mp_skipped and name not in WASM_SKIP:
            return "fail", "WebAssembly printed SKIP but MicroPython did not: give a reason in WASM_SKIP"
        why = WASM_SKIP[name][1] if side == "wasm" and name in WASM_SKIP else "the script printed SKIP"
        return "skip", "%s: SKIP (%s)" % (side, why)
    if rc == 0 and out == expected:
        if side == "wasm" and name in WASM_SKIP:
            return "fail", "%s is listed in WASM_SKIP but now passes on WebAssembly: remove it" % name
        return "pass", ""
    if side == "wasm" and name in WASM_SKIP:
        marker, why = WASM_SKIP[name]
        if marker in err + out and expected.startswith(out):
            n = out.count("\n")
            return "skip", "wasm: SKIP after %d matching lines (%s)" % (n, why)
    report = "%s differs from %s (rc=%s)\n--- expected\n%s\n--- got\n%s" % (label, src, rc, expected, out)
    if rc != 0:
        report += "\n[stderr]\n" + err
    return "fail", report


def check(name):
    """Returns (status, report): status is 'pass', 'fail' or
    'skip:<sides>' (sides that skipped, comma-separated)."""
    rc_c, out_c, err_c = run3("cpython", name)
    c_skipped = out_c.strip() == "SKIP"
    if c_skipped and not os.path.exists(path(name) + ".exp"):
        return "fail", "CPython printed SKIP but there is no .exp to compare MicroPython with"
    if rc_c != 0 and not c_skipped:
        return "fail", "CPython run failed (rc=%s):\n%s\n[stderr]\n%s" % (rc_c, out_c, err_c)
    got = {"micropython": run3("micropython", name), "wasm": run3("wasm", name)}
    verdicts = {}
    mp_skipped = got["micropython"][1].strip() == "SKIP"
    for side in SIDES:
        expected, src = expected_for(side, name, out_c)
        verdicts[side] = _side(side, name, expected, src, got[side], mp_skipped)
    fails = [v[1] for v in verdicts.values() if v[0] == "fail"]
    if fails:
        return "fail", "\n".join(fails)
    notes = [v[1] for v in verdicts.values() if v[1]]
    if name in WASM_EXP and verdicts["wasm"][0] == "pass":
        notes.append("wasm: matched %s.py.wasm.exp (%s)" % (name, WASM_EXP[name]))
    skipped = [s for s in SIDES if verdicts[s][0] == "skip"]
    if skipped:
        passed = [s for s in SIDES if verdicts[s][0] == "pass"]
        if passed:
            notes.insert(0, "%s: pass" % ", ".join(passed))
        return "skip:" + ",".join(skipped), "; ".join(notes)
    if c_skipped:
        # CPython cannot run it (e.g. heap_lock) but MicroPython matched .exp.
        notes.insert(0, "(CPython printed SKIP; MicroPython matched %s.py.exp)" % name)
    return "pass", "; ".join(notes)


def main(names):
    names = names or scripts()
    _batch.start(names)
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
