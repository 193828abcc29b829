# machine: MicroPython's `machine` module on a simulated board, for CPython
# and the MicroPython unix port. Put zsync_mp_host/board first on sys.path or
# MICROPYPATH and apps `import machine` unchanged.
#
# Contract
# - Same names, signatures and constants as MicroPython's machine docs
#   (constants use ESP32 values). Misuse raises ValueError/TypeError naming
#   the bad argument.
# - The board comes from the JSON file in env ZSYNC_BOARD, else a default
#   board with 48 unwired pins; machine.board.load(path_or_dict) replaces it.
#   machine.board is host-only (test hooks, log, power states).
# - Time: while a zsync_mp loop runs, hardware events fire at their time on
#   the loop's clock (virtual or real) through one kernel timer entry.
#   Without a loop, events due by now fire at the next machine call or
#   machine-level sleep (lightsleep, idle, blocking UART reads); time.sleep()
#   alone does not fire them.
# - Resets (reset(), soft_reset(), deepsleep(), an unfed WDT) raise
#   machine.board.BoardReset, a SystemExit with code 100 + cause: 102 hard,
#   103 WDT, 104 deepsleep, 105 soft. Catch it in-process to continue with a
#   freshly powered-on board; the virtual board restarts its child and passes
#   the cause in env ZSYNC_RESET_CAUSE (what reset_cause() reports). A soft
#   reset leaves reset_cause() as it was (it is not a hardware reset).
# - Heap (board file "heap_kb", _simheap.py): loading this module costs the
#   program no heap, as the C `machine` of a board costs none; zsync_mp, which
#   it hooks into, is imported first and counts as the program's.
try:
    import zsync_mp  # noqa: F401 (imported first so it counts as the program's heap)
except ImportError:
    pass
import _simheap

_loan = _simheap.lend()
from _simmachine import *  # noqa: E402, F403 (machine is the simulated body, loaded after the heap pad is handed back)

_simheap.give_back(_loan)
del _loan
