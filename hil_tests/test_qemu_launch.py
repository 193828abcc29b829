# The --port qemu:<firmware.elf> launcher: QEMU under `timeout` with
# `-serial pty`, the pty found in its output, a missing firmware or a bad
# machine reported clearly. With a MicroPython qemu-port firmware under
# build/firmware/ (or env HIL_QEMU_FIRMWARE) the Dut runs code on it;
# without one this says so (skip).
import glob
import os
import time

import pytest
import serial

from hil_tests import _targets
from hil_tests._dut import Dut
from hil_tests.plugin import ROOT

FIRMWARE_GLOB = os.path.join(ROOT, "build", "firmware", "qemu-MPS2_AN385", "firmware.elf")  # make test-firmware builds it
UART_ELF = os.path.join(ROOT, "build", "emu", "cortex-m4f-stm32", "uart.elf")


def test_missing_firmware_is_named(tmp_path):
    t = _targets.QemuTarget(str(tmp_path / "none.elf"))
    with pytest.raises(_targets.TargetError, match="no firmware at .*none.elf"):
        t.start()


def test_command_runs_under_timeout_with_a_pty():
    cmd = _targets.QemuTarget("fw.elf", "mps2-an385").command()
    assert cmd[:2] == ["timeout", "--kill-after=5"] and "qemu-system-arm" in cmd
    assert cmd[cmd.index("-serial") + 1] == "pty" and cmd[-2:] == ["-kernel", "fw.elf"]


def test_bad_machine_fails_with_qemu_output(tmp_path):
    fw = tmp_path / "fw.elf"
    fw.write_bytes(b"\x7fELF")
    t = _targets.QemuTarget(str(fw), "no-such-machine", log_path=str(tmp_path / "log"))
    with pytest.raises(_targets.TargetError, match="(?s)QEMU gave no pty.*no-such-machine"):
        t.start(timeout=20)
    assert not t.alive()


def test_pty_carries_the_firmware_uart(tmp_path):
    # The project's own STM32F405 build (emu/) prints on USART2: QEMU's 2nd serial.
    if not os.path.exists(UART_ELF):
        pytest.skip("%s not built (make emu builds it)" % os.path.relpath(UART_ELF, ROOT))
    # QEMU drops what the firmware prints before the pty is opened and this
    # firmware prints once, at boot: start it paused, open the pty, resume.
    t = _targets.QemuTarget(UART_ELF, "netduinoplus2", serial_index=1, log_path=str(tmp_path / "log"), paused=True)
    port = t.start()
    try:
        s = serial.Serial(port, 115200, timeout=0.2)
        t.resume()
        got = b""
        end = time.monotonic() + 60
        while b"Test OK" not in got and time.monotonic() < end:
            got += s.read(256)
        s.close()
    finally:
        t.stop()
    assert not t.alive()
    assert b"Test OK" in got, "no 'Test OK' from the firmware on %s: %r" % (port, got[-300:])


def test_micropython_firmware_runs_code(hil):
    fws = [os.environ["HIL_QEMU_FIRMWARE"]] if os.environ.get("HIL_QEMU_FIRMWARE") else sorted(glob.glob(FIRMWARE_GLOB))
    if not fws:
        pytest.skip("no MicroPython qemu-port firmware at %s (not built yet; build it, or run the whole "
                    "suite with --port qemu:<firmware.elf>)" % os.path.relpath(FIRMWARE_GLOB, ROOT))
    t = _targets.QemuTarget(fws[0], hil.config.getoption("--qemu-machine"))
    port = t.start()
    try:
        d = Dut(port, name="qemu:" + os.path.basename(fws[0]))
        d.reset(timeout=30)
        assert d.exec("print(6 * 7)") == "42\n"
        d.close()
    finally:
        t.stop()
