# Instructions per windowed switch, counted from QEMU's execution log.
# Usage: python count_windowed.py firmware.elf   (the "count" build variant)
# A windowed switch runs code outside zs_arch_switch: the spill hop and the
# window overflow/underflow handlers at VECBASE. From each entry of a start
# symbol, every instruction is counted until control leaves that group, so
# the figure is the whole cost. Prints QEMU's output, a breakdown, and
# METRIC lines that emu/run.py puts in its table; exits with QEMU's status.
import os
import re
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
from emu import targets_xtensa

NM = "xtensa-lx106-elf-nm"
QEMU = targets_xtensa.qemu_argv("dc233c")
WINDOW_VECTORS = 0x180  # VECBASE + 0 .. 0x17f: the six window handlers


# name -> (start, size); symbols without a size get 0.
def symbols(elf):
    out = subprocess.run([NM, "-S", elf], capture_output=True, text=True, check=True).stdout
    syms = {}
    for line in out.splitlines():
        p = line.split()
        if len(p) == 4:
            syms[p[3]] = (int(p[0], 16), int(p[1], 16))
        elif len(p) == 3:
            syms.setdefault(p[2], (int(p[0], 16), 0))
    return syms


# Executed pcs, one per line of a -singlestep exec log.
def trace(elf, log):
    r = subprocess.run(["timeout", "60"] + QEMU + ["-kernel", elf, "-singlestep", "-d", "exec,nochain", "-D", log],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
    pc_re = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(log, errors="replace") as f:
        pcs = [int(m.group(1), 16) for m in map(pc_re.match, f) if m]
    return r.returncode, r.stdout, pcs


# Per entry of `start`: instructions until the pc leaves `ranges`; also how many in `part`.
def grouped(pcs, start, ranges, part):
    def inside(pc):
        return any(a <= pc < a + n for a, n in ranges)

    totals, parts, i = [], [], 0
    while i < len(pcs):
        if pcs[i] != start:
            i += 1
            continue
        n = k = 0
        while i < len(pcs) and inside(pcs[i]):
            n += 1
            k += part[0] <= pcs[i] < part[0] + part[1]
            i += 1
        totals.append(n)
        parts.append(k)
    return totals, parts


def main(elf):
    syms = symbols(elf)
    vec = (syms["_xt_vectors"][0], WINDOW_VECTORS)
    arch = [syms["zs_arch_switch"], vec] + [v for n, v in syms.items() if n.startswith("zs_xt_spill_hop")]
    fd, log = tempfile.mkstemp(suffix=".log")
    os.close(fd)
    try:
        rc, out, pcs = trace(elf, log)
    finally:
        os.remove(log)
    sys.stdout.write(out)
    sw, exc = grouped(pcs, syms["zs_arch_switch"][0], arch, vec)
    ctx, _ = grouped(pcs, syms["zs_ctx_switch"][0], arch + [syms["zs_ctx_switch"]], vec)
    if not sw or not ctx:
        print("count: no switch found in the execution log")
        return 1
    per, per_exc, per_ctx = sum(sw) / len(sw), sum(exc) / len(exc), sum(ctx) / len(ctx)
    hops = sum(v[1] for n, v in syms.items() if n.startswith("zs_xt_spill_hop"))
    print("count: %d switches, %.1f instructions each: %.1f in zs_arch_switch + spill hop, "
          "%.1f in window overflow/underflow handlers" % (len(sw), per, per - per_exc, per_exc))
    print("METRIC insns_per_switch=%.1f" % per)
    print("METRIC insns_per_ctx_switch=%.1f" % per_ctx)
    print("METRIC window_exception_insns=%.1f" % per_exc)
    print("METRIC switch_bytes=%d" % (syms["zs_arch_switch"][1] + hops))
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
