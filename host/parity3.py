"""`zsync-mp parity script.py`: run one script on CPython, the MicroPython
unix port and MicroPython WebAssembly, and show how their traces differ.

Contract
- The script runs as `zsync-mp run` would run it (same paths, board file,
  seed and --virtual-time), on the three interpreters at once.
- CPython's stdout is the reference. For each other interpreter the report
  says "same as cpython" or prints a unified diff of stdout; a non-zero exit
  status is shown with the end of stderr.
- The result is 0 when all three traces and exit statuses match, else 1.
- An interpreter that is not installed is reported as such and counts as a
  difference (nothing is skipped silently).
"""
import difflib
import threading

from host import interp, simrun

STDERR_TAIL = 12  # lines of stderr shown for a failing run


def run_all(script, board=None, seed=None, virtual=False, timeout=120):
    """{interpreter: (rc, out, err)} for the three interpreters, run in parallel."""
    prep = simrun.prepare(script, board, seed, virtual)
    res = {}

    def one(name):
        try:
            path, argv, paths, env, files = prep
            res[name] = interp.run(name, path, argv, paths, env, files, timeout=timeout)
        except interp.InterpreterError as e:
            res[name] = (None, "", "not available: %s\n" % e)

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


def report(res, out):
    """Write the comparison to `out`; returns True when all three agree."""
    ref_rc, ref_out, ref_err = res["cpython"]
    same = True
    for name in interp.NAMES:
        rc, text, err = res[name]
        n = text.count("\n")
        status = "timed out or not run" if rc is None else "rc %d" % rc
        if name == "cpython":
            out.write("== cpython: %s, %d line%s of output (the reference)\n" % (status, n, "" if n == 1 else "s"))
        elif rc == ref_rc and text == ref_out:
            out.write("== %s: %s, same as cpython\n" % (name, status))
        else:
            same = False
            out.write("== %s: %s, differs from cpython%s\n" % (
                name, status, "" if rc == ref_rc else " (cpython: rc %s)" % ref_rc))
            diff = difflib.unified_diff(ref_out.splitlines(True), text.splitlines(True), "cpython", name)
            for line in diff:
                out.write(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        if rc != 0 and err:
            out.write("  %s stderr:\n%s\n" % (name, _tail(err)))
    out.write("== %s\n" % ("all three agree" if same else "traces differ"))
    return same


def parity(script, out, board=None, seed=None, virtual=False, timeout=120):
    res = run_all(script, board, seed, virtual, timeout)
    return 0 if report(res, out) else 1
