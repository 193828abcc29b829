# Shared by tests/stress_*.py: sizes, memory accounting and the result line.
#
# Contract
# - size(small, big): `small` normally (make test: each script well under
#   10 s per interpreter), `big` when the environment has ZSYNC_STRESS=1
#   (make stress: the sizes issue 9 asks for).
# - Scripts print only deterministic lines on stdout (parity compares them).
#   Figures that differ by interpreter (peak memory, leaked bytes, seconds)
#   go to stderr as one line per run:
#   `STRESS name=<what> tried=<n> lost=<n> peak=<bytes> leak=<bytes> seed=<s>`
#   which tests/_stress_report.py turns into the `make stress` table.
# - Memory: MicroPython gc.mem_alloc() after gc.collect(); CPython tracemalloc
#   (started by track(), so plain runs pay nothing for it).
import gc
import sys

try:
    import micropython  # noqa: F401 (only: is this MicroPython?)
    MPY = True
except ImportError:
    MPY = False

try:
    import os

    STRESS = os.getenv("ZSYNC_STRESS") not in (None, "", "0")
except (ImportError, AttributeError):
    STRESS = False

_peak = [0]
_tm = None


def size(small, big):
    return big if STRESS else small


# Start memory accounting (CPython: tracemalloc).
def track():
    global _tm
    if not MPY and _tm is None:
        import tracemalloc

        _tm = tracemalloc
        _tm.start()


# Bytes allocated now, after a full collection.
def mem():
    gc.collect()
    if MPY:
        n = gc.mem_alloc()
    elif _tm is not None:
        n = _tm.get_traced_memory()[0]
    else:
        n = 0
    if n > _peak[0]:
        _peak[0] = n
    return n


# Sample live memory (MicroPython: collects first; call it sparingly).
def sample():
    if MPY:
        gc.collect()
        n = gc.mem_alloc()
        if n > _peak[0]:
            _peak[0] = n


def peak():
    if not MPY and _tm is not None:
        return _tm.get_traced_memory()[1]
    return _peak[0]


def reset_peak():
    _peak[0] = 0
    if not MPY and _tm is not None and hasattr(_tm, "reset_peak"):
        _tm.reset_peak()


# Leak verdict: what stays allocated after a run, beyond the baseline taken
# before it (both after a warm-up run, so caches and interned names exist).
# On the WebAssembly port gc.collect() inside a script only sets a flag (it
# runs when control returns to JS), so no verdict is possible: "unmeasured".
def leak_ok(before, after, slack=8192):
    if sys.platform == "webassembly":
        return "unmeasured"
    return after - before <= slack


def report(name, tried, lost, before, after, seed=0):
    print(
        "STRESS name=%s tried=%d lost=%d peak=%d leak=%d seed=%d"
        % (name, tried, lost, peak(), after - before, seed),
        file=sys.stderr,
    )


# A tiny deterministic PRNG (xorshift32): the same numbers on both interpreters.
class Rng:
    def __init__(self, seed):
        self.x = (seed & 0xFFFFFFFF) or 0x9E3779B9

    def next(self):
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x

    def below(self, n):
        return self.next() % n
