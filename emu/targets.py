# Emu targets for the native context switch: one dict per target, run by emu/run.py.
#
# Shape of a target (emu/targets_xtensa.py exports TARGETS of the same shape;
# it is imported and appended here when present):
#   name     str   unique; `python emu/run.py <name>` runs only this target
#   machine  str   what runs it, shown in the table ("qemu mps2-an385", "host")
#   arch     str   port name, as ZS_ARCH_NAME ("armv7m", "rv32-ilp32", ...)
#   tools    [str] executables it needs; a missing one fails the target with a
#                  clear message (never a silent skip)
#   build    fn(variant: str, outdir: str) -> str
#                  builds one variant of the test firmware into outdir and
#                  returns the ELF path; raises (CalledProcessError...) on error
#   command  fn(elf: str) -> [str]   argv that runs the ELF (run.py wraps it
#                  in `timeout`); for the host, [elf]
#   runs     [dict] each run of the target:
#                  variant    str   passed to build()
#                  what       str   one line for the table ("fibers, regs, ticks")
#                  expect     str   a line that must appear in the output
#                                   ("Test OK", or "FATAL: zs: stack overflow...")
#                  expect_rc  int   exit code that must come back (0 for a pass,
#                                   ZS_EXIT_* of emu/common/zs_semi.h otherwise)
#                  serial     bool  optional: output is read until `expect`
#                                   appears, then the process is stopped and no
#                                   exit code is checked (UART firmware that
#                                   loops); expect_rc is None then
#                  command    fn    optional: overrides the target's command
#   count    dict or None: how instructions per switch are measured
#                  variant    str   build variant to measure (a short ping-pong)
#                  mode       "qemu-exec": run command(elf) + QEMU's
#                                   -singlestep -d exec,nochain and count the
#                                   executed pcs inside each symbol per entry;
#                             "disasm": count instructions of the symbol in the
#                                   disassembly (straight-line code only)
#                  nm, objdump  str  binutils of the target
#                  symbols    [str] measured symbols (zs_arch_switch, zs_ctx_switch)
#   timeout  int   optional seconds per run (default 30)
#   cpu_flags [str] Cortex-M targets: the -mcpu/-mfpu/-mfloat-abi flags the
#                  firmware is built with (the Renode platform's core must
#                  match them: tests/test_renode_core.py)
import os

from emu import build as B

HERE = os.path.dirname(os.path.abspath(__file__))
ARM_TOOLS = ["arm-none-eabi-gcc", "arm-none-eabi-nm", "arm-none-eabi-objdump", "qemu-system-arm"]
ARM_BIN = {"nm": "arm-none-eabi-nm", "objdump": "arm-none-eabi-objdump"}
SYMBOLS = ["zs_arch_switch", "zs_ctx_switch"]
QEMU_ARM = ["qemu-system-arm", "-display", "none", "-monitor", "none", "-serial", "null",
            "-semihosting-config", "enable=on,target=native", "-icount", "shift=3"]

PASS = {"variant": "main", "what": "fibers, regs, deep, hwm, ticks", "expect": "Test OK", "expect_rc": 0}
CANARY = {"variant": "canary", "what": "overflow -> canary fatal", "expect_rc": 2,
          "expect": "FATAL: zs: stack overflow detected (canary damaged)"}
MPU = {"variant": "mpu", "what": "overflow -> MPU guard fault", "expect_rc": 3,
       "expect": "FATAL: zs: MPU guard hit (stack overflow)"}
RETURN = {"variant": "return", "what": "fiber entry returns -> fatal", "expect_rc": 2,
          "expect": "FATAL: zs: fiber entry returned"}
NOFPU = {"variant": "nofpu", "what": "negative control: no s16-s31 save", "expect_rc": 1,
         "expect": "FAIL: main s16-s31 damaged by a switch"}
FPU_PASS = dict(PASS, what="fibers, regs, s16-s31, deep, hwm, ticks")


# The Renode build under QEMU: USART2 is netduinoplus2's second serial port.
# Renode runs it on emu/renode/stm32f4_m4f.repl, whose core matches M4F below.
UART = {"expect": "Test OK", "expect_rc": None, "serial": True,
        "command": lambda elf: ["qemu-system-arm", "-M", "netduinoplus2", "-display", "none", "-monitor", "none",
                                "-serial", "null", "-serial", "stdio", "-icount", "shift=3", "-kernel", elf]}


# argv of a semihosting Cortex-M board; the ELF goes last.
def qemu_arm(machine):
    return lambda elf: QEMU_ARM + ["-M", machine, "-kernel", elf]


# How a target measures instructions per switch (see the shape above).
def count(variant="count", mode="qemu-exec", binutils=ARM_BIN):
    return dict(binutils, variant=variant, mode=mode, symbols=SYMBOLS)


V7M = "switch_armv7m_aapcs_elf_gas.S"


# One Cortex-M target on a QEMU board.
def cortex_m(name, machine, arch, cpu, mem_ld, runs, switch=V7M, regs="regs_armv7m.S", extra=()):
    return {"name": name, "machine": "qemu " + machine, "arch": arch, "tools": ARM_TOOLS, "cpu_flags": list(cpu),
            "build": B.cortex_m(cpu, mem_ld, switch, regs, extra=list(extra)),
            "command": qemu_arm(machine), "runs": runs, "count": count()}


M4F = ["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=hard"]
M7 = ["-mcpu=cortex-m7", "-mfpu=fpv5-d16", "-mfloat-abi=hard"]
FPU_RUNS = [FPU_PASS, CANARY, RETURN, MPU, NOFPU]

TARGETS = [
    {
        "name": "host-x86_64", "machine": "host (ASan+UBSan)", "arch": "x86_64-sysv",
        "tools": ["gcc", "objdump", "nm"],
        "build": B.host, "command": lambda elf: [elf],
        "runs": [
            dict(PASS, variant="asan", what="ASan+UBSan: fibers, regs, MXCSR/x87, deep, hwm, SIGALRM"),
            CANARY, RETURN,
            {"variant": "misuse", "what": "zs_ctx_init with a 64-byte stack -> fatal", "expect_rc": 2,
             "expect": "FATAL: zs: zs_ctx_init needs a ctx, an entry and a stack of >= ZS_STACK_MIN bytes"},
            dict(MPU, variant="guard", what="overflow -> guard page SIGSEGV",
                 expect="FATAL: zs: guard page hit (stack overflow)"),
            {"variant": "bench", "what": "round trip ns vs Boost.Context", "expect": "Test OK", "expect_rc": 0},
        ],
        "count": count("bench", "disasm", {"nm": "nm", "objdump": "objdump"}),
    },
    cortex_m("cortex-m0", "microbit", "armv6m", ["-mcpu=cortex-m0"], "mem_microbit.ld",
             [PASS, CANARY, RETURN],  # nRF51 has no MPU: no guard run
             switch="switch_armv6m_aapcs_elf_gas.S", regs="regs_armv6m.S",
             extra=["-DZS_TEST_STACK=1024", "-DZS_TEST_FIBERS=4", "-DZS_TEST_ROUNDS=2000"]),
    cortex_m("cortex-m3", "mps2-an385", "armv7m", ["-mcpu=cortex-m3"], "mem_mps2.ld",
             [PASS, CANARY, RETURN, MPU]),
    cortex_m("cortex-m4f", "mps2-an386", "armv7m+fpu", M4F, "mem_mps2.ld", FPU_RUNS, extra=["-DZS_TEST_FPU"]),
    cortex_m("cortex-m4f-stm32", "netduinoplus2", "armv7m+fpu", M4F, "mem_stm32f4.ld",
             FPU_RUNS + [dict(UART, variant="uart", what="USART2 output, no semihosting (Renode build)"),
                         dict(UART, variant="uart-canary", what="USART2 build: overflow -> canary fatal",
                              expect=CANARY["expect"])],
             extra=["-DZS_TEST_FPU"]),
    cortex_m("cortex-m7", "mps2-an500", "armv7m+fpu", M7, "mem_mps2.ld", FPU_RUNS, extra=["-DZS_TEST_FPU"]),
]

TARGETS.append({
    "name": "rv32", "machine": "qemu virt (rv32imac)", "arch": "rv32-ilp32",
    "tools": ["riscv64-unknown-elf-gcc", "riscv64-unknown-elf-nm", "riscv64-unknown-elf-objdump",
              "qemu-system-riscv32"],
    "build": B.rv32,
    "command": lambda elf: ["qemu-system-riscv32", "-M", "virt", "-bios", "none", "-display", "none",
                            "-monitor", "none", "-serial", "null",
                            "-semihosting-config", "enable=on,target=native", "-icount", "shift=3",
                            "-kernel", elf],
    "runs": [PASS, CANARY, RETURN],  # no MPU; a PMP guard is possible but not done (PORTING.md)
    "count": count(binutils={"nm": "riscv64-unknown-elf-nm", "objdump": "riscv64-unknown-elf-objdump"}),
})

if os.path.exists(os.path.join(HERE, "targets_xtensa.py")):
    from emu import targets_xtensa

    TARGETS += targets_xtensa.TARGETS
