# zsync_mp_host/_run_boot.py: runs an app as __main__ for `zsync-mp run` in
# simulation: always on MicroPython (unix and WebAssembly), and on CPython with
# --virtual-time or a board file's "heap_kb".
#
#   <interpreter> zsync_mp_host/_run_boot.py APP [ARGS...]
#
# Contract: on MicroPython `import micropython` gets what a board's has first
# (board/_simmicropython.py). With env ZSYNC_HEAP the heap left to the app is
# cut to the board's first (board/_simheap.py: unix port only). With
# ZSYNC_VIRTUAL_TIME=1, every zs.run() that passes no clock gets a fresh
# zs.VirtualClock() (the kernel jumps it to the next timer when all tasks
# wait, so sleeps take no real time); the simulated board, when `machine` is
# importable, keeps virtual board time from the start, so scripted inputs
# land at their exact ms. sys.argv becomes [APP, ARGS...] and APP's
# directory heads sys.path.
# Covers zs.run and zsync_mp.sim; zsync_mp.asyncio.run keeps the real clock.
import os
import sys

try:
    import _simmicropython  # zsync_mp_host/board: `micropython` as a board has it
except ImportError:  # CPython: no micropython module to extend
    pass
else:
    _simmicropython.install()
if os.getenv("ZSYNC_HEAP"):
    import _simheap  # zsync_mp_host/board is on the path

    _simheap.reserve(int(os.getenv("ZSYNC_HEAP")))
_here = __file__.rsplit("/", 1)[0] if "/" in __file__ else "."
if len(sys.argv) < 2:
    print("usage: _run_boot.py APP [ARGS...]", file=sys.stderr)
    sys.exit(2)
_app = sys.argv[1]
sys.path[:] = [_app.rsplit("/", 1)[0] if "/" in _app else "."] + [p for p in sys.path if p != _here]
sys.argv[:] = sys.argv[1:]

if os.getenv("ZSYNC_VIRTUAL_TIME") == "1":
    import zsync_mp as _zs
    from zsync_mp.kernel import loop as _loop

    _real_run = _loop.run

    # zs.run with a VirtualClock unless the app brings its own clock.
    def _virtual_run(coro, clock=None, seed=None):
        return _real_run(coro, _zs.VirtualClock() if clock is None else clock, seed)

    _loop.run = _zs.run = _virtual_run
    try:
        import machine as _machine

        _machine.board.use_virtual_time()
    except (ImportError, AttributeError):
        pass  # no simulated board on the path: nothing to switch

with open(_app) as _f:
    _code = compile(_f.read(), _app, "exec")
exec(_code, {"__name__": "__main__", "__file__": _app})
