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
# expected output tests/diff_<name>.exp is what its twin prints
# (tests/_dt_twins.py). While a defect is open its KNOWN entry lets programs
# that fail in its way pass; the entry must name its script, and once the
# script prints its .exp the entry is stale and test_known_entries_still_fail
# fails: remove it. ZSYNC_DIFF_STRICT=1 ignores KNOWN.
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import _dt_gen
import _dt_trio
import _dt_twins
import _dt_zs
from _dt_check import STRESS, check, expected, run_micropython, script_output


# Open defects: (regression script, why, does a mismatch look like it).
KNOWN = []  # none open (diff_group_exit_cancel and diff_cancel_grandchild were fixed)

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def check_trio(prog, mine):
    check(prog, mine, _dt_trio.run_orders, KNOWN, "trio")


@settings(max_examples=3000 if STRESS else 300, **SETTINGS)
@given(_dt_gen.programs())
def test_zsync_mp_matches_trio(prog):
    check_trio(prog, _dt_zs.run(prog))


@settings(max_examples=40 if STRESS else 8, **SETTINGS)
@given(st.lists(_dt_gen.programs(), min_size=25, max_size=25))
def test_micropython_matches_cpython_and_trio(progs):
    for prog, mp in zip(progs, run_micropython("_dt_zs", progs)):
        assert mp == _dt_zs.run(prog), "MicroPython differs from CPython on %s" % prog
        check_trio(prog, mp)


@pytest.mark.parametrize("name", sorted(_dt_twins.TWINS))
def test_exp_is_what_the_oracle_prints(name):
    # Every regression script's expected output is its twin's output (Trio's,
    # or CPython asyncio's for diff_aio_*), fixed defects' scripts included.
    assert _dt_twins.output(name) == expected(name)


def stale_check(known):
    # A KNOWN table's test: each entry's script must still miss its .exp
    # (used by test_diff_asyncio.py too).
    @pytest.mark.parametrize("script,why", [(s, w) for s, w, _ in known])
    def test_known_entries_still_fail(script, why):
        assert script in _dt_twins.TWINS, "KNOWN entry %s has no twin in tests/_dt_twins.py" % script
        assert script_output(script) != expected(script), (
            "tests/%s.py now prints its .exp: the defect (%s) is fixed; remove its KNOWN entry" % (script, why))

    return test_known_entries_still_fail


if KNOWN:  # (no test, rather than an empty parametrize, when none is open)
    test_known_entries_still_fail = stale_check(KNOWN)
