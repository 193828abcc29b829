# tools/flash_firmware.py without a board: every way it can be misused gives
# one clear line and exit status 2, and the esptool/pyocd/dfu-util command it
# would run is the right one. (Flashing itself needs a board: make flash.)
import importlib.util
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "flash_firmware.py")
spec = importlib.util.spec_from_file_location("flash_firmware", TOOL)
ff = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ff)


def tool(*args):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


@pytest.fixture
def out(tmp_path, monkeypatch):
    monkeypatch.setattr(ff, "OUT", str(tmp_path))
    return tmp_path


def test_no_firmware_names_the_make_command(out):
    with pytest.raises(ff.FlashError, match=r"no firmware in .*esp32-ESP32_GENERIC_C3: run `make firmware "
                                            r"PORT=esp32 BOARD=ESP32_GENERIC_C3 MICROPY_DIR=...` first"):
        ff.flash_esp32("ESP32_GENERIC_C3", "/dev/ttyUSB0", "esp32c3", 460800)


def test_esp32_uses_esp_idf_offsets_and_checks_the_device(out):
    d = out / "esp32-ESP32_GENERIC"
    d.mkdir()
    # flash_args as ESP-IDF writes it next to the images
    (d / "flash_args").write_text("--flash_mode dio --flash_freq 40m --flash_size 4MB\n"
                                  "0x1000 bootloader/bootloader.bin\n0x8000 partition_table/partition-table.bin\n"
                                  "0x10000 micropython.bin\n")
    args = ff.esp32_args(str(d), "esp32", "/dev/ttyUSB9", 460800)
    assert args == ["--chip", "esp32", "--port", "/dev/ttyUSB9", "--baud", "460800", "write-flash",
                    "--flash_mode", "dio", "--flash_freq", "40m", "--flash_size", "4MB",
                    "0x1000", str(d / "bootloader.bin"), "0x8000", str(d / "partition-table.bin"),
                    "0x10000", str(d / "micropython.bin")]
    with pytest.raises(ff.FlashError, match="no serial device /dev/zsync-no-such-tty: plug the board in"):
        ff.flash_esp32("ESP32_GENERIC", "/dev/zsync-no-such-tty", "esp32", 460800)


def test_stm32_pyocd_without_its_pack_says_how_to_get_it(out, monkeypatch):
    (out / "stm32-NUCLEO_F446RE").mkdir()
    # The real pyocd (installed by make setup) is asked for its targets; a
    # target no pack provides stands for one whose pack is not installed.
    with pytest.raises(ff.FlashError, match=r"pyocd has no target zsync_no_such_chip yet: install its CMSIS pack "
                                            r"once with `.*pyocd pack install zsync_no_such_chip`"):
        ff.flash_stm32("NUCLEO_F446RE", "pyocd", "zsync_no_such_chip")
    # A target pyocd has built in passes the check and is flashed with the hex image.
    ran = []
    monkeypatch.setattr(ff, "run", ran.append)
    ff.flash_stm32("NUCLEO_F446RE", "pyocd", "stm32f412xe")
    assert os.path.basename(ran[0][0]) == "pyocd"
    assert ran[0][1:] == ["flash", "--target", "stm32f412xe", str(out / "stm32-NUCLEO_F446RE" / "firmware.hex")]
    with pytest.raises(ff.FlashError, match="no pyocd target known for MY_BOARD: pass --target"):
        (out / "stm32-MY_BOARD").mkdir()
        ff.flash_stm32("MY_BOARD", "pyocd", None)
    with pytest.raises(ff.FlashError, match="unknown flash tool 'jtag' \\(pyocd or dfu-util\\)"):
        ff.flash_stm32("NUCLEO_F446RE", "jtag", None)


def test_stm32_dfu_util_runs_on_the_dfu_image(out, monkeypatch):
    (out / "stm32-PYBV11").mkdir()
    ran = []
    monkeypatch.setattr(ff, "run", ran.append)
    ff.flash_stm32("PYBV11", "dfu-util", None)
    assert os.path.basename(ran[0][0]) == "dfu-util"  # installed by make setup (apt)
    assert ran[0][1:] == ["--alt", "0", "--download", str(out / "stm32-PYBV11" / "firmware.dfu")]


def test_command_line_misuse():
    r = tool("flash", "esp8266")
    assert r.returncode == 2 and "invalid choice: 'esp8266'" in r.stderr
    r = tool("deploy", "--device", "/dev/null")
    assert r.returncode == 2 and "deploy needs at least one app file" in r.stderr
    r = tool("deploy", "--device", "/dev/null", "no_such_app.py")
    assert r.returncode == 2 and "no such app file: no_such_app.py" in r.stderr
