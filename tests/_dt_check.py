# Shared by tests/test_diff_trio.py and tests/test_diff_asyncio.py: compare a
# zsync_mp result with an oracle's (Trio, CPython asyncio), excuse open
# defects listed in a KNOWN table, run batches on MicroPython, and read the
# regression scripts' outputs. CPython only.
import json
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
MPY = os.path.join(ROOT, ".venv", "bin", "micropython")
STRESS = os.environ.get("ZSYNC_STRESS") not in (None, "", "0")
STRICT = os.environ.get("ZSYNC_DIFF_STRICT") not in (None, "", "0")
SEEDS = range(1)  # oracle orders tried for every program
MORE_SEEDS = range(1, 64)  # when zsync_mp's result is not among those (ties in the oracle's order)


def first_diff(mine, truth):
    """(zsync_mp item, oracle item) at the first difference of the first
    task that differs; an outcome is the item "out: <outcome>", None past the end."""
    for name in sorted(set(mine["ev"]) | set(truth["ev"]) | set(mine["out"]) | set(truth["out"])):
        a = [e[1] for e in mine["ev"].get(name, [])] + ["out: %s" % mine["out"].get(name)]
        b = [e[1] for e in truth["ev"].get(name, [])] + ["out: %s" % truth["out"].get(name)]
        if a != b:
            i = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
            return (a[i] if i < len(a) else None, b[i] if i < len(b) else None)
    return None


def replay_hint(prog, oracle):
    return "program:\n%s\nshrink it: echo '[%s]' > p.json; .venv/bin/python tests/_dt_shrink.py p.json %s" % (
        json.dumps(prog), json.dumps(prog), oracle)


def check(prog, mine, orders, known, oracle):
    """Raise AssertionError unless zsync_mp's result `mine` is one of
    orders(prog, seeds) or a KNOWN entry (script, why, looks) accounts for it."""
    key = json.dumps(mine, sort_keys=True)
    truths = orders(prog, SEEDS)
    if key not in truths:
        truths = orders(prog, MORE_SEEDS)
    if key in truths:
        return
    truths = [json.loads(t) for t in truths]
    if not STRICT and "run" not in mine:
        for script, why, looks in known:
            if any("run" not in t and looks(prog, mine, t) for t in truths):
                return
    raise AssertionError(
        "zsync_mp differs from %s\n zsync_mp: %s\n %s: %s\n first difference (zsync_mp, %s): %s\n%s"
        % (oracle, key, oracle, "\n           ".join(json.dumps(t, sort_keys=True) for t in truths), oracle,
           first_diff(mine, truths[0]) if "run" not in mine and "run" not in truths[0] else None,
           replay_hint(prog, oracle)))


def run_micropython(script, progs):
    """Results of tests/<script>.py on MicroPython for a batch of programs
    (one process: one program per line in, one result per line out)."""
    fd, path = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w") as f:
        for p in progs:
            f.write(json.dumps(p) + "\n")
    try:
        env = dict(os.environ, MICROPYPATH=":".join([ROOT, HERE, ".frozen"]))
        p = subprocess.run([MPY, "-X", "heapsize=4M", os.path.join(HERE, script + ".py"), path],
                           capture_output=True, timeout=300, env=env, cwd=HERE)
    finally:
        os.unlink(path)
    assert p.returncode == 0, p.stderr.decode()
    got = [json.loads(line) for line in p.stdout.decode().splitlines()]
    assert len(got) == len(progs), p.stdout.decode()[-2000:]
    return got


def script_output(name):
    """CPython running tests/<name>.py with this checkout's zsync_mp."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, HERE]))
    p = subprocess.run([sys.executable, os.path.join(HERE, name + ".py")], capture_output=True,
                       text=True, timeout=60, env=env, cwd=ROOT)
    return p.stdout + (p.stderr if p.returncode else "")


def expected(name):
    with open(os.path.join(HERE, name + ".exp")) as f:
        return f.read()
