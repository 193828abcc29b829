# Virtual board set-up: finding the interpreter, checking the board file,
# building the /rom tree and the child's command and environment. Host-side only.
#
# /rom/lib holds copies of every module of zsync_mp_host/board/ (the simulated
# `machine`, built into a real firmware) and, unless bare, of zsync_mp (as if
# frozen): copies, never links, so nothing the board does reaches the checkout.
# The board file is copied to /rom/board.json and ZSYNC_BOARD names that
# board-side path. The child's environment is built here from nothing: no host
# variable reaches the board.
import json
import os
import shutil
import sys
import tempfile

from zsync_mp_host import _install

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOOT_SCRIPT = os.path.join(HERE, "_vboard_boot.py")
MACHINE_DIR = os.path.join(HERE, "board")


class BoardError(Exception):
    """A virtual board cannot start (bad directory, board file or interpreter)."""

    def __init__(self, msg, status=1):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


# The MicroPython unix binary installed with zsync-mp (_install.find_tool), or the one asked for.
def find_micropython(path=None):
    if path:
        if not os.access(path, os.X_OK):
            raise BoardError("micropython not executable: %s" % path)
        return path
    try:
        return _install.need_micropython()
    except _install.SetupError as e:
        raise BoardError("%s; or pass --micropython PATH" % e)


# The whole board description checked on the host, when it is loaded, by the
# simulated machine's own loader: an error names the user's file and the key
# (inside the board the file is /rom/board.json, a name the user never gave).
def check_board_file(path):
    try:
        with open(path) as f:
            spec = json.load(f)
    except OSError as e:
        raise BoardError("cannot read board file %s: %s" % (path, e.strerror), 2)
    except ValueError as e:
        raise BoardError("bad board file %s: %s" % (path, e), 2)
    if not isinstance(spec, dict):
        raise BoardError("bad board file %s: not a JSON object" % path, 2)
    added = MACHINE_DIR not in sys.path
    if added:
        sys.path.insert(0, MACHINE_DIR)
    try:
        import _simboard

        _simboard.Board().load(spec)
    except _simboard.BoardError as e:
        raise BoardError("bad board file %s: %s" % (path, str(e).split(": ", 1)[-1]), 2)
    finally:
        if added:
            sys.path.remove(MACHINE_DIR)
    return spec


# The /rom tree (copies) in a fresh temp dir; the caller removes it.
def make_rom(board, bare):
    rom = tempfile.mkdtemp(prefix="zsync-vboard-rom-")
    lib = os.path.join(rom, "lib")
    skip = shutil.ignore_patterns("__pycache__")
    shutil.copytree(MACHINE_DIR, lib, ignore=skip)
    if not bare:
        shutil.copytree(os.path.join(ROOT, "zsync_mp"), os.path.join(lib, "zsync_mp"), ignore=skip)
    if board is not None:
        shutil.copyfile(board, os.path.join(rom, "board.json"))
    return rom


# The child's whole environment: the board's knobs and nothing from the host.
def child_env(fs, rom, fs_kb, cause, run_main, board, extra):
    env = dict(extra)
    env.update(ZSYNC_VBOARD_FS=fs, ZSYNC_VBOARD_FS_KB=str(fs_kb), ZSYNC_VBOARD_ROM=rom,
               ZSYNC_VBOARD_MAIN="1" if run_main else "0", ZSYNC_RESET_CAUSE=str(cause))
    if board is not None:
        env["ZSYNC_BOARD"] = "/rom/board.json"
    return env
