# The virtual board's flash filesystem, as a board shows it (runs on the
# MicroPython child, imported by _vboard_boot.py before `/` is mounted).
#
# Contract
# - A user VFS over VfsPosix on the board directory: listings carry sizes
#   (ilistdir 4-tuples, as FAT and littlefs give; VfsPosix gives none), and
#   with a capacity (board file "flash_fs_kb", env ZSYNC_VBOARD_FS_KB) the
#   filesystem fills up like flash: a write that does not fit raises
#   OSError(ENOSPC) and writes nothing, statvfs reports the capacity.
# - Paths are resolved here, as a board's own filesystem does: `.` and `..`
#   never climb above this filesystem's root (`/../x` is `/x`), so no path
#   reaches the host directory's parents. (That is not a sandbox: the child
#   can still mount an unrooted VfsPosix; _vboard_sandbox.py confines it.)
# - readonly (the /rom mount): every write raises OSError(EROFS).
# - Files opened for reading are VfsPosix's own (imports stay native); files
#   opened for writing are wrapped to count their bytes.
# - ZSYNC_VBOARD_FAULT=corrupt-writes flips one bit in the first byte of every
#   write: a board whose flash does not keep what it was sent (the deploy
#   path must notice by hash).
import io
import vfs

ENOSPC = 28
EROFS = 30
_DIR = 0x4000
_BLOCK = 512


def _join(d, name):
    return (d.rstrip("/") + "/" + name) if d not in ("", "/") else "/" + name


# An absolute path under this filesystem's root with `.`, `..` and `//` resolved.
def _clean(cwd, path):
    parts = []
    for p in (path if path.startswith("/") else cwd + "/" + path).split("/"):
        if p == "..":
            if parts:
                parts.pop()
        elif p and p != ".":
            parts.append(p)
    return "/" + "/".join(parts)


class _Writing(io.IOBase):
    # A file open for writing; its bytes count against the capacity.
    def __init__(self, fs, f):
        self.fs = fs
        self.f = f

    def write(self, b):
        fs = self.fs
        n = len(b)
        if fs.cap and fs.used + n > fs.cap:
            raise OSError(ENOSPC)
        if fs.corrupt and n:
            b = bytearray(b)
            b[0] ^= 1
        r = self.f.write(b)
        fs.used += r
        return r

    def readinto(self, b):
        return self.f.readinto(b)

    def read(self, n=-1):
        return self.f.read(n)

    def seek(self, off, whence=0):
        return self.f.seek(off, whence)

    def tell(self):
        return self.f.tell()

    def flush(self):
        self.f.flush()

    def close(self):
        self.f.close()

    def ioctl(self, req, arg):
        if req == 1:  # MP_STREAM_FLUSH
            self.f.flush()
            return 0
        if req == 4:  # MP_STREAM_CLOSE
            self.f.close()
            return 0
        return -22

    def __enter__(self):
        return self

    def __exit__(self, *a):
        self.f.close()


class BoardFs:
    def __repr__(self):
        return "<BoardFs %s>" % ("read-only" if self.ro else "%d KiB" % (self.cap // 1024) if self.cap else "unlimited")

    def __init__(self, root, cap_kb=0, corrupt=False, readonly=False):
        self.v = vfs.VfsPosix(root)
        self.root = root.rstrip("/")
        self.host = vfs.VfsPosix()  # for rename: see rename()
        self.cap = cap_kb * 1024
        self.corrupt = corrupt
        self.ro = readonly
        self.cwd = "/"
        self.used = 0 if readonly else self._du("/")

    def _p(self, path):
        return _clean(self.cwd, path)

    def _w(self, path):
        if self.ro:
            raise OSError(EROFS)
        return _clean(self.cwd, path)

    def _size(self, path):
        try:
            st = self.v.stat(path)
        except OSError:
            return 0
        return 0 if st[0] & _DIR else st[6]

    def _du(self, d):
        n = 0
        for e in self.v.ilistdir(d):
            p = _join(d, e[0])
            n += self._du(p) if e[1] == _DIR else self._size(p)
        return n

    def mount(self, readonly, mkfs):
        pass

    def umount(self):
        pass

    def ilistdir(self, path):
        path = self._p(path)
        it = self.v.ilistdir(path)  # raises now, as a board's does, if path is missing
        return self._sized(path, it)

    def _sized(self, path, it):
        for e in it:
            yield (e[0], e[1], 0, 0 if e[1] == _DIR else self._size(_join(path, e[0])))

    def open(self, path, mode):
        if "r" in mode and "+" not in mode:
            return self.v.open(self._p(path), mode)
        path = self._w(path)
        old = self._size(path) if "w" in mode else 0
        f = self.v.open(path, mode)
        self.used -= old
        return _Writing(self, f)

    def remove(self, path):
        path = self._w(path)
        n = self._size(path)
        self.v.remove(path)
        self.used -= n

    def rename(self, old, new):
        # VfsPosix with a root fails every rename with ENOENT in the PyPI
        # MicroPython 1.29 build; an unrooted one given host paths works.
        old, new = self._w(old), self._w(new)
        n = self._size(new)
        self.host.rename(self.root + old, self.root + new)
        self.used -= n

    def statvfs(self, path):
        if not self.cap:
            return self.v.statvfs(self._p(path))
        free = max(0, self.cap - self.used) // _BLOCK
        return (_BLOCK, _BLOCK, self.cap // _BLOCK, free, free, 0, 0, 0, 0, 255)

    def stat(self, path):
        return self.v.stat(self._p(path))

    def mkdir(self, path):
        self.v.mkdir(self._w(path))

    def rmdir(self, path):
        self.v.rmdir(self._w(path))

    def chdir(self, path):
        path = self._p(path)
        if not self.v.stat(path)[0] & _DIR:  # ENOENT from stat, as a board gives it
            raise OSError(20)  # ENOTDIR
        self.cwd = path

    def getcwd(self):
        return self.cwd
