"""Build MicroPython firmware with _zsync_fiber (native/) and zsync_mp frozen in.

    python tools/build_firmware.py PORT [--board B] [--micropy-dir DIR] [-D NAME=VALUE]...
                                   [NAME=VALUE...] [--dry-run]
    PORT: unix | qemu | stm32 | esp32     (MICROPY_DIR may replace --micropy-dir)

The MicroPython source is the user's own checkout (MICROPY_DIR): nothing here
clones, downloads or vendors MicroPython, and nothing is written into the
checkout except mpy-cross's and ESP-IDF's own build products where the port
insists. Objects go to build/firmware/obj/<port>[-<board>]-<key>/, where
<key> hashes everything that changes the binary (build_key(): the checkout,
the defines, every make variable and the environment variables make reads,
such as MICROPY_HEAP_SIZE or ZSYNC_FREEZE_LEAVE_OUT), so a build never reuses
objects made with another heap size or leave-out list; each such directory
holds the config.json it was built from. Results go to
build/firmware/<port>[-<board>]/ (unix: build/firmware/unix/micropython), or
<port>[-<board>]+NAME_VALUE... when defines or make variables are added.
make is incremental, so a second run of one config is a cheap no-op rebuild;
--dry-run prints the key and both directories without building.
Submodules the checkout lacks are handled where MicroPython allows it
(unix: BTREE/SSL off, system libffi; freezing without micropython-lib uses an
empty stand-in when the port manifest needs none of it) and reported by name
otherwise, with the command that fetches them.
"""
import argparse
import hashlib
import json
import os
import re
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


# mpy-cross from the checkout, built into our tree (it must match the
# firmware), one build directory per checkout.
def mpy_cross(mpy, obj_root):
    name = "mpy-cross-" + hashlib.sha256(mpy.encode()).hexdigest()[:12]
    build = os.path.join(obj_root, name)
    exe = os.path.join(build, "mpy-cross")
    run(["make", jobs(), "-C", os.path.join(mpy, "mpy-cross"), "BUILD=" + build],
        mpy, os.path.join(obj_root, name + ".log"))
    return exe


def mpy_lib_vars(mpy, port):
    if populated(mpy, "lib/micropython-lib"):
        return []
    if port in NEEDS_MPY_LIB:
        raise BuildError("lib/micropython-lib is empty in %s (the %s manifest freezes packages from it)" % (mpy, port))
    return ["MPY_LIB_DIR=" + os.path.join(OUT, "obj", "no-micropython-lib")]


def make_no_mpy_lib(stub):
    os.makedirs(stub, exist_ok=True)
    with open(os.path.join(stub, "README.md"), "w") as f:
        f.write("Empty stand-in: MICROPY_DIR has no lib/micropython-lib and this manifest needs none of it.\n")


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


# Environment variables that reach the port's make as variables and change
# the binary (make imports the whole environment; these are the ones the
# project, the ports and native/micropython.mk read). PATH and the like are
# not here: the toolchain is whatever is on PATH, as for any make build.
ENV_PREFIXES = ("ZSYNC_", "ZS_", "MICROPY_")
ENV_NAMES = ("CFLAGS_EXTRA", "LDFLAGS_EXTRA", "COPT", "DEBUG", "LTO", "CROSS_COMPILE", "VARIANT",
             "BOARD_VARIANT", "AFLAGS", "RV32_ARCH")
ENV_IGNORED = ("MICROPY_DIR",)  # names the checkout, which the config holds as micropy_dir


def binary_env(port, board, environ):
    env = {k: v for k, v in environ.items()
           if (k.startswith(ENV_PREFIXES) or k in ENV_NAMES) and k not in ENV_IGNORED}
    for k, v in BOARD_ENV.get((port, board), {}).items():
        env.setdefault(k, v)  # the user's own environment wins
    return env


def config(port, board=None, mpy=None, defines=(), extra=(), environ=None):
    """Everything that decides the binary, resolved into one dict: port,
    board, checkout, manifest, the C defines, every make variable passed on
    the command line and the environment variables make would see."""
    if port not in PORTS:
        raise BuildError("unknown PORT %r (known: %s)" % (port, ", ".join(PORTS)))
    mpy = micropy_dir(mpy)
    board = board or DEFAULT_BOARD[port]
    environ = os.environ if environ is None else environ
    bad = [e for e in extra if "=" not in e or not e.split("=", 1)[0]]
    if bad:
        raise BuildError("make variables must be NAME=VALUE: %s" % ", ".join(bad))
    cflags = " ".join("-D" + d for d in defines)
    given = tuple(extra)  # the caller's; `extra` may gain the port workarounds below
    if port == "qemu" and board == "VIRT_RV32" and not any(e.startswith(("RV32_ARCH=", "AFLAGS=")) for e in extra):
        extra, cflags = rv32_vars(given, cflags)
    make = ["FROZEN_MANIFEST=" + os.path.join(ROOT, "ports", port, "manifest.py")]
    if port == "esp32":
        make.append("USER_C_MODULES=" + os.path.join(NATIVE, "micropython.cmake"))
    else:
        make.append("USER_C_MODULES=" + NATIVE)
        make += mpy_lib_vars(mpy, port)
        if port == "unix":
            make += unix_vars(mpy)
        if cflags:
            make.append("CFLAGS_EXTRA=" + cflags)
    if board:
        make.append("BOARD=" + board)
    return {"port": port, "board": board, "micropy_dir": mpy, "defines": list(defines), "extra": list(given),
            "make": make + list(extra), "env": binary_env(port, board, environ)}


def build_key(cfg):
    """The build directory's name for a config: <port>[-<board>]-<hash of
    everything in the config>. Equal configs share a directory (make stays
    incremental); configs that differ in anything that changes the binary
    (heap size, defines, frozen leave-out list, C Task on/off...) never do:
    MicroPython's make does not notice such a change in a directory built
    with another value."""
    blob = json.dumps(cfg, sort_keys=True, separators=(",", ":")).encode()
    return "%s-%s" % (tag(cfg["port"], cfg["board"]), hashlib.sha256(blob).hexdigest()[:12])


def result_name(cfg):
    """Where the results go under build/firmware/: <port>[-<board>] for the
    default build (the documented place), followed by +NAME_VALUE for each
    define and make variable the caller added (a test build never overwrites
    the default firmware)."""
    name = tag(cfg["port"], cfg["board"]) + "".join("+" + d for d in cfg["defines"] + cfg["extra"])
    name = re.sub(r"[^A-Za-z0-9_.+-]", "_", name)
    if len(name) > 100:
        name = name[:80] + "+" + hashlib.sha256(name.encode()).hexdigest()[:12]
    return name


def build(port, board=None, mpy=None, defines=(), extra=()):
    """Build PORT; returns the list of result files under build/firmware/."""
    cfg = config(port, board, mpy, defines, extra)
    mpy, board = cfg["micropy_dir"], cfg["board"]
    check_submodules(mpy, port)
    key = build_key(cfg)
    obj_root = os.path.join(OUT, "obj")
    obj = os.path.join(obj_root, key)
    log = os.path.join(obj_root, key + ".log")
    os.makedirs(obj, exist_ok=True)
    with open(os.path.join(obj, "config.json"), "w") as f:
        json.dump(cfg, f, indent=1, sort_keys=True)  # what this directory was built with, for people
    dst = os.path.join(OUT, result_name(cfg))
    port_dir = os.path.join(mpy, "ports", port)
    if port == "esp32":
        if not shutil.which("idf.py"):
            raise BuildError("ESP-IDF is not set up: run `. $IDF_PATH/export.sh` first (see ports/esp32/README.md)")
        run(["make", "-C", port_dir, "BUILD=" + obj] + cfg["make"], mpy, log, cfg["env"])
        return copy_outputs(obj, ["firmware.bin", "micropython.bin", "micropython.elf",
                                  "bootloader/bootloader.bin", "partition_table/partition-table.bin",
                                  "flash_args"], dst)
    cross = mpy_cross(mpy, obj_root)
    for stub in [v[len("MPY_LIB_DIR="):] for v in cfg["make"] if v.startswith("MPY_LIB_DIR=")]:
        make_no_mpy_lib(stub)
    cmd = ["make", jobs(), "-C", port_dir, "BUILD=" + obj,
           "MICROPY_MPYCROSS=" + cross, "MICROPY_MPYCROSS_DEPENDENCY=" + cross] + cfg["make"]
    stale = os.path.join(obj, "frozen_content.c")  # re-freeze: the file list may differ
    if os.path.exists(stale):
        os.remove(stale)
    run(cmd, mpy, log, cfg["env"])
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
    ap.add_argument("--dry-run", action="store_true", help="print the build key and directories, build nothing")
    a = ap.parse_intermixed_args(argv)
    try:
        if a.dry_run:
            cfg = config(a.port, a.board or None, a.micropy_dir, a.defines, a.extra)
            key = build_key(cfg)
            print("key %s\nobj %s\nresults %s" % (key, os.path.relpath(os.path.join(OUT, "obj", key), ROOT),
                                                   os.path.relpath(os.path.join(OUT, result_name(cfg)), ROOT)))
            return 0
        files = build(a.port, a.board or None, a.micropy_dir, a.defines, a.extra)
    except BuildError as e:
        print("build_firmware: " + str(e), file=sys.stderr)
        return 2
    for f in files:
        print(os.path.relpath(f, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
