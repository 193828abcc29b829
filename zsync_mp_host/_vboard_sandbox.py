# The virtual board's confinement: the MicroPython child runs under
# bubblewrap (Debian `bubblewrap`), so it sees its filesystem and nothing
# else of the host. Host-side only.
#
# Contract: inside the sandbox the child sees
#   /board   the board's filesystem, read-write (the only writable host path)
#   /rom     the ROM copy (simulated machine, frozen zsync_mp, board.json), read-only
#   /zsync   the boot script, the flash filesystem and the launcher, read-only
#   the interpreter: the Python that hosts the PyPI MicroPython (its lib/ and
#   executable), its venv, and the shared libraries (/usr/lib, /lib*), read-only
#   /dev     a minimal one (null, zero, urandom, tty), from bwrap
# and nothing else: no /etc, /home, /tmp, /proc, no shell. New user, pid, ipc,
# uts, cgroup and network namespaces (`--unshare-all`); the network is shared
# only when the board file says `"network": true`. The environment is what the
# relay passes (no host variables). The root is a read-only tmpfs.
#
# bwrap reports a child killed by signal N as exit status 128+N, which a
# sys.exit(139) would also give, so the sandboxed command is _vboard_launch.py:
# it forks MicroPython, waits, and writes the true status to a pipe.
#
# Deliberately not done: seccomp filters. MicroPython's `ffi` module is absent
# in the PyPI build; whatever a board program does is bounded by the mounts.
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
BOOT_FILES = ("_vboard_boot.py", "_vboard_fs.py", "_vboard_launch.py")
BOARD, ROM, BOOT = "/board", "/rom", "/zsync"
LIB_DIRS = ("/lib", "/lib64", "/lib32", "/libx32", "/usr/lib", "/usr/lib64", "/usr/lib32", "/usr/libx32")
NET_FILES = ("/etc/resolv.conf", "/etc/hosts", "/etc/nsswitch.conf", "/etc/gai.conf")
INSTALL_HINT = "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap)"
OPT_IN = ("The virtual board runs only confined; to run it anyway as an ordinary host process (board code "
          "can then read and write your files) pass --unconfined or set ZSYNC_VBOARD_UNCONFINED=1")
UNCONFINED_WARNING = ("WARNING: running UNCONFINED (no sandbox): board code and mpremote can read and write "
                      "host files outside %s, run host commands and see the host environment")

_probed = {}


class SandboxUnavailable(Exception):
    """bwrap is missing or cannot create namespaces here; the message says which."""


# The bwrap binary, checked once per process by running a trivial sandbox.
def find_bwrap(path=None):
    path = path or shutil.which("bwrap")
    if not path:
        raise SandboxUnavailable("bwrap (bubblewrap) not found on PATH: %s. %s" % (INSTALL_HINT, OPT_IN))
    if path not in _probed:
        probe = [path, "--unshare-all", "--ro-bind", "/", "/", "--", sys.executable, "-S", "-c", ""]
        try:
            r = subprocess.run(probe, capture_output=True, text=True, timeout=30, stdin=subprocess.DEVNULL)
            _probed[path] = None if r.returncode == 0 else (r.stderr.strip() or "exit status %d" % r.returncode)
        except (OSError, subprocess.TimeoutExpired) as e:
            _probed[path] = str(e)
    if _probed[path]:
        raise SandboxUnavailable("bwrap at %s cannot create a sandbox here: %s. %s" % (path, _probed[path], OPT_IN))
    return path


# The Python interpreter in a "#!" first line, if the file is a Python script.
def script_interpreter(path):
    try:
        with open(path, "rb") as f:
            head = f.readline(512)
    except OSError:
        return None
    if not head.startswith(b"#!") or b"python" not in head:
        return None
    interp = head[2:].decode(errors="replace").split()
    return interp[0] if interp and os.path.isabs(interp[0]) else None


# Every symlink from path to the file it names, then that file (all with real directories).
def _hops(path):
    hops = []
    p = os.path.join(os.path.realpath(os.path.dirname(path)), os.path.basename(path))
    while os.path.islink(p) and len(hops) < 40:
        hops.append(p)
        nxt = os.path.join(os.path.dirname(p), os.readlink(p))
        p = os.path.join(os.path.realpath(os.path.dirname(nxt)), os.path.basename(nxt))
    return hops + [p]


# Read-only binds that let `python` start: its executable (through every
# symlink), its prefix's lib/, and its venv (pyvenv.cfg two levels up).
def _python_binds(python):
    real = os.path.realpath(python)
    paths = _hops(python) + [os.path.join(os.path.dirname(os.path.dirname(real)), "lib")]
    venv = os.path.dirname(os.path.dirname(python))
    if os.path.exists(os.path.join(venv, "pyvenv.cfg")):
        paths.append(os.path.realpath(venv))
    return paths


def _ro(args, path):
    if os.path.islink(path):
        args += ["--symlink", os.readlink(path), path]
    elif os.path.exists(path):
        args += ["--ro-bind", path, path]


# argv that runs `micropython [OPTS] -i boot` confined; status_fd receives the exit status.
def command(bwrap, micropython, fs, rom, status_fd, network=False, opts=()):
    python = script_interpreter(micropython)
    launcher_python = python or sys.executable
    args = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--as-pid-1"]
    if network:
        args.append("--share-net")
    for d in LIB_DIRS:
        _ro(args, d)
    # A venv's bin/python is a symlink: run it by its real venv path so it finds pyvenv.cfg.
    venv = os.path.dirname(os.path.dirname(launcher_python))
    runner = launcher_python
    if os.path.exists(os.path.join(venv, "pyvenv.cfg")):
        runner = os.path.join(os.path.realpath(venv), "bin", os.path.basename(launcher_python))
    target = os.path.realpath(micropython)
    binds = _python_binds(launcher_python) + _hops(micropython)
    for p in sorted(set(binds)):
        if not any(p != q and p.startswith(q.rstrip("/") + "/") for q in binds):
            _ro(args, p)
    if network:
        for f in NET_FILES:
            if os.path.exists(f):
                args += ["--ro-bind", os.path.realpath(f), f]
    for name in BOOT_FILES:
        args += ["--ro-bind", os.path.join(HERE, name), BOOT + "/" + name]
    args += ["--dev", "/dev", "--bind", fs, BOARD, "--ro-bind", rom, ROM, "--remount-ro", "/", "--chdir", "/"]
    return args + ["--", runner, "-I", BOOT + "/_vboard_launch.py", str(status_fd),
                   "exec" if python is None else "script", target] + list(opts) + ["-i", BOOT + "/_vboard_boot.py"]
