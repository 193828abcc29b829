"""Flash firmware built by tools/build_firmware.py, and deploy an app with mpremote.

    python tools/flash_firmware.py flash esp32 [--board B] [--device /dev/ttyUSB0] [--chip esp32|esp32c3]
    python tools/flash_firmware.py flash stm32 [--board B] [--tool pyocd|dfu-util] [--target stm32f446re]
    python tools/flash_firmware.py deploy --device /dev/ttyACM0 APP.py [MORE.py ...] [--lib]

flash esp32:  esptool's Python API (write-flash with progress) using the
              flash_args file ESP-IDF wrote next to the images.
flash stm32:  pyocd (ST-Link/CMSIS-DAP probe, Nucleo boards) or dfu-util
              (USB DFU bootloader, PYBV11: hold USR while resetting); both
              print progress.
deploy:       mpremote: copy APP.py as :main.py (others under their names),
              --lib also copies zsync_mp/ (for firmware without it frozen),
              then soft-reset so main.py runs.
Nothing here touches a board unless asked; a missing tool is named with the
package that provides it.
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from zsync_mp_host.deploy import host_only

OUT = os.path.join(ROOT, "build", "firmware")
DEFAULT_BOARD = {"esp32": "ESP32_GENERIC", "stm32": "NUCLEO_F446RE"}
PYOCD_TARGET = {"NUCLEO_F446RE": "stm32f446retx", "PYBV11": "stm32f405rgtx"}


class FlashError(Exception):
    pass


def fw_dir(port, board):
    d = os.path.join(OUT, "%s-%s" % (port, board))
    if not os.path.isdir(d):
        raise FlashError("no firmware in %s: run `make firmware PORT=%s BOARD=%s MICROPY_DIR=...` first" % (d, port, board))
    return d


def need(tool, pkg):
    # The venv's copy first (make setup installs pyocd there), then PATH.
    here = os.path.join(os.path.dirname(sys.executable), tool)
    found = here if os.access(here, os.X_OK) else shutil.which(tool)
    if not found:
        raise FlashError("%s not found on PATH (install %s)" % (tool, pkg))
    return found


def need_device(device):
    if device.startswith("/dev/") and not os.path.exists(device):
        raise FlashError("no serial device %s: plug the board in, or pass DEVICE=<its port>" % device)


def run(cmd):
    print("+ " + " ".join(shlex.quote(c) for c in cmd), flush=True)
    if subprocess.run(cmd).returncode != 0:
        raise FlashError("%s failed" % cmd[0])


# esptool write-flash with the offsets ESP-IDF chose (flash_args).
def esp32_args(d, chip, device, baud):
    with open(os.path.join(d, "flash_args")) as f:
        words = f.read().split()
    opts, pairs = [], []
    i = 0
    while i < len(words):
        w = words[i]
        if w.startswith("0x"):
            pairs += [w, os.path.join(d, os.path.basename(words[i + 1]))]
            i += 2
        else:
            opts.append(w)
            i += 1
    return ["--chip", chip, "--port", device, "--baud", str(baud), "write-flash"] + opts + pairs


def flash_esp32(board, device, chip, baud):
    d = fw_dir("esp32", board)
    try:
        import esptool
    except ImportError:
        raise FlashError("esptool is not installed (pip install esptool; make setup does)")
    need_device(device)
    args = esp32_args(d, chip, device, baud)
    print("esptool " + " ".join(args), flush=True)
    esptool.main(args)  # prints its own per-segment progress


def flash_stm32(board, tool, target):
    d = fw_dir("stm32", board)
    if tool == "pyocd":
        pyocd = need("pyocd", "pip install pyocd; make setup does")
        target = target or PYOCD_TARGET.get(board)
        if not target:
            raise FlashError("no pyocd target known for %s: pass --target" % board)
        known = subprocess.run([pyocd, "list", "--targets"], capture_output=True, text=True).stdout.split()
        if target not in known:
            raise FlashError("pyocd has no target %s yet: install its CMSIS pack once with `%s pack install %s`, "
                             "then flash again" % (target, pyocd, target))
        run([pyocd, "flash", "--target", target, os.path.join(d, "firmware.hex")])
    elif tool == "dfu-util":
        dfu = need("dfu-util", "apt install dfu-util; make setup does")
        run([dfu, "--alt", "0", "--download", os.path.join(d, "firmware.dfu")])
    else:
        raise FlashError("unknown flash tool %r (pyocd or dfu-util)" % tool)


def deploy(device, files, lib):
    mpr = os.path.join(ROOT, ".venv", "bin", "mpremote")
    if not os.path.exists(mpr):
        mpr = shutil.which("mpremote") or ""
    if not mpr:
        raise FlashError("mpremote not found (pip install mpremote; make setup does)")
    if not files:
        raise FlashError("deploy needs at least one app file (the first becomes :main.py)")
    for f in files:
        if not os.path.isfile(f):
            raise FlashError("no such app file: %s" % f)
    cmd = [mpr, "connect", device]
    if lib:
        for dirpath, _dirs, names in os.walk(os.path.join(ROOT, "zsync_mp")):
            rel = os.path.relpath(dirpath, ROOT).replace(os.sep, "/")
            # mpremote's mkdir fails on an existing dir: make it idempotent.
            cmd += ["+", "exec", "import os\ntry:\n os.mkdir(%r)\nexcept OSError:\n pass" % rel]
            for n in sorted(names):
                if n.endswith(".py") and not host_only(os.path.join(dirpath, n)):
                    cmd += ["+", "cp", os.path.join(dirpath, n), ":%s/%s" % (rel, n)]
    cmd += ["+", "cp", files[0], ":main.py"]
    for f in files[1:]:
        cmd += ["+", "cp", f, ":" + os.path.basename(f)]
    run(cmd + ["+", "soft-reset"])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    fl = sub.add_parser("flash")
    fl.add_argument("port", choices=("esp32", "stm32"))
    fl.add_argument("--board")
    fl.add_argument("--device", default="/dev/ttyUSB0")
    fl.add_argument("--chip", default="esp32")
    fl.add_argument("--baud", type=int, default=460800)
    fl.add_argument("--tool", default="pyocd")
    fl.add_argument("--target")
    dp = sub.add_parser("deploy")
    dp.add_argument("--device", required=True)
    dp.add_argument("--lib", action="store_true", help="also copy zsync_mp/ (firmware without it frozen)")
    dp.add_argument("files", nargs="*")
    a = ap.parse_args(argv)
    try:
        if a.cmd == "deploy":
            deploy(a.device, a.files, a.lib)
        elif a.port == "esp32":
            flash_esp32(a.board or DEFAULT_BOARD["esp32"], a.device, a.chip, a.baud)
        else:
            flash_stm32(a.board or DEFAULT_BOARD["stm32"], a.tool, a.target)
    except FlashError as e:
        print("flash_firmware: " + str(e), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
