# Parity on hardware: behaviour scripts from tests/ run unchanged on the board
# (with a `Test OK` trailer) and on the host twin (CPython), both under
# zsync_mp's VirtualClock, unseeded and with a schedule seed (zs.run's
# `seed`, forced by a two-line prefix); the traces must be identical.
import difflib
import os
import subprocess
import sys

import pytest

from hil_tests.plugin import ROOT

TESTS = os.path.join(ROOT, "tests")
CASES = [("channel_basic", None), ("sync_event_lock", None), ("group_basic", None), ("sim_seeded", None),
         ("channel_basic", 5), ("group_basic", 11)]
# Every zs.run() in the script uses SEED unless it names its own.
SEED_PREFIX = ("import zsync_mp as _zs\n_zs_run = _zs.run\n"
               "_zs.run = lambda coro, clock=None, seed=None: _zs_run(coro, clock=clock, seed=%d if seed is None else seed)\n")


def source(name, seed):
    with open(os.path.join(TESTS, name + ".py")) as f:
        src = f.read()
    return (SEED_PREFIX % seed if seed is not None else "") + src


# The host twin's trace: the same source under CPython with zsync_mp from the tree.
def host_trace(src, tmp_path):
    script = tmp_path / "twin.py"
    script.write_text(src)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([ROOT, TESTS]))
    p = subprocess.run([sys.executable, str(script)], cwd=TESTS, env=env, capture_output=True, text=True,
                       timeout=120)
    assert p.returncode == 0, "host twin failed:\n%s" % p.stderr
    return p.stdout


@pytest.mark.parametrize("name,seed", CASES, ids=["%s-seed%s" % c for c in CASES])
def test_trace_matches_host_twin(dut, name, seed, report, tmp_path):
    src = source(name, seed)
    expected = host_trace(src, tmp_path)
    got = dut.run(src, trailer="print('Test OK')", timeout=120)
    diff = list(difflib.unified_diff(expected.splitlines(), got.splitlines(), "host twin (CPython)",
                                     "board (%s)" % dut.name, lineterm=""))
    report({"trace_lines": len(got.splitlines()), "differences": len([d for d in diff if d[:1] in "+-"])})
    assert not diff, "board trace differs from the host twin's:\n" + "\n".join(diff)


def test_a_different_trace_is_caught(dut, tmp_path):
    # Negative control: one changed line on the board must fail the comparison.
    expected = host_trace(source("sync_event_lock", None), tmp_path)
    src = source("sync_event_lock", None).replace('print("is_set", ev.is_set())', 'print("is_set", not ev.is_set())')
    got = dut.run(src, trailer="print('Test OK')", timeout=120)
    assert [line for line in got.splitlines() if line not in expected.splitlines()] == ["is_set True"]


def test_seed_reaches_the_board(dut, tmp_path):
    # The prefix really seeds: sim_seeded's unseeded line must change under it.
    plain = dut.run(source("sim_seeded", None), trailer="print('Test OK')", timeout=120)
    seeded = dut.run(source("sim_seeded", 3), trailer="print('Test OK')", timeout=120)
    fifo = [line for line in plain.splitlines() if line.startswith("unseeded is FIFO")]
    assert fifo and fifo[0] not in seeded.splitlines()
