"""The expected output of a behaviour script, and the problems its output reports.

Contract
- `<stem>.exp` beside `<stem>.py` is the script's oracle: the CORRECT trace,
  written from what the script claims (not copied from an interpreter), and
  the trace every interpreter must print, CPython included.
- A per-interpreter file exists only where an interpreter differs on
  purpose: `<stem>.mpy.exp` (every MicroPython build), `<stem>.wasm.exp`
  (MicroPython WebAssembly), `<stem>.core.exp` (firmware built with native/,
  the C Task). Its first line is `# why: <reason>`, stripped before
  comparing; a per-interpreter file without it is an OracleError. Lookup
  falls back along CHAIN (wasm and core: their own file, then .mpy.exp, then
  .exp).
- A per-interpreter file whose text equals its fallback is stale (an
  OracleError names it): the interpreter no longer differs.
- `problems(out)` finds the lines where a script reports a problem of its own
  (MARKERS), so a wrong .exp cannot hide a leak or a lost task.
"""
import os
import re

# interpreter -> the oracle files it reads, most specific first.
CHAIN = {
    "cpython": (".exp",),
    "micropython": (".mpy.exp", ".exp"),
    "wasm": (".wasm.exp", ".mpy.exp", ".exp"),
    "core": (".core.exp", ".mpy.exp", ".exp"),
}
WHY = "# why: "

# What a script prints when it finds a problem itself: (regex, the values
# that mean "no problem", what the line reports). Narrow on purpose: each is
# a phrase today's scripts print as a self-check (tests/stress_*.py through
# tests/_stress.py, tests/faults_*.py through tests/_faults.py), never a
# word a trace may print legitimately (machine_uart.py's "lost: 5" is the
# expected effect of a baud mismatch).
MARKERS = (
    (re.compile(r"\bleak ok: (\S+)"), ("True", "unmeasured"), "a leak"),
    (re.compile(r"\b(?:never ran|ran twice): (\d+)"), ("0",), "tasks lost or run twice"),
    (re.compile(r"\b(?:lost|out of order|duplicated) (\d+)\b"), ("0",), "messages lost or reordered"),
    (re.compile(r"\b(?:sleeps early or late|deadlines wrong|heap not compacted): (\d+)"), ("0",),
     "timers out of their contract"),
    (re.compile(r"^(?:bad_\w+|lock_held) (\d+)$"), ("0",), "a problem count"),
    (re.compile(r"\bseen: (\w+)$"), ("True",), "an outcome the run had to reach"),
    (re.compile(r"\bstayed under \d+ entries: (\w+)$"), ("True",), "an unbounded timer heap"),
    (re.compile(r"^\s*(FAIL)\b"), (), "a broken invariant (tests/_faults.py)"),
)


class OracleError(Exception):
    pass


def _read(p):
    with open(p) as f:
        return f.read()


def read(p):
    """(text, why) of an oracle file; why is None for a plain .exp."""
    text = _read(p)
    if p.endswith((".mpy.exp", ".wasm.exp", ".core.exp")):
        first, _, rest = text.partition("\n")
        if not first.startswith(WHY) or not first[len(WHY):].strip():
            raise OracleError("%s: a per-interpreter file must start with '%s<reason>'" % (p, WHY))
        return rest, first[len(WHY):].strip()
    if text.strip() == "SKIP":
        raise OracleError("%s: an oracle is the trace the script must print, not SKIP" % p)
    return text, None


def files(stem, interp):
    """The oracle files of `interp` for `<stem>.py` that exist, most specific first."""
    if interp not in CHAIN:
        raise OracleError("unknown interpreter %r: one of %s" % (interp, ", ".join(sorted(CHAIN))))
    return [stem + ext for ext in CHAIN[interp] if os.path.exists(stem + ext)]


def expected(stem, interp):
    """(text, file, why) that `interp` must print for `<stem>.py`."""
    if not os.path.exists(stem + ".exp"):
        raise OracleError("no oracle: %s.exp is missing (draft it with `tests/parity.py --draft NAME`, "
                          "then check every line against what the script claims)" % stem)
    p = files(stem, interp)[0]
    text, why = read(p)
    return text, p, why


def stale(stem):
    """Messages for the per-interpreter files of `<stem>.py` that differ from nothing."""
    out = []
    for interp, ext in (("micropython", ".mpy.exp"), ("wasm", ".wasm.exp"), ("core", ".core.exp")):
        fs = files(stem, interp)
        if fs and fs[0] == stem + ext and len(fs) > 1 and read(fs[0])[0] == read(fs[1])[0]:
            out.append("%s is the same as %s: remove it (the interpreter no longer differs)" % (fs[0], fs[1]))
    return out


def problems(out):
    """['line N: <line> (<what>)'] for each line that reports a problem (MARKERS)."""
    found = []
    for i, line in enumerate(out.splitlines(), 1):
        for rx, good, what in MARKERS:
            for m in rx.finditer(line):
                if m.group(1) not in good:
                    found.append("line %d: %r reports %s" % (i, line, what))
    return found
