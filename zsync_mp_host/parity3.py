"""`zsync-mp parity script.py`: run one script on CPython, the MicroPython
unix port and MicroPython WebAssembly, and show how their traces differ.

Contract
- The script runs as `zsync-mp run` would run it (same paths, board file,
  seed and --virtual-time), on the three interpreters at once.
- The reference is the script's oracle when it has one (`<stem>.exp` beside
  it, with `.mpy.exp` / `.wasm.exp` where an interpreter differs on purpose:
  zsync_mp_host/oracle.py): every interpreter, CPython included, is compared with it,
  and a trace line that reports a problem (oracle.MARKERS) is a difference.
  Without an oracle, CPython's stdout is the reference. For each interpreter
  the report says "same as <reference>" or prints a unified diff of stdout;
  a non-zero exit status is shown with the end of stderr.
- Each interpreter has `timeout` seconds (--timeout, default 120): one still
  running then is stopped and reported once as "timed out after Ns", and
  a hang is a difference even when all three hang alike.
- The result is 0 when every trace matches its reference with exit status 0
  (no oracle: when all three traces and exit statuses match and none timed
  out), else 1.
- An interpreter that is not installed is reported as such and counts as a
  difference (nothing is skipped silently).
"""
import difflib
import os
import threading

from zsync_mp_host import interp, oracle, simrun

STDERR_TAIL = 12  # lines of stderr shown for a failing run


def run_all(script, board=None, seed=None, virtual=False, timeout=120):
    """{interpreter: (rc, out, err)} for the three interpreters, run in parallel."""
    # Bad input fails here, before any thread; each interpreter's run as `zsync-mp run`'s.
    preps = {name: simrun.prepare(script, board, seed, virtual, interpreter=name) for name in interp.NAMES}
    res = {}

    def one(name):
        try:
            path, argv, paths, env, files = preps[name]
            res[name] = interp.run(name, path, argv, paths, env, files, timeout=timeout)
        except interp.InterpreterError as e:
            res[name] = (127, "", "not available: %s\n" % e)

    threads = [threading.Thread(target=one, args=(n,)) for n in interp.NAMES]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return res


# The last STDERR_TAIL lines of err, indented under the report.
def _tail(err):
    lines = err.rstrip("\n").split("\n")
    return "\n".join("    " + ln for ln in lines[-STDERR_TAIL:])


def _diff(out, ref, text, name, ref_name):
    for line in difflib.unified_diff(ref.splitlines(True), text.splitlines(True), ref_name, name):
        out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")


def report(res, out, exp=None, timeout=None):
    """Write the comparison to `out`; returns True when every trace matches
    its reference. exp: {interpreter: (text, file, why)} from the oracle, or
    None (CPython's trace is the reference)."""
    ref_rc, ref_out, ref_err = res["cpython"]
    same = True
    hung = [name for name in interp.NAMES if res[name][0] is None]
    for name in interp.NAMES:
        rc, text, err = res[name]
        n = text.count("\n")
        status = "rc %s" % rc
        if rc is None:  # a hang: said once, compared with nothing
            same = False
            out.write("== %s: timed out after %gs, %d line%s of output (a hang is a failure)\n"
                      % (name, timeout, n, "" if n == 1 else "s"))
            err = err.rstrip("\n").rpartition("\n")[0]  # its last line is the timeout, already said
        elif exp is None and name == "cpython":
            out.write("== cpython: %s, %d line%s of output (the reference)\n" % (status, n, "" if n == 1 else "s"))
        elif exp is None and rc is not None and rc == ref_rc and text == ref_out:
            out.write("== %s: %s, same as cpython\n" % (name, status))
        elif exp is None:
            same = False
            out.write("== %s: %s, differs from cpython%s\n" % (
                name, status, "" if rc == ref_rc else " (cpython: rc %s)" % ref_rc))
            _diff(out, ref_out, text, name, "cpython")
        else:
            ref, src, _ = exp[name]
            src = os.path.basename(src)
            bad = oracle.problems(text)
            ok = rc == 0 and text == ref and not bad
            same = same and ok
            out.write("== %s: %s, %s %s\n" % (name, status, "same as" if ok else "differs from", src))
            for line in bad:
                out.write("  problem reported at %s\n" % line)
            _diff(out, ref, text, name, src)
        if rc != 0 and err.strip():
            out.write("  %s stderr:\n%s\n" % (name, _tail(err)))
    agree = "all three agree" if exp is None else "all three match the oracle"
    if hung:
        out.write("== timed out: %s\n" % ", ".join(hung))
    else:
        out.write("== %s\n" % (agree if same else "traces differ"))
    return same


def parity(script, out, board=None, seed=None, virtual=False, timeout=120):
    stem = script[:-3] if script.endswith(".py") else script
    exp = None
    if os.path.exists(stem + ".exp"):
        exp = dict((n, oracle.expected(stem, n)) for n in interp.NAMES)
    res = run_all(script, board, seed, virtual, timeout)
    return 0 if report(res, out, exp, timeout) else 1
