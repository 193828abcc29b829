# Virtual board boot script: runs on MicroPython (`micropython -i` this file)
# before the REPL starts, as a board's firmware does before its prompt.
#
# Contract: mounts the board filesystem (env ZSYNC_VBOARD_FS, as a flash
# filesystem: _vboard_fs.py) at `/` and the ROM directory (env
# ZSYNC_VBOARD_ROM: simulated `machine`, frozen `zsync_mp`) read-only at
# `/rom`, sets sys.path like a device with ROMFS, gives `import micropython`
# what a board's has (board/_simmicropython.py), then runs `/boot.py` and, when
# ZSYNC_VBOARD_MAIN is "1", `/main.py` (a board skips main.py after a soft reset
# in raw REPL mode). Errors in those files are printed, never fatal: the REPL
# must come up. The marker written before boot.py tells the relay that
# MicroPython (not the CPython that hosts it) now handles SIGINT.
# With env ZSYNC_HEAP (board file "heap_kb") the heap left to the program is
# cut to the board's, after this script's own allocations (board/_simheap.py).
# These mounts keep ordinary paths (`..` included) inside the board, but they
# are not a boundary: board code can mount `vfs.VfsPosix()` or call
# os.system(). What keeps the host out of reach is the bubblewrap sandbox this
# runs in (_vboard_sandbox.py), where no host path but the board's exists.
import os
import sys
import vfs

from _vboard_fs import BoardFs  # next to this script (imported before `/` is mounted)

vfs.mount(BoardFs(os.getenv("ZSYNC_VBOARD_FS"), int(os.getenv("ZSYNC_VBOARD_FS_KB") or 0),
                  os.getenv("ZSYNC_VBOARD_FAULT") == "corrupt-writes"), "/")
vfs.mount(BoardFs(os.getenv("ZSYNC_VBOARD_ROM"), readonly=True), "/rom")
os.chdir("/")
sys.path.clear()
sys.path.extend(["", ".frozen", "/lib", "/rom/lib"])
import _simmicropython  # noqa: E402 (from /rom/lib, on the path only now): `micropython` as a board has it

_simmicropython.install()
del _simmicropython
if os.getenv("ZSYNC_HEAP"):
    import _simheap  # from /rom/lib

    _simheap.reserve(int(os.getenv("ZSYNC_HEAP")))
    del _simheap


# Run one board script in __main__'s globals; only SystemExit escapes (a reset).
def _zs_run_file(name):
    try:
        os.stat(name)  # noqa: F821 (os and sys leave these globals only after the last call, below)
    except OSError:
        return
    try:
        with open(name) as f:
            src = f.read()
        exec(compile(src, name, "exec"), globals())
    except SystemExit:
        raise
    except BaseException as e:
        sys.print_exception(e)  # noqa: F821 (see above)


sys.stdout.write("\x00zsync-boot\x00")  # the relay strips it: Ctrl-C is safe from here on
_zs_run_file("boot.py")
if os.getenv("ZSYNC_VBOARD_MAIN") == "1":
    _zs_run_file("main.py")
del _zs_run_file, os, sys, vfs, BoardFs
