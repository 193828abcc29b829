"""Build MicroPython firmware with _zsync_fiber (native/) and zsync_mp frozen in.

    python tools/build_firmware.py PORT [--board B] [--micropy-dir DIR] [-D NAME=VALUE]...
    PORT: unix | qemu | stm32 | esp32     (MICROPY_DIR may replace --micropy-dir)

The MicroPython source is the user's own checkout (MICROPY_DIR): nothing here
clones, downloads or vendors MicroPython, and nothing is written into the
checkout except mpy-cross's and ESP-IDF's own build products where the port
insists. Objects go to build/firmware/obj/<port>[-<board>]/, results to
build/firmware/<port>[-<board>]/ (unix: build/firmware/unix/micropython).
make is incremental, so a second run is a cheap no-op rebuild.
Submodules the checkout lacks are handled where MicroPython allows it
(unix: BTREE/SSL off, system libffi; freezing without micropython-lib uses an
empty stand-in when the port manifest needs none of it) and reported by name
otherwise, with the command that fetches them.
"""
import argparse
import os
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "build", "firmware")
NATIVE = os.path.join(ROOT, "native")
PORTS = ("unix", "qemu", "stm32", "esp32")
DEFAULT_BOARD = {"unix": None, "qemu": "MPS2_AN385", "stm32": "NUCLEO_F446RE", "esp32": "ESP32_GENERIC"}
# Submodules each port cannot build without (beyond what this script works around).
NEEDS = {
    "unix": (),
    "qemu": (),
    "stm32": ("lib/stm32lib", "lib/CMSIS_6", "lib/micropython-lib", "lib/tinyusb", "lib/libhydrogen"),
    "esp32": ("lib/micropython-lib", "lib/berkeley-db-1.xx"),
}
# Manifests that need micropython-lib (they include the port's own manifest).
NEEDS_MPY_LIB = ("stm32", "esp32")


class BuildError(Exception):
    pass


def micropy_dir(given):
    d = given or os.environ.get("MICROPY_DIR")
    if not d:
        raise BuildError(
            "MICROPY_DIR is not set: point it at your MicroPython checkout, e.g.\n"
            "  make firmware PORT=unix MICROPY_DIR=$HOME/src/micropython\n"
            "(this project never clones or downloads MicroPython)")
    d = os.path.abspath(os.path.expanduser(d))
    if not os.path.isfile(os.path.join(d, "py", "mpconfig.h")):
        raise BuildError("MICROPY_DIR=%s is not a MicroPython checkout (no py/mpconfig.h)" % d)
    return d


def populated(mpy, sub):
    p = os.path.join(mpy, sub)
    return os.path.isdir(p) and bool(os.listdir(p))


def check_submodules(mpy, port):
    missing = [s for s in NEEDS[port] if not populated(mpy, s)]
    if missing:
        raise BuildError(
            "the %s port needs these submodules, empty in %s: %s\n  fix: cd %s && git submodule update --init %s"
            % (port, mpy, ", ".join(missing), mpy, " ".join(missing)))


def tag(port, board):
    return port if board is None else "%s-%s" % (port, board)


# Run a command, echoing it; raise BuildError with the log tail on failure.
def run(cmd, cwd, log, env=None):
    print("+ " + " ".join(("%s=%s " % kv for kv in sorted((env or {}).items()))) + " ".join(cmd), flush=True)
    with open(log, "w") as f:
        r = subprocess.run(cmd, cwd=cwd, stdout=f, stderr=subprocess.STDOUT, env=dict(os.environ, **(env or {})))
    if r.returncode != 0:
        with open(log) as f:
            tail = f.read()[-4000:]
        raise BuildError("command failed (rc=%d), full log: %s\n%s" % (r.returncode, log, tail))


def jobs():
    return "-j%d" % max(1, min(4, os.cpu_count() or 1))


# mpy-cross from the checkout, built into our tree (it must match the firmware).
def mpy_cross(mpy, obj_root):
    build = os.path.join(obj_root, "mpy-cross")
    exe = os.path.join(build, "mpy-cross")
    run(["make", jobs(), "-C", os.path.join(mpy, "mpy-cross"), "BUILD=" + build],
        mpy, os.path.join(obj_root, "mpy-cross.log"))
    return exe


def mpy_lib_vars(mpy, port, obj_root):
    if populated(mpy, "lib/micropython-lib"):
        return []
    if port in NEEDS_MPY_LIB:
        raise BuildError("lib/micropython-lib is empty in %s (the %s manifest freezes packages from it)" % (mpy, port))
    stub = os.path.join(obj_root, "no-micropython-lib")
    os.makedirs(stub, exist_ok=True)
    with open(os.path.join(stub, "README.md"), "w") as f:
        f.write("Empty stand-in: MICROPY_DIR has no lib/micropython-lib and this manifest needs none of it.\n")
    return ["MPY_LIB_DIR=" + stub]


def unix_vars(mpy):
    v = ["VARIANT=standard"]
    if not populated(mpy, "lib/berkeley-db-1.xx"):
        v.append("MICROPY_PY_BTREE=0")
    if not populated(mpy, "lib/mbedtls"):
        v.append("MICROPY_PY_SSL=0")
    if not populated(mpy, "lib/libffi"):
        ok = subprocess.run(["pkg-config", "--exists", "libffi"]).returncode == 0 if shutil.which("pkg-config") else False
        if not ok:
            v.append("MICROPY_PY_FFI=0")
    return v


def copy_outputs(src_dir, names, dst):
    os.makedirs(dst, exist_ok=True)
    got = []
    for n in names:
        p = os.path.join(src_dir, n)
        if os.path.exists(p):
            tmp = os.path.join(dst, n + ".tmp")
            shutil.copy2(p, tmp)
            os.replace(tmp, os.path.join(dst, n))
            got.append(os.path.join(dst, n))
    if not got:
        raise BuildError("the build produced none of %s in %s" % (", ".join(names), src_dir))
    return got


# Debian's riscv64-unknown-elf-gcc 12 has no multilib for the qemu port's
# default -march=rv32imac_zicsr (it would link the rv64 libgcc). Then build and
# assemble for rv32imac under ISA spec 2.2, where the CSR instructions the port
# uses are still base ISA: the same instructions, the rv32imac libgcc.
def rv32_vars(extra, cflags):
    cc = "riscv64-unknown-elf-gcc"
    try:
        lib = subprocess.run([cc, "-march=rv32imac_zicsr", "-mabi=ilp32", "-print-libgcc-file-name"],
                             capture_output=True, text=True).stdout
    except OSError:
        return extra, cflags  # no such compiler: the port's make says what is missing
    if "rv32imac" in lib:
        return extra, cflags  # a toolchain with the multilib: the port's defaults work
    # AFLAGS set here replaces the port's (it feeds CFLAGS and the libgcc lookup too).
    return tuple(extra) + ("AFLAGS=-mabi=ilp32 -march=rv32imac -misa-spec=2.2",), cflags


# Per-board environment for the build: NUCLEO_F446RE's 384 KiB text region
# is full, so its firmware leaves zsync_mp.asyncio out of the freeze (the
# C Task stays; `mpremote mip install asyncio` adds the stock asyncio).
# The user's own environment wins.
BOARD_ENV = {("stm32", "NUCLEO_F446RE"): {"ZSYNC_FREEZE_LEAVE_OUT": "asyncio"}}


def build(port, board=None, mpy=None, defines=(), extra=()):
    """Build PORT; returns the list of result files under build/firmware/."""
    if port not in PORTS:
        raise BuildError("unknown PORT %r (known: %s)" % (port, ", ".join(PORTS)))
    mpy = micropy_dir(mpy)
    board = board or DEFAULT_BOARD[port]
    check_submodules(mpy, port)
    name = tag(port, board) + ("".join("+" + d for d in defines) if defines else "")
    obj_root = os.path.join(OUT, "obj")
    obj = os.path.join(obj_root, name.replace("=", "_"))
    os.makedirs(obj, exist_ok=True)
    dst = os.path.join(OUT, name.replace("=", "_"))
    manifest = os.path.join(ROOT, "ports", port, "manifest.py")
    cflags = " ".join("-D" + d for d in defines)
    if port == "qemu" and board == "VIRT_RV32" and not any(e.startswith(("RV32_ARCH=", "AFLAGS=")) for e in extra):
        extra, cflags = rv32_vars(extra, cflags)
    port_dir = os.path.join(mpy, "ports", port)
    if port == "esp32":
        if not shutil.which("idf.py"):
            raise BuildError("ESP-IDF is not set up: run `. $IDF_PATH/export.sh` first (see ports/esp32/README.md)")
        cmd = ["make", "-C", port_dir, "BOARD=" + board, "BUILD=" + obj,
               "USER_C_MODULES=" + os.path.join(NATIVE, "micropython.cmake"), "FROZEN_MANIFEST=" + manifest]
        run(cmd + list(extra), mpy, os.path.join(obj_root, name + ".log"))
        return copy_outputs(obj, ["firmware.bin", "micropython.bin", "micropython.elf",
                                  "bootloader/bootloader.bin", "partition_table/partition-table.bin",
                                  "flash_args"], dst)
    cross = mpy_cross(mpy, obj_root)
    cmd = ["make", jobs(), "-C", port_dir, "BUILD=" + obj, "USER_C_MODULES=" + NATIVE,
           "FROZEN_MANIFEST=" + manifest, "MICROPY_MPYCROSS=" + cross, "MICROPY_MPYCROSS_DEPENDENCY=" + cross]
    cmd += mpy_lib_vars(mpy, port, obj_root)
    if board:
        cmd.append("BOARD=" + board)
    if port == "unix":
        cmd += unix_vars(mpy)
    if cflags:
        cmd.append("CFLAGS_EXTRA=" + cflags)
    env = {k: v for k, v in BOARD_ENV.get((port, board), {}).items() if k not in os.environ}
    stale = os.path.join(obj, "frozen_content.c")  # re-freeze: the file list may differ
    if os.path.exists(stale):
        os.remove(stale)
    run(cmd + list(extra), mpy, os.path.join(obj_root, name.replace("=", "_") + ".log"), env)
    outs = {"unix": ["micropython"], "qemu": ["firmware.elf", "firmware.bin"],
            "stm32": ["firmware.elf", "firmware.hex", "firmware.dfu", "firmware.bin"]}[port]
    return copy_outputs(obj, outs, dst)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("port", choices=PORTS)
    ap.add_argument("--board", default=None)
    ap.add_argument("--micropy-dir", default=None, help="MicroPython checkout (default: $MICROPY_DIR)")
    ap.add_argument("-D", dest="defines", action="append", default=[], help="extra C define NAME[=VALUE]")
    ap.add_argument("extra", nargs="*", help="extra make variables NAME=VALUE for the port's make")
    a = ap.parse_intermixed_args(argv)
    try:
        files = build(a.port, a.board or None, a.micropy_dir, a.defines, a.extra)
    except BuildError as e:
        print("build_firmware: " + str(e), file=sys.stderr)
        return 2
    for f in files:
        print(os.path.relpath(f, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
