"""Run behaviour scripts on CPython, MicroPython (unix) and MicroPython
WebAssembly, and check each trace against the script's oracle.

A behaviour script is tests/<name>.py (not test_*.py, not _*.py). It prints a
trace. `tests/<name>.exp` is its oracle: the CORRECT trace, reviewed against
what the script claims, which every interpreter must print (CPython too); a
script without one fails ("no oracle"). An interpreter that differs on
purpose has its own file, first line `# why: <reason>` (zsync_mp_host/oracle.py):
`<name>.mpy.exp` (every MicroPython build), `<name>.wasm.exp`, and
`<name>.core.exp` (firmware with the C Task, tests/test_firmware.py); one
that equals its fallback is stale and fails. Whatever the oracle says, a
trace line that reports a problem (zsync_mp_host/oracle.py MARKERS: `leak ok: False`,
`never ran: 3`, `lost 2`, `bad_outcome 1`, ...) fails the script.

A script that needs something an interpreter lacks prints `SKIP` as its only
line; on WebAssembly a script may instead stop at a missing feature named in
WASM_SKIP, after printing only expected lines. Skips are reported with their
reason, never hidden; a listed skip that passes is a failure (stale entry).

    python tests/parity.py [names...]
    python tests/parity.py --draft NAME...   # write tests/NAME.exp from CPython's trace, to review
"""
import difflib
import os
import sys
import threading

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from zsync_mp_host import interp, oracle

BOARD = interp.BOARD
CPYTHON = os.path.join(interp.VENV_BIN, "python")
MICROPYTHON = os.path.join(interp.VENV_BIN, "micropython")
PATHS = [ROOT, HERE, BOARD]
TIMEOUT = 120
SIDES = ("cpython", "micropython", "wasm")
LABEL = {"cpython": "CPython", "micropython": "MicroPython", "wasm": "WebAssembly"}

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


def stem(name):
    return os.path.join(HERE, name)


def expected(interp_name, name):
    """(text, file, why) that `interp_name` must print; oracle.OracleError if it cannot be said."""
    return oracle.expected(stem(name), interp_name)


def _diff_report(label, src, rc, expected_text, out, err):
    src = os.path.basename(src)
    diff = difflib.unified_diff(expected_text.splitlines(True), out.splitlines(True), src, label)
    report = "%s differs from %s (rc=%s)\n%s" % (label, src, rc, "".join(
        line if line.endswith("\n") else line + "\n" for line in diff))
    return report + ("\n[stderr]\n" + err if rc != 0 else "")


def _side(side, name, got, mp_skipped, exp):
    # One interpreter's verdict: ('pass'|'skip'|'fail', note); exp is expected()'s answer.
    rc, out, err = got
    label = LABEL[side]
    text, src, why = exp
    bad = oracle.problems(out)
    if bad:
        report = "%s reports a problem in its own trace:\n  %s" % (label, "\n  ".join(bad))
        if out != text:
            report += "\n" + _diff_report(label, src, rc, text, out, err)
        return "fail", report
    if out.strip() == "SKIP":
        if side == "wasm" and WASM_SKIP.get(name, (1,))[0] is None:
            return "skip", "wasm: not run (%s)" % WASM_SKIP[name][1]
        if side == "wasm" and not mp_skipped and name not in WASM_SKIP:
            return "fail", "WebAssembly printed SKIP but MicroPython did not: give a reason in WASM_SKIP"
        why_skip = WASM_SKIP[name][1] if side == "wasm" and name in WASM_SKIP else "the script printed SKIP"
        return "skip", "%s: SKIP (%s)" % (side, why_skip)
    if rc == 0 and out == text:
        if side == "wasm" and name in WASM_SKIP:
            return "fail", "%s is listed in WASM_SKIP but now passes on WebAssembly: remove it" % name
        return "pass", "%s: matched %s (%s)" % (side, os.path.basename(src), why) if why else ""
    if side == "wasm" and name in WASM_SKIP:
        marker, why_skip = WASM_SKIP[name]
        if marker in err + out and text.startswith(out):
            n = out.count("\n")
            return "skip", "wasm: SKIP after %d matching lines (%s)" % (n, why_skip)
    report = _diff_report(label, src, rc, text, out, err)
    fallback = oracle.files(stem(name), side)[1:2]
    if why and rc == 0 and fallback and out == oracle.read(fallback[0])[0]:
        report += "\n%s now prints %s: remove %s" % (
            label, os.path.basename(fallback[0]), os.path.basename(src))
    return "fail", report


def check(name):
    """Returns (status, report): status is 'pass', 'fail' or
    'skip:<sides>' (MicroPython/WebAssembly sides that skipped, comma-separated;
    a CPython SKIP is a note: heap_lock and friends exist only on MicroPython)."""
    try:
        exps = dict((side, expected(side, name)) for side in SIDES)
        stale = oracle.stale(stem(name))
    except oracle.OracleError as e:
        return "fail", str(e)
    if stale:
        return "fail", "\n".join(stale)
    got = dict((side, run3(side, name)) for side in SIDES)
    mp_skipped = got["micropython"][1].strip() == "SKIP"
    verdicts = dict((side, _side(side, name, got[side], mp_skipped, exps[side])) for side in SIDES)
    fails = [verdicts[s][1] for s in SIDES if verdicts[s][0] == "fail"]
    if fails:
        return "fail", "\n".join(fails)
    notes = [verdicts[s][1] for s in SIDES if verdicts[s][1]]
    skipped = [s for s in SIDES[1:] if verdicts[s][0] == "skip"]
    if skipped:
        passed = [s for s in SIDES if verdicts[s][0] == "pass"]
        if passed:
            notes.insert(0, "%s: pass" % ", ".join(passed))
        return "skip:" + ",".join(skipped), "; ".join(notes)
    return "pass", "; ".join(notes)


def draft(names):
    """Write tests/<name>.exp from CPython's trace (MicroPython's if CPython
    prints SKIP): a draft, to be checked line by line against the script's
    contract before it is committed."""
    for n in names:
        if os.path.exists(stem(n) + ".exp"):
            print("%s.exp exists: not overwritten" % n)
            return 1
        for side in SIDES[:2]:
            rc, out, err = run3(side, n)
            if out.strip() != "SKIP":
                break
        if rc != 0 or out.strip() == "SKIP":
            print("%s: no trace to draft from (rc=%s)\n%s%s" % (n, rc, out, err))
            return 1
        with open(stem(n) + ".exp", "w") as f:
            f.write(out)
        print("wrote tests/%s.exp from %s's trace: review it against what the script claims" % (n, LABEL[side]))
    return 0


def main(names):
    if names[:1] == ["--draft"]:
        return draft(names[1:])
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
