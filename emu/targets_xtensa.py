# Xtensa emu targets (shape: top of emu/targets.py): call0 firmware on QEMU's
# lx106 (ESP8266 core), windowed firmware on QEMU's dc233c (the ESP32 ABI).
# Both are built with Debian's lx106 gcc; the windowed build adds
# -mabi=windowed and native/xtensa_windowed_ops.inc (windowed opcodes as
# byte-encoding macros) and links no libgcc (Debian's is call0 code).
import os
import sys

from emu import build as B

GCC = "xtensa-lx106-elf-gcc"
BIN = {"nm": "xtensa-lx106-elf-nm", "objdump": "xtensa-lx106-elf-objdump"}
TOOLS = [GCC, BIN["nm"], BIN["objdump"], "qemu-system-xtensa"]
XT = B.path("emu", "xtensa")
OPS = B.path("native", "xtensa_windowed_ops.inc")

# Variants beyond emu/build.py's table: the windowed negative control (no
# window spill), the default 64-register (ESP32) spill chain run on dc233c,
# the tick negative control (re-armed in the past, as a host stall did before
# -icount) and the firmware self-test (division helpers; "fault": the
# exception report).
# Every other windowed variant is built for dc233c's 32 AR registers.
EXTRA = {
    "nospill": ["-DZS_TEST_TICKS", "-DZS_NEGATIVE_CONTROL_NO_SPILL"],
    "nareg64": ["-DZS_TEST_TICKS"],
    "pastrearm": ["-DZS_TEST_TICKS", "-DXT_NEGATIVE_CONTROL_PAST_REARM"],
    "selftest": [],
    "fault": ["-DXT_SELFTEST_FAULT"],
}

ABI = {
    "call0": {"flags": ["-DZS_TEST_NREGS=4"], "ld": "call0.ld", "libs": ["-lgcc"],
              "switch": "switch_xtensa_call0_elf_gas.S", "regs": "xt_regs_call0.S"},
    "windowed": {"flags": ["-mabi=windowed", "-Wa,--abi-windowed", "-Wa," + OPS, "-DZS_TEST_NREGS=10"],
                 "nareg": ["-DZS_XT_NAREG=32"],
                 "ld": "windowed.ld", "libs": [],
                 "switch": "switch_xtensa_windowed_elf_gas.S", "regs": "xt_regs_windowed.S"},
}


# Under -icount 50 ticks take 938 (call0) / 1666 (windowed) round trips: a
# tick that stops is reported after ~100x that, within the run's timeout
# (2,000,000 windowed round trips took longer than it on a loaded host).
TICK_ROUNDS = "-DZS_TEST_TICK_ROUNDS=200000"


def variant_flags(variant):
    return (EXTRA[variant] if variant in EXTRA else B.variant_flags(variant)) + [TICK_ROUNDS]


# Build one variant of emu/common/test_switch.c (or of xt_selftest.c) for one ABI.
def xtensa(abi):
    cfg = ABI[abi]

    def build(variant, outdir):
        flags = ["-O2", "-g", "-Wall", "-Wextra", "-Werror", "-ffreestanding", "-nostdlib",
                 "-mtext-section-literals", "-I" + XT, "-T" + os.path.join(XT, cfg["ld"]),
                 "-Wl,-z,noexecstack", "-Wl,--no-warn-rwx-segments",
                 "-Wl,-Map=" + os.path.join(outdir, variant + ".map")] + cfg["flags"] + variant_flags(variant)
        if variant != "nareg64":
            flags += cfg.get("nareg", [])
        sources = [os.path.join(XT, f) for f in ("xt_crt.S", "xt_vectors.S", "xt_semi.c", "xt_libgcc.c")]
        if variant in ("selftest", "fault"):
            sources += [os.path.join(XT, "xt_selftest.c")]
        else:
            sources += [os.path.join(XT, cfg["regs"]), B.path("native", "zs_ctx.c"), B.path("native", cfg["switch"]),
                        B.path("emu", "common", "test_switch.c")]
        return B.cc(GCC, flags, sources + cfg["libs"], os.path.join(outdir, variant + ".elf"))

    return build


# -icount: CCOUNT then counts executed instructions. Without it QEMU derives
# CCOUNT from host time, and a host stall between the tick handler's read of
# CCOUNT and its write of CCOMPARE0 re-arms the tick in the past: no further
# tick for 2^32 cycles ("timer interrupt stopped", ~1 run in 100 under load).
def qemu_argv(cpu):
    return ["qemu-system-xtensa", "-M", "sim", "-cpu", cpu, "-semihosting", "-nographic", "-monitor", "none",
            "-icount", "shift=3"]


def qemu(cpu):
    return lambda elf: qemu_argv(cpu) + ["-kernel", elf]


PASS = {"variant": "main", "what": "fibers, regs, deep, hwm, ticks", "expect": "Test OK", "expect_rc": 0}
CANARY = {"variant": "canary", "what": "overflow -> canary fatal", "expect_rc": 2,
          "expect": "FATAL: zs: stack overflow detected (canary damaged)"}
SELFTEST = {"variant": "selftest", "what": "firmware: __udivsi3/__umodsi3/__divsi3/__modsi3",
            "expect": "Test OK", "expect_rc": 0}
FAULT = {"variant": "fault", "what": "firmware: exception -> FAULT report", "expect_rc": 4,
         "expect": "FAULT: exception cause=0x00000000"}
PAST = {"variant": "pastrearm", "what": "negative control: tick re-armed in the past -> FAIL with counter/compare",
        "expect_rc": 1, "expect": "FAIL: timer interrupt stopped after 1 of 50 ticks, 200000 register-checked "
                                  "round trips; counter "}

TARGETS = [
    {
        "name": "xtensa-call0", "machine": "qemu sim lx106", "arch": "xtensa-call0", "tools": TOOLS,
        "build": xtensa("call0"), "command": qemu("lx106"),
        "runs": [PASS, CANARY, SELFTEST, FAULT, PAST],
        "count": dict(BIN, variant="count", mode="qemu-exec", symbols=["zs_arch_switch", "zs_ctx_switch"]),
    },
    {
        "name": "xtensa-windowed", "machine": "qemu sim dc233c", "arch": "xtensa-windowed", "tools": TOOLS,
        "build": xtensa("windowed"), "command": qemu("dc233c"),
        "runs": [
            dict(PASS, what="fibers, regs a2-a11 over call12, deep, hwm, ticks"),
            CANARY, SELFTEST, FAULT, PAST,
            dict(PASS, variant="nareg64", what="default ZS_XT_NAREG=64 (ESP32) spill, over-spills dc233c"),
            {"variant": "nospill", "what": "negative control: no window spill", "expect_rc": 4,
             "expect": "FAULT: exception cause="},
            # The spill hop and the window handlers run outside zs_arch_switch:
            # count_windowed.py counts them too and prints METRIC lines.
            {"variant": "count", "what": "insns per switch incl. spill + window exceptions",
             "expect": "Test OK", "expect_rc": 0,
             "command": lambda elf: [sys.executable, os.path.join(XT, "count_windowed.py"), elf]},
        ],
        "count": None,
        "timeout": 60,
    },
]
