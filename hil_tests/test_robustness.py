# A broken board must fail the test it broke, clearly and within a timeout,
# and the next test must start from a clean soft reset: a board that resets
# mid-test, a board that crashes, a serial port that vanishes, garbage on the
# line in both directions, and a hang that Ctrl-C cannot end. Destructive
# cases need the virtual board (the suite kills parts of it); each test ends
# by getting a fresh Dut the way the fixture does and running code on it.
import random
import signal
import os
import time

import pytest

from hil_tests._dut import DutReset, DutTimeout, DutVanished, ScenarioFailed

WORK = "import time\nprint('working')\nfor i in range(200):\n    time.sleep_ms(50)\nprint('Test OK')\n"


# The board is usable again: what the next test's fixture does, then code.
def assert_recovers(hil):
    d = hil.open_dut()
    try:
        assert d.exec("print('fresh', 'zz' in globals())") == "fresh False\n"
    finally:
        d.close()


def test_board_resets_mid_test(dut, hil):
    if hil.kind == "qemu":
        pytest.skip("machine.reset() ends QEMU's firmware run")
    t0 = time.monotonic()
    with pytest.raises(DutReset, match=r"(?s)board reset.*last output.*step 1"):
        dut.run("zz = 1\nprint('step 1')\nimport machine\nmachine.reset()\nprint('Test OK')\n", timeout=20)
    assert time.monotonic() - t0 < 30  # hang guard
    assert_recovers(hil)


@pytest.mark.virtual_only
def test_board_crashes_mid_test(dut, hil):
    dut.start("zz = 1\n" + WORK)
    dut.expect_exact("working")
    os.kill(hil.target.child_pid(), signal.SIGKILL)
    with pytest.raises(DutReset, match=r"(?s)killed by SIGKILL: board reset.*last output.*working"):
        dut.wait_done(timeout=20)
    assert_recovers(hil)


@pytest.mark.virtual_only
def test_serial_port_vanishes(dut, hil):
    port = dut.port
    dut.start(WORK)
    dut.expect_exact("working")
    t0 = time.monotonic()
    hil.target.vanish()
    with pytest.raises(DutVanished, match=r"(?s)serial port %s vanished.*last output.*working" % port):
        dut.wait_done(timeout=20)
    assert time.monotonic() - t0 < 30  # hang guard
    assert not hil.target.alive()
    assert_recovers(hil)
    assert hil.port != port or hil.target.alive()


def test_garbage_from_host(dut, hil):
    for seed in range(3):
        dut.write(random.Random(seed).randbytes(500))
        time.sleep(0.1)
    assert_recovers(hil)


def test_garbage_from_board(dut, hil):
    with pytest.raises(ScenarioFailed, match=r"(?s)did not end with one 'Test OK'.*\\x05\\x06\\x07"):
        dut.run("import sys\nsys.stdout.write(bytes(range(5, 256)))\nprint()\n")
    # A \x04 in the output ends the raw REPL's stdout early: still a clear failure.
    with pytest.raises(ScenarioFailed, match=r"(?s)exception on the board.*\\x05\\x06.*last output"):
        dut.run("import sys\nsys.stdout.write(bytes(range(1, 256)))\nprint()\nprint('Test OK')\n")
    assert dut.exec("print('still talking')") == "still talking\n"
    assert_recovers(hil)


@pytest.mark.virtual_only
def test_hang_ctrl_c_cannot_end(dut, hil):
    # kbd_intr(-1): Ctrl-C no longer interrupts, so only a restart helps.
    t0 = time.monotonic()
    with pytest.raises(DutTimeout, match=r"(?s)hung\? sent Ctrl-C.*spinning"):
        dut.run("import micropython\nmicropython.kbd_intr(-1)\nprint('spinning')\nwhile True:\n    pass\n",
                timeout=2)
    assert time.monotonic() - t0 < 15  # hang guard
    assert_recovers(hil)


def test_next_test_starts_clean(dut):
    # Runs after the tests above broke the board: the fixture's reset suffices.
    assert dut.exec("print('zz' in globals())") == "False\n"
