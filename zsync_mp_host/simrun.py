"""`zsync-mp run app.py` without --port: the app runs in simulation on the
host, on CPython, the MicroPython unix port or MicroPython WebAssembly.

Contract
- The import path is the app's directory, the directory zsync_mp is
  imported from (the checkout, or a link to the installed package:
  _install.import_root()) and zsync_mp_host/board (the simulated `machine`);
  apps import both unchanged.
- board=FILE: validated here first (JSON and every entry, with the simulated
  board's own loader), then passed as env ZSYNC_BOARD. seed=N: env
  ZSYNC_SEED (zs.run picks it up). virtual=True: the app starts through
  zsync_mp_host/_run_boot.py (env ZSYNC_VIRTUAL_TIME=1), which gives zs.run()
  a VirtualClock and the board virtual time.
- A board file with "heap_kb": the app starts through _run_boot.py too, which
  first cuts the heap left to it to the board's (zsync_mp_host/_heap.py; on
  the MicroPython unix port, whose heap is interp.MICROPY_HEAP: a board
  whose heap does not fit in it is refused).
- On MicroPython (unix and WebAssembly) the app always starts through
  _run_boot.py, which gives `import micropython` what a board's has
  (board/_simmicropython.py: alloc_emergency_exception_buf).
- Output streams through; the result is the app's exit status.
- Bad input raises SimError naming the problem; a missing interpreter
  raises interp.InterpreterError.
"""
import os

from zsync_mp_host import _heap, _install, interp
from zsync_mp_host import _vboard_setup as setup

BOOT = os.path.join(interp.HERE, "_run_boot.py")


class SimError(Exception):
    """A simulated run cannot start (no app, bad board file or seed), or failed."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


# Check a board file the way the simulated machine will read it; its spec.
def check_board(path):
    try:
        spec = setup.check_board_file(path)
    except setup.BoardError as e:
        raise SimError(str(e), e.status)
    heap = spec.get("heap_kb")
    if heap is not None and _heap.unix_heap_kb(heap) > _heap.size_kb(interp.MICROPY_HEAP):
        raise SimError("board file %s: heap_kb %d needs a %d KiB unix-port heap, more than simulation's %s: "
                       "run it on a virtual board (--port virtual)" % (path, heap, _heap.unix_heap_kb(heap),
                                                                       interp.MICROPY_HEAP))
    return spec


def prepare(app, board=None, seed=None, virtual=False, args=(), interpreter=None):
    """(script, args, paths, env, files) that run `app` in simulation."""
    app = os.path.abspath(app)
    try:
        with open(app):
            pass
    except OSError as e:
        raise SimError("cannot read app %s: %s" % (app, e.strerror))
    env = {}
    files = []
    if board is not None:
        board = os.path.abspath(board)
        env.update(_heap.env(check_board(board).get("heap_kb")))
        env["ZSYNC_BOARD"] = board
        files.append(board)
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise SimError("seed must be an int, got %r" % (seed,))
        env["ZSYNC_SEED"] = str(seed)
    paths = [os.path.dirname(app), _install.import_root(), interp.BOARD]
    if virtual:
        env["ZSYNC_VIRTUAL_TIME"] = "1"
    if virtual or _heap.ENV in env or interpreter in ("micropython", "wasm"):
        return BOOT, [app] + list(args), paths, env, files
    return app, list(args), paths, env, files


def run_app(app, interpreter="micropython", board=None, seed=None, virtual=False, args=(), capture=False,
            timeout=None):
    """Run `app` in simulation; returns its exit status (capture=False) or
    (rc, out, err)."""
    interp.executable(interpreter)  # a missing interpreter fails before anything runs
    script, argv, paths, env, files = prepare(app, board, seed, virtual, args, interpreter)
    rc, out, err = interp.run(interpreter, script, argv, paths, env, files, timeout=timeout, capture=capture)
    return (rc, out, err) if capture else rc
