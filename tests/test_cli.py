# `zsync-mp` deploy/run/sim/board against a virtual board through mpremote's
# API: copies only what changed (by sha256 on the board), removes stale
# modules, .mpy deploys import, and each misuse gets a one-line error.
import filecmp
import io
import os
import random
import signal
import subprocess
import sys

import pytest

from zsync_mp_host import deploy as dp
from zsync_mp_host import vboard
from test_vboard import mpremote

ROOT = vboard.ROOT
CLI = [sys.executable, "-m", "zsync_mp_host.cli"]


def cli(*args, timeout=120):
    return subprocess.run(CLI + list(args), capture_output=True, text=True, timeout=timeout,
                          cwd=ROOT, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def board(tmp_path_factory):
    b = vboard.VirtualBoard(str(tmp_path_factory.mktemp("boardfs")), bare=True, log=open(os.devnull, "w"))
    b.start()
    yield b
    b.stop()


@pytest.fixture
def pkg(tmp_path):
    src = tmp_path / "zpkg"
    (src / "sub").mkdir(parents=True)
    (src / "__init__.py").write_text("from zpkg.core import answer\n")
    (src / "core.py").write_text("def answer():\n    return 42\n")
    (src / "sub" / "__init__.py").write_text("")
    (src / "sub" / "leaf.py").write_text("LEAF = 'leaf'\n")
    (src / "notes.txt").write_text("not a module\n")
    return src


def deploy(board, src, **kw):
    out = io.StringIO()
    res = dp.deploy(board.port, src=str(src), out=out, **kw)
    return res, out.getvalue()


def test_deploy_twice_then_change(board, pkg):
    dest = os.path.join(board.fs, "lib", "zpkg")
    res, out = deploy(board, pkg)
    assert res.copied == ["__init__.py", "core.py", "sub/__init__.py", "sub/leaf.py"]
    assert "4 copied, 0 unchanged" in out and "verified by sha256" in out
    assert filecmp.cmp(str(pkg / "core.py"), os.path.join(dest, "core.py"), shallow=False)
    res, out = deploy(board, pkg)
    assert res.copied == [] and len(res.skipped) == 4
    assert "skipped /lib/zpkg/core.py (unchanged)" in out
    with open(os.path.join(dest, "sub", "leaf.py"), "a") as f:
        f.write("# changed on the board\n")  # the board's copy no longer matches
    (pkg / "core.py").write_text("def answer():\n    return 43\n")
    with open(os.path.join(dest, "old.py"), "w") as f:
        f.write("stale = 1\n")
    res, _ = deploy(board, pkg)
    assert res.copied == ["core.py", "sub/leaf.py"] and res.removed == ["old.py"]
    assert not os.path.exists(os.path.join(dest, "old.py"))
    assert os.path.exists(os.path.join(dest, "..", "..", "lib", "zpkg", "__init__.py"))
    r = mpremote(board.port, "exec", "import zpkg, zpkg.sub.leaf; print(zpkg.answer(), zpkg.sub.leaf.LEAF)")
    assert r.stdout == "43 leaf\n"


def test_deploy_mpy_replaces_py(board, pkg):
    deploy(board, pkg, dest="/lib/zm")
    res, _ = deploy(board, pkg, dest="/lib/zm", mpy="bytecode")
    assert res.copied == ["__init__.mpy", "core.mpy", "sub/__init__.mpy", "sub/leaf.mpy"]
    assert sorted(res.removed) == ["__init__.py", "core.py", "sub/__init__.py", "sub/leaf.py"]
    with open(os.path.join(board.fs, "lib", "zm", "core.mpy"), "rb") as f:
        assert f.read(1) == b"M"  # the .mpy header
    r = mpremote(board.port, "exec", "import sys; sys.path.insert(0, '/lib/zm')\n"
                 "import core; print(core.answer(), core.__file__)")
    assert r.stdout == "42 /lib/zm/core.mpy\n"
    # A module deleted from the package, nothing else changed: the update
    # only removes (it failed with "hashing on the board failed: KeyError:
    # _zs_p": no staged file to verify).
    (pkg / "sub" / "leaf.py").unlink()
    res, out = deploy(board, pkg, dest="/lib/zm", mpy="bytecode")
    assert res.copied == [] and res.removed == ["sub/leaf.mpy"], out
    assert not os.path.exists(os.path.join(board.fs, "lib", "zm", "sub", "leaf.mpy"))


def test_deploy_x64_native_imports(board, pkg):
    deploy(board, pkg, dest="/lib/zn", mpy="x64")
    r = mpremote(board.port, "exec", "import sys; sys.path.insert(0, '/lib/zn')\nimport core; print(core.answer())")
    assert r.stdout == "42\n"


def test_compile_error_names_the_file(board, pkg):
    (pkg / "bad.py").write_text("def broken(:\n")
    with pytest.raises(dp.DeployError, match="mpy-cross failed on .*bad.py"):
        deploy(board, pkg, mpy="bytecode")


def test_run_streams_output_and_status(board, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("for i in range(3):\n    print('line', i)\n")
    r = cli("run", "--port", board.port, str(app))
    assert (r.returncode, r.stdout) == (0, "line 0\nline 1\nline 2\n")
    app.write_text("print('before')\nraise ValueError('boom')\n")
    r = cli("run", "--port", board.port, str(app))
    assert r.returncode == 1 and r.stdout == "before\n" and "ValueError: boom" in r.stderr


def test_run_on_board_without_zsync_mp(board, tmp_path):
    app = tmp_path / "app.py"
    app.write_text("import zsync_mp\n")
    r = cli("run", "--port", board.port, str(app))
    assert r.returncode == 1
    assert "has no zsync_mp: run `zsync-mp deploy --port %s` first" % board.port in r.stderr


def test_deploy_app_and_virtual_port(tmp_path):
    fs = tmp_path / "fs"
    app = tmp_path / "main_app.py"
    app.write_text("print('app')\n")
    r = cli("deploy", "--port", "virtual", "--fs", str(fs), "--app", str(app))
    assert r.returncode == 0, r.stderr
    assert (fs / "main_app.py").read_text() == "print('app')\n"
    assert filecmp.cmp(os.path.join(dp.PACKAGE, "kernel", "core.py"), str(fs / "lib" / "zsync_mp" / "kernel" / "core.py"), shallow=False)


def test_misuse(tmp_path):
    r = cli("deploy", "--port", "/dev/no-such-tty")
    assert (r.returncode, r.stderr) == (1, "zsync-mp: no such port: /dev/no-such-tty\n")
    master, slave = os.openpty()  # a port with only garbage behind it
    try:
        os.write(master, random.Random(1).randbytes(300))
        r = cli("deploy", "--port", os.ttyname(slave), "--timeout", "1")
        assert r.returncode == 1 and "did not answer" in r.stderr
    finally:
        os.close(master)
        os.close(slave)
    bad = tmp_path / "b.json"
    bad.write_text("[1,")
    r = cli("run", "--port", "virtual", "--board", str(bad), "x.py")
    assert r.returncode == 2 and "bad board file" in r.stderr
    r = cli("deploy", "--port", "virtual", "--src", str(tmp_path / "nope"))
    assert r.returncode == 2 and "package directory not found" in r.stderr
    r = cli("run", "--port", "virtual", str(tmp_path / "missing.py"))
    assert r.returncode == 2 and "cannot read app" in r.stderr


class _StopOnFirstCopy(io.StringIO):
    def __init__(self, board):
        super().__init__()
        self.board = board

    def write(self, text):
        if text.startswith("copied"):
            self.board.stop()  # the board vanishes in the middle of the deploy
        return super().write(text)


def board_files(fs):
    # {relative path: bytes} of everything on a virtual board's filesystem.
    out = {}
    for d, _dirs, names in os.walk(fs):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, fs)] = f.read()
    return out


def test_board_vanishing_mid_deploy(tmp_path, pkg):
    fs = str(tmp_path / "fs")
    b = vboard.VirtualBoard(fs, bare=True, log=open(os.devnull, "w"))
    port = b.start()
    try:
        with pytest.raises(dp.DeployError, match="board at %s failed during deploy" % port):
            dp.deploy(port, src=str(pkg), out=_StopOnFirstCopy(b), timeout=2)
    finally:
        b.stop()
    # Nothing half-copied under a module's name: only .part files, if anything.
    assert [p for p in board_files(fs) if not p.endswith(".part")] == []
    b = vboard.VirtualBoard(fs, bare=True, log=open(os.devnull, "w"))
    b.start()
    try:
        res, _ = deploy(b, pkg)  # the next deploy completes and clears the leftovers
    finally:
        b.stop()
    assert len(res.copied) == 4 and not [p for p in board_files(fs) if p.endswith(".part")]


def test_full_filesystem_keeps_the_previous_files(tmp_path, pkg, monkeypatch):
    # A 16 KiB flash filesystem: version 1 fits, a 40 KB module does not
    # (test_deploy_space.py covers updates that fit only file by file).
    fs = str(tmp_path / "fs")
    b = vboard.VirtualBoard(fs, bare=True, fs_kb=16, log=open(os.devnull, "w"))
    b.start()
    try:
        deploy(b, pkg)
        v1 = board_files(fs)
        r = mpremote(b.port, "df")
        assert "16384" in r.stdout, r.stdout  # the board reports its capacity
        (pkg / "core.py").write_text("def answer():\n    return 2\n" + "# padding\n" * 4000)
        with pytest.raises(dp.DeployError, match=r"not enough room on the board at .* for this update: it needs 40\d+ "
                                                 r"bytes free, os.statvfs\('/lib/zpkg'\) reports 1\d+; nothing was changed"):
            deploy(b, pkg)
        assert board_files(fs) == v1  # no partial core.py, no .part left behind
        r = mpremote(b.port, "exec", "import zpkg; print(zpkg.answer())")
        assert r.stdout == "42\n"
        # Flash that holds less than the plan counted (a filesystem's own
        # overhead): the staged files are installed, the one that does not fit
        # is not, and the error says what was free.
        monkeypatch.setattr(dp.board, "peak", lambda steps, block: 0)
        (pkg / "sub" / "leaf.py").write_text("LEAF = 'leaf 2'\n")
        with pytest.raises(dp.DeployError, match=r"board filesystem full while copying /lib/zpkg/core.py \(40\d+ bytes\): "
                                                 r"os.statvfs\('/lib/zpkg'\) reports 1\d+ bytes free; those keep their "
                                                 r"previous versions \(1 already updated\)$"):
            deploy(b, pkg)
        assert board_files(fs) == dict(v1, **{os.path.join("lib", "zpkg", "sub", "leaf.py"): b"LEAF = 'leaf 2'\n"})
    finally:
        b.stop()


def test_copy_that_does_not_verify_is_not_installed(tmp_path, pkg):
    # A board whose flash corrupts what it is sent: deploy fails by sha256 and
    # the modules already there stay as they were.
    fs = tmp_path / "fs"
    (fs / "lib" / "zpkg").mkdir(parents=True)
    (fs / "lib" / "zpkg" / "core.py").write_text("def answer():\n    return 1\n")
    before = board_files(str(fs))
    b = vboard.VirtualBoard(str(fs), bare=True, env={"ZSYNC_VBOARD_FAULT": "corrupt-writes"}, log=open(os.devnull, "w"))
    b.start()
    try:
        # (sub/__init__.py is empty: nothing to corrupt, yet it is not installed either)
        with pytest.raises(dp.DeployError, match=r"sha256 mismatch on the board after copying 3 of 4 files: "
                                                 r"__init__.py, core.py, sub/leaf.py; the board keeps"):
            deploy(b, pkg)
    finally:
        b.stop()
    assert board_files(str(fs)) == before


def test_board_listing_shows_sizes(board):
    with open(os.path.join(board.fs, "sized.bin"), "wb") as f:
        f.write(b"x" * 1234)
    r = mpremote(board.port, "ls", ":")
    assert any(line.split() == ["1234", "sized.bin"] for line in r.stdout.splitlines()), r.stdout


def test_board_command(tmp_path):
    pty_file = tmp_path / "pty"
    proc = subprocess.Popen(CLI + ["board", "--fs", str(tmp_path / "fs"), "--pty-file", str(pty_file)],
                            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, text=True)
    try:
        port = proc.stdout.readline().strip()
        assert mpremote(port, "exec", "import zsync_mp; print(zsync_mp.__name__)").stdout == "zsync_mp\n"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_sim_runs_the_demo_like_cpython():
    app = os.path.join(ROOT, "examples", "sensor_pipeline.py")
    cp = subprocess.run([sys.executable, app], capture_output=True, text=True, timeout=60,
                        env=dict(os.environ, PYTHONPATH=ROOT))
    assert cp.returncode == 0 and "all tasks stopped" in cp.stdout
    r = cli("sim", "examples/sensor_pipeline.py", "--seed", "7")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "files verified by sha256 on the board" in r.stdout
    assert cp.stdout in r.stdout  # the same trace, through deploy + mpremote
    assert r.stdout.endswith("== board stopped; app exit status 0\n")


def test_sim_passes_seed_to_the_board(tmp_path):
    app = tmp_path / "seed_app.py"
    app.write_text("import os\nprint('seed', os.getenv('ZSYNC_SEED'))\n")
    r = cli("sim", str(app), "--seed", "5")
    assert r.returncode == 0 and "\nseed 5\n" in r.stdout


# --- `zsync-mp run` in simulation and `zsync-mp parity` (zsync_mp_host/simrun.py, zsync_mp_host/parity3.py) ---

SIM_APP = """import os, sys
import machine
import zsync_mp as zs

flag = zs.Flag()
machine.Pin("BTN", machine.Pin.IN).irq(lambda p: flag.set(), machine.Pin.IRQ_RISING)


async def main():
    await flag.wait()
    print("press seen at", zs.ticks_ms())
    await zs.sleep_ms(60000)
    print("a minute later at", zs.ticks_ms(), "seed", os.getenv("ZSYNC_SEED"), "args", sys.argv[1:])


zs.run(main())
"""
SIM_BOARD = '{"pins": {"BTN": 0}, "inputs": [{"pin": "BTN", "at_ms": 1500, "level": 1}]}'


@pytest.fixture
def sim_app(tmp_path):
    (tmp_path / "app.py").write_text(SIM_APP)
    (tmp_path / "board.json").write_text(SIM_BOARD)
    return tmp_path


@pytest.mark.parametrize("interpreter", ["cpython", "micropython", "wasm"])
def test_run_in_simulation_with_virtual_time(sim_app, interpreter):
    r = cli("run", str(sim_app / "app.py"), "--interpreter", interpreter, "--virtual-time",
            "--seed", "9", "--board", str(sim_app / "board.json"), timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "press seen at 1500\na minute later at 61500 seed 9 args []\n"


# ESP32 and STM32 builds have micropython.alloc_emergency_exception_buf, the
# first line of ISR code written to MicroPython's rules; the unix and
# WebAssembly ports lack it, and a simulated run gives it (board/_simmicropython.py).
EMERGENCY_APP = """import gc
import micropython
from micropython import const

N = const(1000)
gc.collect()
free = gc.mem_free()
micropython.alloc_emergency_exception_buf(N)
print("took its bytes:", free - gc.mem_free() >= N)
for bad in ("100", 1.5, None):
    try:
        micropython.alloc_emergency_exception_buf(bad)
    except TypeError as e:
        print("TypeError:", e)
micropython.alloc_emergency_exception_buf(0)
micropython.heap_lock()
micropython.heap_unlock()
print("done")
"""


@pytest.mark.parametrize("interpreter", ["micropython", "wasm"])
def test_run_in_simulation_has_a_boards_micropython_module(tmp_path, interpreter):
    (tmp_path / "isr.py").write_text(EMERGENCY_APP)
    r = cli("run", str(tmp_path / "isr.py"), "--interpreter", interpreter, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == [
        "took its bytes: True",
        "TypeError: alloc_emergency_exception_buf: size must be an int, got str",
        "TypeError: alloc_emergency_exception_buf: size must be an int, got float",
        "TypeError: alloc_emergency_exception_buf: size must be an int, got NoneType",
        "done"]


def test_parity_runs_scripts_as_run_does(tmp_path):
    # `zsync-mp parity` runs each interpreter's copy as `zsync-mp run` would:
    # MicroPython's through _run_boot.py, with the board's micropython module.
    app = tmp_path / "isr_parity.py"
    app.write_text("try:\n    import micropython\n    micropython.alloc_emergency_exception_buf(100)\n"
                   "except ImportError:\n    pass  # CPython\nprint('ok')\n")
    r = cli("parity", str(app), timeout=120)
    assert r.returncode == 0 and r.stdout.endswith("== all three agree\n"), r.stdout + r.stderr


def test_run_in_simulation_exit_status_and_real_clock(tmp_path):
    app = tmp_path / "fail.py"
    app.write_text("import zsync_mp as zs\nasync def main():\n    await zs.sleep_ms(30)\n"
                   "    raise KeyError('late')\nzs.run(main())\n")
    r = cli("run", str(app))  # default interpreter: micropython, real clock
    assert r.returncode == 1 and "KeyError: late" in r.stdout + r.stderr  # the unix port prints it on stdout
    app.write_text("import sys\nsys.exit(7)\n")
    for interpreter in ("cpython", "wasm"):
        assert cli("run", str(app), "--interpreter", interpreter).returncode == 7


def test_parity_command(tmp_path):
    same = tmp_path / "same.py"
    same.write_text("import zsync_mp as zs\nasync def main():\n    await zs.sleep_ms(5)\n    return 'ok'\n"
                    "print(zs.run(main()))\n")
    r = cli("parity", str(same))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines() == ["== cpython: rc 0, 1 line of output (the reference)",
                                     "== micropython: rc 0, same as cpython",
                                     "== wasm: rc 0, same as cpython", "== all three agree"]
    diff = tmp_path / "diff.py"
    diff.write_text("import sys\nprint('same')\nprint(sys.platform == 'webassembly')\n")
    r = cli("parity", str(diff))
    assert r.returncode == 1
    assert "== micropython: rc 0, same as cpython\n== wasm: rc 0, differs from cpython\n" in r.stdout
    assert "--- cpython\n+++ wasm\n" in r.stdout and "-False\n+True\n" in r.stdout
    assert r.stdout.endswith("== traces differ\n")


def test_parity_command_with_an_oracle(tmp_path):
    # With <stem>.exp beside the script every interpreter, CPython included,
    # is held to it, and a trace that reports a problem differs even so.
    app = tmp_path / "orc.py"
    app.write_text("import sys\nprint('n', 2)\nprint('never ran: 0')\n")
    (tmp_path / "orc.exp").write_text("n 2\nnever ran: 0\n")
    r = cli("parity", str(app))
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.splitlines()[0] == "== cpython: rc 0, same as orc.exp"
    assert r.stdout.endswith("== all three match the oracle\n")
    (tmp_path / "orc.exp").write_text("n 3\nnever ran: 0\n")
    r = cli("parity", str(app))
    assert r.returncode == 1 and "== cpython: rc 0, differs from orc.exp\n" in r.stdout
    assert "-n 3\n+n 2\n" in r.stdout
    app.write_text("import sys\nprint('n', 3)\nprint('never ran: 1' if sys.platform == 'webassembly' else 'never ran: 0')\n")
    (tmp_path / "orc.wasm.exp").write_text("# why: probe\nn 3\nnever ran: 1\n")
    r = cli("parity", str(app))
    assert r.returncode == 1 and "== wasm: rc 0, differs from orc.wasm.exp\n" in r.stdout
    assert "problem reported at line 2: 'never ran: 1' reports tasks lost or run twice" in r.stdout
    (tmp_path / "orc.wasm.exp").write_text("n 3\n")
    r = cli("parity", str(app))
    assert r.returncode == 2 and "must start with '# why: <reason>'" in r.stderr


def test_simulation_misuse(sim_app, tmp_path):
    app = str(sim_app / "app.py")
    bad = tmp_path / "bad.json"
    bad.write_text('{"pins": {"BTN": 99}}')
    r = cli("run", app, "--board", str(bad))
    assert (r.returncode, r.stderr) == (
        2, "zsync-mp: bad board file %s: pins['BTN'] must be a pin number 0..47, got 99\n" % bad)
    bad.write_text('{"pins": ')
    r = cli("parity", app, "--board", str(bad))
    assert r.returncode == 2 and r.stderr.startswith("zsync-mp: bad board file %s: " % bad)
    r = cli("run", app, "--board", str(tmp_path / "none.json"))
    assert r.returncode == 2 and "cannot read board file" in r.stderr
    r = cli("run", str(tmp_path / "none.py"), "--interpreter", "wasm")
    assert r.returncode == 2 and "cannot read app" in r.stderr
    r = cli("run", app, "--port", "/dev/no-such-tty", "--interpreter", "wasm")
    assert (r.returncode, r.stderr) == (
        2, "zsync-mp: --interpreter and --virtual-time are for simulated runs: drop --port\n")
    r = cli("run", app, "--port", "/dev/no-such-tty", "--seed", "1")
    assert r.returncode == 2 and "--seed needs a simulated run or --port virtual" in r.stderr
    r = cli("run", app, "--port", "/dev/no-such-tty")
    assert (r.returncode, r.stderr) == (1, "zsync-mp: no such port: /dev/no-such-tty\n")
    r = cli("run", app, "--fs", str(tmp_path))
    assert r.returncode == 2 and "--fs needs --port virtual" in r.stderr


def test_missing_wasm_is_a_clear_error(sim_app, monkeypatch, capsys):
    from zsync_mp_host import _install, cli as cli_mod

    monkeypatch.setattr(_install, "WASM_DIR", "/nonexistent/pkg")  # no checkout npm ci, no setup-wasm
    monkeypatch.setattr(_install, "WASM_HOME", "/nonexistent/home")
    assert cli_mod.main(["run", str(sim_app / "app.py"), "--interpreter", "wasm"]) == 1
    assert capsys.readouterr().err == ("zsync-mp: MicroPython WebAssembly (npm @micropython/micropython-webassembly-"
                                       "pyscript) is not installed: run `zsync-mp setup-wasm` (npm ci into "
                                       "/nonexistent/home)\n")


def test_run_on_virtual_port_passes_seed(tmp_path):
    app = tmp_path / "seed_app.py"
    app.write_text("import os\nprint('seed', os.getenv('ZSYNC_SEED'))\n")
    r = cli("run", "--port", "virtual", "--seed", "11", str(app))
    assert (r.returncode, r.stdout) == (0, "seed 11\n"), r.stderr
