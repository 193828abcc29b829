# Differential test of zsync_mp.asyncio against CPython's asyncio (issue 15,
# "The oracle"): the asyncio subset of tests/_dt_run.py's language (TaskGroup,
# create_task, Task.cancel, sleep, asyncio.timeout, Event, Lock, Queue; no
# shields, group cancel or channel close; wait_for and self-cancel are left
# out on purpose, tests/_dt_aio.py says why) on zsync_mp.asyncio (CPython,
# and MicroPython in batches) under a VirtualClock kernel, and on CPython's
# asyncio with virtual time (tests/_dt_vloop.py: the loop's clock jumps to
# the next timer; timers due at the same instant are tried in several
# orders). KNOWN and ZSYNC_DIFF_STRICT as in tests/test_diff_trio.py;
# ZSYNC_STRESS=1 runs ten times more.
import json

from hypothesis import given, reject, settings, strategies as st

import _dt_aio
import _dt_gen
import _dt_vloop
from _dt_check import STRESS, check, run_micropython
from test_diff_trio import SETTINGS, stale_check


# Open defects: (regression script, why, does a mismatch look like it).
KNOWN = []  # none open (diff_aio_group_abort was fixed)


def _sound(result):
    # CPython 3.11 leaves a TaskGroup's parent with a pending cancellation in
    # some interleavings (its Task.uncancel() keeps _must_cancel; 3.13 fixed
    # it), and main then ends "cancelled" at its next await. Nothing in the
    # language cancels main except the LIMIT_MS scope, so such a result is
    # the oracle's bug, not an answer.
    r = json.loads(result)
    return "run" in r or r["out"].get("main") != "cancelled" or r["ev"]["main"][-1][1] == "limit"


def sound_orders(prog, seeds):
    got = [r for r in _dt_vloop.cpython_orders(prog, seeds) if _sound(r)]
    if not got:
        reject()  # no sound oracle result for this program
    return got


def check_cpython(prog, mine):
    check(prog, mine, sound_orders, KNOWN, "asyncio")


@settings(max_examples=3000 if STRESS else 300, **SETTINGS)
@given(_dt_gen.programs(asyncio_subset=True))
def test_zsync_mp_asyncio_matches_cpython_asyncio(prog):
    check_cpython(prog, _dt_aio.run_zs(prog))


@settings(max_examples=40 if STRESS else 8, **SETTINGS)
@given(st.lists(_dt_gen.programs(asyncio_subset=True), min_size=25, max_size=25))
def test_micropython_matches_cpython_and_asyncio(progs):
    for prog, mp in zip(progs, run_micropython("_dt_aio", progs)):
        assert mp == _dt_aio.run_zs(prog), "MicroPython differs from CPython on %s" % prog
        check_cpython(prog, mp)


if KNOWN:  # (no test, rather than an empty parametrize, when none is open)
    test_known_entries_still_fail = stale_check(KNOWN)
