# Build helpers for emu targets: one compiler call per firmware variant.
import hashlib
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NATIVE = os.path.join(ROOT, "native")
EMU = os.path.join(ROOT, "emu")
COMMON = os.path.join(EMU, "common")


def path(*parts):
    return os.path.join(ROOT, *parts)


LINK_ONLY = ("-Wl,", "-T", "-L", "-l")


# Run one compiler command; its output goes into the exception on failure.
def run_cc(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError("build failed: %s\n%s%s" % (" ".join(cmd), r.stdout, r.stderr))


# True when obj is missing or older than its source or any header in its .d file.
def stale(obj, dep):
    if not (os.path.exists(obj) and os.path.exists(dep)):
        return True
    with open(dep) as f:
        files = f.read().replace("\\\n", " ").split(":", 1)[-1].split()
    t = os.path.getmtime(obj)
    return any(not os.path.exists(x) or os.path.getmtime(x) > t for x in files)


# Compile each source once per flag set (objects cached under outdir/obj, with
# header dependencies), then link into out; raise with the tool output on error.
# Files appear atomically: parallel runs of one target never see half a file.
def cc(tool, flags, sources, out):
    objdir = os.path.join(os.path.dirname(out), "obj")
    os.makedirs(objdir, exist_ok=True)
    cflags = [f for f in flags if not f.startswith(LINK_ONLY)] + ["-I" + NATIVE, "-I" + COMMON]
    objs = []
    for src in sources:
        if src.startswith("-"):
            objs.append(src)
            continue
        key = hashlib.sha1(("\0".join([tool, src] + cflags)).encode()).hexdigest()[:12]
        obj = os.path.join(objdir, "%s.%s.o" % (os.path.basename(src), key))
        dep = obj[:-2] + ".d"
        if stale(obj, dep):
            tmp = "%s.%d.tmp" % (obj, os.getpid())
            run_cc([tool] + cflags + ["-c", src, "-MMD", "-MF", dep + ".%d" % os.getpid(), "-o", tmp])
            os.replace(dep + ".%d" % os.getpid(), dep)
            os.replace(tmp, obj)
        objs.append(obj)
    tmp = "%s.%d.tmp" % (out, os.getpid())
    run_cc([tool] + flags + objs + ["-o", tmp])
    os.replace(tmp, out)
    return out


# The test-program flags of each firmware variant (see emu/common/test_switch.c).
def variant_flags(variant):
    table = {
        "main": ["-DZS_TEST_TICKS"],
        "canary": ["-DZS_TEST_CANARY"],
        "mpu": ["-DZS_TEST_MPU"],
        "count": ["-DZS_TEST_COUNT"],
        "return": ["-DZS_TEST_RETURN"],
        "misuse": ["-DZS_TEST_MISUSE"],
        "nofpu": ["-DZS_TEST_TICKS", "-DZS_NEGATIVE_CONTROL_NO_FPU_SAVE"],
        "uart": ["-DZS_TEST_TICKS", "-DZS_UART_STM32"],
        "uart-canary": ["-DZS_TEST_CANARY", "-DZS_UART_STM32"],
    }
    if variant not in table:
        raise ValueError("unknown build variant %r (known: %s)" % (variant, ", ".join(sorted(table))))
    return table[variant]


# A Cortex-M target: cpu flags, the board memory map, the port's switch file.
def cortex_m(cpu_flags, mem_ld, switch, regs, nregs=8, extra=()):
    def build(variant, outdir):
        flags = list(cpu_flags) + [
            "-mthumb", "-O2", "-g", "-Wall", "-Wextra", "-Werror", "-ffreestanding",
            "-nostdlib", "-nostartfiles", "-DZS_TEST_NREGS=%d" % nregs,
            "-L" + path("emu", "arm"), "-T" + path("emu", "arm", mem_ld),
            "-Wl,--gc-sections", "-Wl,-Map=" + os.path.join(outdir, variant + ".map"),
        ] + list(extra) + variant_flags(variant)
        sources = [
            path("native", "zs_ctx.c"), path("native", switch), path("emu", "arm", "startup.c"),
            path("emu", "common", "semihost.c"),
            path("emu", "arm", regs), path("emu", "common", "test_switch.c"),
        ]
        if variant == "mpu":
            sources.append(path("native", "zs_guard_armv7m.c"))
        return cc("arm-none-eabi-gcc", flags, sources + ["-lgcc"], os.path.join(outdir, variant + ".elf"))

    return build


# The x86-64 host build: sanitizers for the test, -O2 for the benchmark.
def host(variant, outdir):
    base = ["-g", "-Wall", "-Wextra", "-Werror", "-DZS_TEST_NREGS=6", "-DZS_TEST_STACK=16384", "-DZS_TEST_FIBERS=64",
            "-DZS_TEST_DEEP_LEVELS=200"]
    san = ["-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=all", "-fno-omit-frame-pointer"]
    core = [path("native", "zs_ctx.c"), path("native", "switch_x86_64_sysv_elf_gas.S")]
    test = core + [path("emu", "host", "semi_host.c"), path("emu", "host", "regs_x86_64.S"),
                   path("emu", "common", "test_switch.c")]
    table = {
        "asan": (san + ["-DZS_TEST_FPCTL", "-DZS_TEST_TICKS"], test),
        "canary": (san + ["-DZS_TEST_CANARY"], test),
        "return": (san + ["-DZS_TEST_RETURN"], test),
        "misuse": (san + ["-DZS_TEST_MISUSE"], test),
        "guard": (["-O2", "-DZS_TEST_MPU", "-DZS_TEST_GUARD_LOG2=12"], test),
        "bench": (["-O2"], core + [path("emu", "host", "bench_switch.c")]),
    }
    if variant not in table:
        raise ValueError("unknown host variant %r (known: %s)" % (variant, ", ".join(sorted(table))))
    flags, sources = table[variant]
    return cc("gcc", base + flags, sources, os.path.join(outdir, variant))


# RV32 ilp32 on QEMU virt (ESP32-C3/C6 class core), M-mode, everything in RAM.
def rv32(variant, outdir):
    flags = [
        "-march=rv32imac", "-Wa,-march=rv32imac_zicsr", "-mabi=ilp32", "-mcmodel=medany", "-O2", "-g", "-Wall", "-Wextra", "-Werror",
        "-ffreestanding", "-nostdlib", "-nostartfiles", "-DZS_TEST_NREGS=12",
        "-T" + path("emu", "riscv", "virt.ld"), "-Wl,--gc-sections",
        "-Wl,-Map=" + os.path.join(outdir, variant + ".map"),
    ] + variant_flags(variant)
    sources = [
        path("native", "zs_ctx.c"), path("native", "switch_rv32_ilp32_elf_gas.S"),
        path("emu", "riscv", "start.S"), path("emu", "riscv", "platform.c"), path("emu", "common", "semihost.c"),
        path("emu", "riscv", "regs_rv32.S"), path("emu", "common", "test_switch.c"), "-lgcc",
    ]
    return cc("riscv64-unknown-elf-gcc", flags, sources, os.path.join(outdir, variant + ".elf"))
