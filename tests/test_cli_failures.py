# Failures are failures (issue 17): a script that hangs fails `parity`, an app
# past `run --timeout` is stopped and fails, a HIL run on a port that does not
# exist fails once, and the exit status follows mpremote's (1 for a failure,
# 2 for a command line or input file that is wrong before anything ran).
import os
import subprocess
import sys

import pytest

from test_cli import ROOT, cli

HANG = "import time\nprint('start')\nwhile True:\n    time.sleep(0.05)\n"
TICKS = "import time\nwhile True:\n    print('tick')\n    time.sleep(0.05)\n"


def test_parity_on_a_script_that_hangs_everywhere(tmp_path):
    app = tmp_path / "hang.py"
    app.write_text(HANG)
    r = cli("parity", str(app), "--timeout", "2")
    assert r.returncode == 1, r.stdout + r.stderr
    lines = r.stdout.splitlines()
    assert lines == ["== %s: timed out after 2s, 1 line of output (a hang is a failure)" % n
                     for n in ("cpython", "micropython", "wasm")] + ["== timed out: cpython, micropython, wasm"]
    assert "agree" not in r.stdout


def test_parity_on_a_script_that_hangs_on_one_interpreter(tmp_path):
    app = tmp_path / "wasm_hang.py"
    app.write_text("import sys\nprint('ok')\nif sys.platform == 'webassembly':\n    while True:\n        pass\n")
    r = cli("parity", str(app), "--timeout", "2")
    assert r.returncode == 1
    assert r.stdout.splitlines() == [
        "== cpython: rc 0, 1 line of output (the reference)", "== micropython: rc 0, same as cpython",
        "== wasm: timed out after 2s, 1 line of output (a hang is a failure)", "== timed out: wasm"]


@pytest.mark.parametrize("bad", ["0", "-1", "inf", "nan", "soon"])
def test_timeouts_must_be_positive_seconds(tmp_path, bad):
    r = cli("parity", str(tmp_path / "x.py"), "--timeout", bad)
    assert r.returncode == 2 and "--timeout: must be a positive number of seconds, got %r" % bad in r.stderr
    r = cli("run", str(tmp_path / "x.py"), "--timeout", bad)
    assert r.returncode == 2 and "--timeout: must be a positive number of seconds" in r.stderr


@pytest.mark.parametrize("interpreter", ["micropython", "cpython", "wasm"])
def test_run_in_simulation_past_its_timeout(tmp_path, interpreter):
    app = tmp_path / "ticks.py"
    app.write_text(TICKS)
    r = cli("run", str(app), "--interpreter", interpreter, "--timeout", "1.5")
    assert r.returncode == 1
    assert r.stdout.startswith("tick\n")
    assert r.stderr.endswith("zsync-mp: %s still running after 1.5s: stopped (--timeout)\n" % app)
    app.write_text("print('done')\n")  # an app that ends in time keeps its own status
    r = cli("run", str(app), "--interpreter", interpreter, "--timeout", "60")
    assert (r.returncode, r.stdout) == (0, "done\n")


def test_run_on_a_board_past_its_timeout(tmp_path):
    from zsync_mp_host import vboard

    b = vboard.VirtualBoard(str(tmp_path / "fs"), bare=True, log=open(os.devnull, "w"))
    b.start()
    try:
        app = tmp_path / "ticks.py"
        app.write_text(TICKS)  # prints all the time: the limit is on the run, not on silence
        r = cli("run", "--port", b.port, str(app), "--timeout", "1.5")
        assert r.returncode == 1 and r.stdout.startswith("tick\n")
        assert r.stderr == "zsync-mp: %s still running after 1.5s on %s: interrupted (--timeout)\n" % (app, b.port)
        app.write_text("print('next')\n")  # the app was interrupted: the board serves the next run
        r = cli("run", "--port", b.port, str(app), "--timeout", "30")
        assert (r.returncode, r.stdout) == (0, "next\n"), r.stderr
    finally:
        b.stop()


def test_hil_on_a_port_that_does_not_exist_fails_once():
    r = subprocess.run([sys.executable, "-m", "pytest", "hil_tests", "--port", "/dev/does-not-exist",
                        "-p", "no:cacheprovider"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                       stdin=subprocess.DEVNULL)
    out = r.stdout + r.stderr
    assert r.returncode == 4  # pytest's usage error: no test ran
    assert out.count("no such serial port: /dev/does-not-exist") == 1, out
    assert "passed" not in out


def test_exit_status_follows_mpremote(tmp_path):
    app = tmp_path / "app.py"
    app.write_text("print(1)\n")
    assert cli("run", "--port", "/dev/no-such-tty", str(app)).returncode == 1  # a failure
    bad = tmp_path / "b.json"
    bad.write_text('{"pins": 3}')
    r = cli("run", "--port", "virtual", "--board", str(bad), str(app))
    assert r.returncode == 2 and "bad board file" in r.stderr  # wrong input: nothing ran
    r = cli("deploy", "--no-such-option")
    assert r.returncode == 2  # argparse's usage error
