# Differential test against Trio (issue 15, "The oracle"): hypothesis
# generates programs in a small structured-concurrency language
# (tests/_dt_run.py: groups, sleeps, cancel by handle, deadlines and shields,
# channels, locks, events) and each runs on zsync_mp (CPython, and MicroPython
# in batches) under VirtualClock and on Trio under MockClock. What each task
# observed ((virtual ms, event) list) and how it ended must be what Trio
# gives. Trio's order of tasks ready at the same instant is sampled
# (tests/_dt_trio.py): where it changes the result, zsync_mp's must be one of
# Trio's. derandomize=True: the same programs on every run (CI reproducible);
# ZSYNC_STRESS=1 (make stress) runs ten times more.
#
# A failure prints the program; tests/_dt_shrink.py shrinks it, and each
# distinct defect gets a regression script tests/diff_<name>.py whose
# expected output tests/diff_<name>.exp is what its Trio twin prints
# (tests/_dt_twins.py). While a defect is open its KNOWN entry lets programs
# that fail in its way pass; the entry must name its script, and once the
# script prints its .exp the entry is stale and test_known_entries_still_fail
# fails: remove it. ZSYNC_DIFF_STRICT=1 ignores KNOWN.
import json
import os
import subprocess
import sys
import tempfile

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import _dt_gen
import _dt_trio
import _dt_twins
import _dt_zs

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MPY = os.path.join(ROOT, ".venv", "bin", "micropython")
STRESS = os.environ.get("ZSYNC_STRESS") not in (None, "", "0")
STRICT = os.environ.get("ZSYNC_DIFF_STRICT") not in (None, "", "0")
SEEDS = range(4)  # Trio orders tried for every program
MORE_SEEDS = range(200)  # when those disagree and zsync_mp matched none of them


def first_diff(mine, truth):
    # (zsync_mp item, Trio item) at the first difference of the first task
    # that differs; an outcome is the item "out: <outcome>", None past the end.
    for name in sorted(set(mine["ev"]) | set(truth["ev"]) | set(mine["out"]) | set(truth["out"])):
        a = [e[1] for e in mine["ev"].get(name, [])] + ["out: %s" % mine["out"].get(name)]
        b = [e[1] for e in truth["ev"].get(name, [])] + ["out: %s" % truth["out"].get(name)]
        if a != b:
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return (a[i] if i < len(a) else None, b[i] if i < len(b) else None)
    return None


def _at_group_exit(mine, truth):
    return "group done" in first_diff(mine, truth)


# Open defects: (regression script, why, does a mismatch look like it).
KNOWN = [
    ("diff_group_exit_cancel",
     "TaskGroup exit raises Cancelled when its wait was interrupted, not when a child or the body ended Cancelled",
     _at_group_exit),
]


def replay_hint(prog):
    return "program:\n%s\nshrink it: echo '[%s]' > p.json; .venv/bin/python tests/_dt_shrink.py p.json" % (
        json.dumps(prog), json.dumps(prog))


def check(prog, mine, counts=None):
    # zsync_mp's result `mine` against Trio's; raises AssertionError unless it
    # matches or a KNOWN entry accounts for it.
    key = json.dumps(mine, sort_keys=True)
    truths = _dt_trio.run_orders(prog, SEEDS)
    if key not in truths and len(truths) > 1:
        truths = _dt_trio.run_orders(prog, MORE_SEEDS)
    if key in truths:
        return
    truths = [json.loads(t) for t in truths]
    if not STRICT and "run" not in mine:
        for script, why, looks in KNOWN:
            if any("run" not in t and looks(mine, t) for t in truths):
                if counts is not None:
                    counts[script] = counts.get(script, 0) + 1
                return
    raise AssertionError(
        "zsync_mp differs from Trio\n zsync_mp: %s\n Trio:     %s\n first difference (zsync_mp, Trio): %s\n%s"
        % (key, "\n           ".join(json.dumps(t, sort_keys=True) for t in truths),
           first_diff(mine, truths[0]) if "run" not in mine else None, replay_hint(prog)))


_settings = dict(deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@settings(max_examples=3000 if STRESS else 300, **_settings)
@given(_dt_gen.programs())
def test_zsync_mp_matches_trio(prog):
    check(prog, _dt_zs.run(prog))


def run_micropython(progs):
    # One MicroPython process runs a batch: one program per line in, one result per line out.
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w") as f:
        for p in progs:
            f.write(json.dumps(p) + "\n")
    try:
        env = dict(os.environ, MICROPYPATH=":".join([ROOT, HERE, ".frozen"]))
        p = subprocess.run([MPY, "-X", "heapsize=4M", os.path.join(HERE, "_dt_zs.py"), path],
                           capture_output=True, timeout=300, env=env, cwd=HERE)
    finally:
        os.unlink(path)
    assert p.returncode == 0, p.stderr.decode()
    return [json.loads(line) for line in p.stdout.decode().splitlines()]


@settings(max_examples=40 if STRESS else 8, **_settings)
@given(st.lists(_dt_gen.programs(), min_size=25, max_size=25))
def test_micropython_matches_cpython_and_trio(progs):
    got = run_micropython(progs)
    assert len(got) == len(progs)
    for prog, mp in zip(progs, got):
        cp = _dt_zs.run(prog)
        assert mp == cp, "MicroPython differs from CPython\n MicroPython: %s\n CPython:     %s\n%s" % (
            json.dumps(mp, sort_keys=True), json.dumps(cp, sort_keys=True), replay_hint(prog))
        check(prog, mp)


def script_output(name):
    # CPython running tests/<name>.py with this checkout's zsync_mp.
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, HERE]))
    p = subprocess.run([sys.executable, os.path.join(HERE, name + ".py")], capture_output=True,
                       text=True, timeout=60, env=env, cwd=ROOT)
    return p.stdout + (p.stderr if p.returncode else "")


def expected(name):
    with open(os.path.join(HERE, name + ".exp")) as f:
        return f.read()


@pytest.mark.parametrize("name", sorted(_dt_twins.TWINS))
def test_exp_is_what_trio_prints(name):
    # Each regression script's expected output is its Trio twin's output.
    assert _dt_twins.output(name) == expected(name)


@pytest.mark.parametrize("script,why", [(s, w) for s, w, _ in KNOWN])
def test_known_entries_still_fail(script, why):
    assert script in _dt_twins.TWINS, "KNOWN entry %s has no Trio twin in tests/_dt_twins.py" % script
    assert script_output(script) != expected(script), (
        "tests/%s.py now prints its .exp: the defect (%s) is fixed; remove its KNOWN entry" % (script, why))
