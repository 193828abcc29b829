# The example apps run on CPython and MicroPython against the simulated board
# and print the same trace (they are what `make sim` shows and what users copy).
import os
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")
BOARD = os.path.join(ROOT, "examples", "boards", "devkit.json")
PATH = os.pathsep.join([ROOT, os.path.join(ROOT, "zsync_mp_host", "board")])


def run(interp, app, board=BOARD):
    env = dict(os.environ, ZSYNC_BOARD=board, PYTHONPATH=PATH, MICROPYPATH=PATH)
    exe = os.path.join(BIN, "python" if interp == "cpython" else "micropython")
    p = subprocess.run([exe, os.path.join(ROOT, "examples", app)], env=env, capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    return p.stdout


@pytest.mark.parametrize("app,last", [("firmware.py", "stopped cleanly"), ("blinky_button.py", "LED edges logged"), ("supervisor_demo.py", "done after"), ("sensor_pipeline.py", "all tasks stopped")])
def test_example_parity(app, last):
    cp = run("cpython", app)
    mp = run("micropython", app)
    assert cp == mp
    assert last in cp.splitlines()[-1]


def test_wifi_example_rides_out_the_boards_drop():
    # devkit_wifi.json's access point vanishes at 5000 ms for 3000 ms: the
    # link keeper's first try after it fails (no AP found), its next one
    # comes up when the AP is back, and every queued reading is sent in order.
    board = os.path.join(ROOT, "examples", "boards", "devkit_wifi.json")
    cp = run("cpython", "wifi_reconnect.py", board)
    assert cp == run("micropython", "wifi_reconnect.py", board)
    lines = cp.splitlines()
    assert [line.split(" ms")[0].strip() for line in lines if "link: up" in line] == ["1500", "9100"], cp
    assert " 5000 ms  upload: link lost, reading 21 waits" in lines, cp
    assert "(status 201)" in cp  # network.STAT_NO_AP_FOUND while the AP is gone
    assert lines[-1].endswith("40 readings sent, 8 dropped while the link was down, in order: True"), cp


def test_scripted_inputs_land_at_their_ms_on_a_virtual_clock():
    # devkit.json presses BUTTON at 1500 ms for 200 ms (and at 3200 for 80,
    # 4700 for 1200): on the app's VirtualClock the presses are seen at those
    # exact ms on every run (start-up before the loop takes no board time).
    for interp in ("micropython", "cpython"):
        out = run(interp, "blinky_button.py")
        starts = [line.split()[0] for line in out.splitlines() if "press (" in line]
        assert starts == ["1500", "3200", "4700"], out
        assert "first 0 LED=1" in out, out
