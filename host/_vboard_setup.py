# Virtual board set-up: finding the interpreter, checking the board file,
# building the /rom tree and the child's environment. Host-side only.
#
# /rom/lib holds symlinks to every module of host/board/ (the simulated
# `machine`, built into a real firmware) and, unless bare, to zsync_mp (as if
# frozen). The board file is copied to /rom/board.json: once `/` is mounted
# the child cannot reach host paths, so ZSYNC_BOARD names the board-side path.
import json
import os
import shutil
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BOOT_SCRIPT = os.path.join(HERE, "_vboard_boot.py")
MACHINE_DIR = os.path.join(HERE, "board")


class BoardError(Exception):
    """A virtual board cannot start (bad directory, board file or interpreter)."""


# The MicroPython unix binary next to this Python, or on PATH.
def find_micropython(path=None):
    if path:
        if not os.access(path, os.X_OK):
            raise BoardError("micropython not executable: %s" % path)
        return path
    cand = os.path.join(os.path.dirname(sys.executable), "micropython")
    if os.access(cand, os.X_OK):
        return cand
    found = shutil.which("micropython")
    if not found:
        raise BoardError("no micropython binary next to %s or on PATH" % sys.executable)
    return found


# Parse the board description early so a bad file fails here, not in the child.
def check_board_file(path):
    try:
        with open(path) as f:
            spec = json.load(f)
    except OSError as e:
        raise BoardError("cannot read board file %s: %s" % (path, e.strerror))
    except ValueError as e:
        raise BoardError("bad board file %s: %s" % (path, e))
    if not isinstance(spec, dict):
        raise BoardError("bad board file %s: not a JSON object" % path)
    return spec


# The /rom tree in a fresh temp dir; the caller removes it.
def make_rom(board, bare):
    rom = tempfile.mkdtemp(prefix="zsync-vboard-rom-")
    lib = os.path.join(rom, "lib")
    os.mkdir(lib)
    if os.path.isdir(MACHINE_DIR):
        for name in os.listdir(MACHINE_DIR):
            if name != "__pycache__":
                os.symlink(os.path.join(MACHINE_DIR, name), os.path.join(lib, name))
    if not bare:
        os.symlink(os.path.join(ROOT, "zsync_mp"), os.path.join(lib, "zsync_mp"))
    if board is not None:
        shutil.copyfile(board, os.path.join(rom, "board.json"))
    return rom
