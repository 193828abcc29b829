"""The three interpreters a script runs on: CPython, the MicroPython unix port
and MicroPython WebAssembly (npm @micropython/micropython-webassembly-pyscript
under Node, through zsync_mp_host/wasm/run.mjs).

    rc, out, err = interp.run("wasm", "tests/x.py", paths=[ROOT, BOARD], env={"ZSYNC_SEED": "3"})

Contract
- `paths` go first on the import path (PYTHONPATH, MICROPYPATH, run.mjs
  --path); the script's own directory is on it too, as usual.
- `env` adds environment variables; on WebAssembly (which has no getenv of
  its own) os.getenv() sees them and every ZSYNC_* variable of this process.
- `files` are extra files the script reads by absolute path (a board file):
  the WebAssembly FS is in memory, so run.mjs copies them in.
- A missing interpreter raises InterpreterError saying what to install;
  nothing is skipped silently. `micropython` and the npm package are looked
  up as _install.py says: beside the running Python first (an installed
  zsync-mp works without its venv activated), and for WebAssembly in the
  checkout (`make setup`) or where `zsync-mp setup-wasm` put it.
- run() returns (rc, out, err). `timeout` bounds the script's run time:
  a script still running then is stopped, rc is None and err's last line
  says "timed out after Ns" (once, whichever interpreter). With
  capture=False output streams through and out/err are None.
"""
import json
import os
import subprocess
import sys

from zsync_mp_host import _install
from zsync_mp_host._install import HERE, ROOT, VENV_BIN, WASM_RUNNER  # noqa: F401 (public names)

BOARD = os.path.join(HERE, "board")  # the simulated machine module
NAMES = ("cpython", "micropython", "wasm")
MICROPY_HEAP = "2M"
WASM_GRACE = 10  # seconds: Node's start, before run.mjs's own timer runs


class InterpreterError(_install.SetupError):
    """An interpreter is unknown or not installed."""


# The executable for `name` (node for wasm), or InterpreterError saying what to install.
def executable(name):
    if name == "cpython":
        cand = os.path.join(VENV_BIN, "python")
        return cand if os.access(cand, os.X_OK) else sys.executable
    try:
        if name == "micropython":
            return _install.need_micropython()
        if name == "wasm":
            node = _install.find_node()
            _install.wasm_npm_dir()
            return node
    except _install.SetupError as e:
        raise InterpreterError(str(e))
    raise InterpreterError("unknown interpreter %r (choose from %s)" % (name, ", ".join(NAMES)))


# (argv, environment) that run `script` on `name`.
def command(name, script, args=(), paths=(), env=None, files=(), cwd=None, timeout=None):
    exe = executable(name)
    full = dict(os.environ)
    full.update(env or {})
    paths = [os.path.abspath(p) for p in paths]
    if name == "cpython":
        full["PYTHONPATH"] = os.pathsep.join(paths)
        return [exe, script] + list(args), full
    if name == "micropython":
        full["MICROPYPATH"] = ":".join(paths + [".frozen"])
        return [exe, "-X", "heapsize=" + MICROPY_HEAP, script] + list(args), full
    argv = [exe, WASM_RUNNER]
    npm_dir = _install.wasm_npm_dir()
    if npm_dir != _install.WASM_DIR:
        argv += ["--npm-dir", npm_dir]
    for p in paths:
        argv += ["--path", p]
    for f in files:
        argv += ["--file", os.path.abspath(f)]
    for k in sorted(env or {}):
        argv += ["--env", "%s=%s" % (k, env[k])]
    if cwd:
        argv += ["--cwd", os.path.abspath(cwd)]
    if timeout:
        argv += ["--timeout", str(timeout)]  # run.mjs stops a hung wasm script itself
    return argv + [os.path.abspath(script)] + list(args), full


def run(name, script, args=(), paths=(), env=None, files=(), cwd=None, timeout=None, capture=True):
    """Run `script` on interpreter `name`; (rc, out, err), see the contract."""
    argv, full = command(name, script, args, paths, env, files, cwd, timeout)
    # run.mjs stops a hung WebAssembly script itself (rc 124); the grace covers Node's start.
    limit = None if timeout is None else timeout + (WASM_GRACE if name == "wasm" else 0)
    if not capture:
        p = subprocess.Popen(argv, env=full, cwd=cwd)
        try:
            rc = p.wait(timeout=limit)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()
            return None, None, None
        return (None if name == "wasm" and rc == 124 else rc), None, None
    try:
        p = subprocess.run(argv, cwd=cwd, env=full, capture_output=True, stdin=subprocess.DEVNULL, timeout=limit)
    except subprocess.TimeoutExpired as e:
        return None, _text(e.stdout), _timed_out(_text(e.stderr), timeout)
    rc = None if (name == "wasm" and p.returncode == 124) else p.returncode
    err = _text(p.stderr)
    return rc, _text(p.stdout), (_timed_out(err, timeout) if rc is None else err)


# err with one closing "timed out" line (run.mjs may have written its own).
def _timed_out(err, timeout):
    if "timed out after %gs]" % timeout in err:
        return err
    return err + ("" if not err or err.endswith("\n") else "\n") + "[timed out after %gs]\n" % timeout


# Subprocess bytes as text with \n line ends (a pty or Windows may add \r).
def _text(b):
    return (b or b"").decode("utf-8", "replace").replace("\r\n", "\n")


def wasm_batch(scripts, paths=(), env=None, timeout=None, jobs=1, cwd=None):
    """Run many scripts on WebAssembly from one Node process (each in a fresh
    interpreter). Returns {abspath: (rc, out, err)}; rc None = timed out."""
    argv, full = command("wasm", scripts[0], (), paths, env, (), cwd, timeout)
    argv = argv[:-1] + ["--batch", "--jobs", str(jobs)] + [os.path.abspath(s) for s in scripts]
    p = subprocess.run(argv, cwd=cwd, env=full, capture_output=True, stdin=subprocess.DEVNULL)
    res = {}
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        rc = None if r["rc"] == 124 else r["rc"]
        err = _timed_out(r["err"], timeout) if rc is None else r["err"]
        res[r["script"]] = (rc, r["out"].replace("\r\n", "\n"), err)
    if p.returncode != 0 and not res:
        raise InterpreterError("zsync_mp_host/wasm/run.mjs failed (rc=%d): %s" % (p.returncode, _text(p.stderr).strip()))
    return res
