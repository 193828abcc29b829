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
  zsync_mp_host/_run_boot.py, which gives zs.run() a VirtualClock and the board
  virtual time.
- Output streams through; the result is the app's exit status.
- Bad input raises SimError naming the problem; a missing interpreter
  raises interp.InterpreterError.
"""
import os

from zsync_mp_host import _install, interp
from zsync_mp_host import _vboard_setup as setup

BOOT = os.path.join(interp.HERE, "_run_boot.py")


class SimError(Exception):
    """A simulated run cannot start (no app, bad board file or seed), or failed."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


# Check a board file the way the simulated machine will read it.
def check_board(path):
    try:
        setup.check_board_file(path)
    except setup.BoardError as e:
        raise SimError(str(e), e.status)


def prepare(app, board=None, seed=None, virtual=False, args=()):
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
        check_board(board)
        env["ZSYNC_BOARD"] = board
        files.append(board)
    if seed is not None:
        if not isinstance(seed, int) or isinstance(seed, bool):
            raise SimError("seed must be an int, got %r" % (seed,))
        env["ZSYNC_SEED"] = str(seed)
    paths = [os.path.dirname(app), _install.import_root(), interp.BOARD]
    if virtual:
        return BOOT, [app] + list(args), paths, env, files
    return app, list(args), paths, env, files


def run_app(app, interpreter="micropython", board=None, seed=None, virtual=False, args=(), capture=False,
            timeout=None):
    """Run `app` in simulation; returns its exit status (capture=False) or
    (rc, out, err)."""
    interp.executable(interpreter)  # a missing interpreter fails before anything runs
    script, argv, paths, env, files = prepare(app, board, seed, virtual, args)
    rc, out, err = interp.run(interpreter, script, argv, paths, env, files, timeout=timeout, capture=capture)
    return (rc, out, err) if capture else rc
