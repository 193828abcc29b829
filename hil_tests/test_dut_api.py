# The dut fixture's API on whatever board the session uses: exec, run,
# expect/expect_exact on streaming output, write, reset, and the errors a
# broken scenario gets (wrong expected line, exception, missing `Test OK`,
# a hang): each names the problem and shows the board's last output.
import time

import pytest

from hil_tests._dut import DutError, DutTimeout, ScenarioFailed


def test_exec_returns_stdout(dut):
    assert dut.exec("print('hi', 6 * 7)") == "hi 42\n"
    assert dut.exec("import sys\nprint(sys.implementation.name)") == "micropython\n"


def test_exec_exception_shows_traceback(dut):
    with pytest.raises(ScenarioFailed, match=r"(?s)exception on the board.*ZeroDivisionError.*last output"):
        dut.exec("print('before'); 1 / 0")


def test_run_scenario_with_params(dut):
    out = dut.run("print('x is', PARAMS['x'])\nprint('Test OK')\n", params={"x": 5})
    assert out == "x is 5\n"


def test_run_requires_one_final_test_ok(dut):
    with pytest.raises(ScenarioFailed, match="did not end with one 'Test OK' line .0 found"):
        dut.run("print('all good, honest')\n")
    with pytest.raises(ScenarioFailed, match="2 found"):
        dut.run("print('Test OK')\nprint('Test OK')\n")
    with pytest.raises(ScenarioFailed, match="last line 'late'"):
        dut.run("print('Test OK')\nprint('late')\n")


def test_expect_on_streaming_output(dut):
    dut.start("import time\nfor i in range(5):\n    print('tick', i)\n    time.sleep_ms(20)\nprint('done')")
    m = dut.expect(r"tick (\d)")
    assert m.group(1) == b"0"
    dut.expect_exact("tick 3")
    dut.expect("done")
    assert dut.wait_done() == ("\n", "")


def test_wrong_expected_line_fails_clearly_within_timeout(dut):
    dut.start("print('actual line')\nimport time\ntime.sleep_ms(50)")
    t0 = time.monotonic()
    with pytest.raises(DutTimeout) as e:
        dut.expect_exact("expected line", timeout=1.5)
    assert time.monotonic() - t0 < 10  # hang guard: the 1.5 s timeout must end the wait
    assert "timed out after 1.5 s waiting for output matching 'expected\\\\ line'" in str(e.value)
    assert "actual line" in str(e.value)  # the board's last output is in the message
    dut.wait_done()


def test_hung_scenario_is_interrupted(dut, hil):
    t0 = time.monotonic()
    with pytest.raises(DutTimeout, match=r"(?s)hung\? sent Ctrl-C.*still here"):
        dut.run("print('still here')\nwhile True:\n    pass\n", timeout=2)
    assert time.monotonic() - t0 < 15  # hang guard
    # What the next test's fixture does (the qemu port ignores Ctrl-C: QEMU restarts).
    d = hil.open_dut()
    try:
        assert d.exec("print('after the hang')") == "after the hang\n"
    finally:
        d.close()


def test_write_reaches_the_board(dut):
    dut.start("print('ready')\nprint('got', input())")
    dut.expect_exact("ready")
    dut.write("hello board\r")
    dut.expect_exact("got hello board")
    dut.wait_done()


def test_reset_clears_state(dut):
    dut.exec("zz = 41")
    assert dut.exec("print(zz + 1)") == "42\n"
    dut.reset()
    with pytest.raises(ScenarioFailed, match="NameError"):
        dut.exec("print(zz)")


def test_start_twice_is_misuse(dut):
    dut.start("import time\ntime.sleep_ms(100)")
    with pytest.raises(DutError, match="still running"):
        dut.start("print(1)")
    dut.wait_done()
