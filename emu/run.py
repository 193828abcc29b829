# Build and run the native-switch test firmware on every emu target, print a table.
# `python emu/run.py` runs all targets, `python emu/run.py cortex-m3 rv32` some,
# `--list` names them, `--build-only` builds the firmware without running it. Exit status 0 only if every run met its expectation
# (the "Test OK" line or the expected fatal line, AND the expected exit code).
# Writes build/emu/<target>/result.json (rows and counts of that target) and
# merges them into build/emu/switch_counts.json (instructions and bytes per
# switch, and the host round trip in ns) for the benchmark report.
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emu import build as B
from emu import targets as T

OUT = B.path("build", "emu")


# Run argv under `timeout`; return (rc, output). Serial runs stop at the expected line.
def execute(argv, timeout, stop_at=None):
    cmd = ["timeout", "--kill-after=5", str(timeout)] + argv
    if stop_at is None:
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace")
        return r.returncode, r.stdout
    # Own process group: stopping it stops `timeout` AND the QEMU under it
    # (killing `timeout` alone would orphan a QEMU that never exits).
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, errors="replace",
                         start_new_session=True)
    lines = []
    try:
        for line in p.stdout:
            lines.append(line.replace("\r", ""))
            if line.strip() == stop_at or line.startswith(("FAIL:", "FATAL:", "Test OK")):
                break  # a verdict line: UART firmware parks the CPU after it
    finally:
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        p.wait()
        p.stdout.close()
    return None, "".join(lines)


# One run: build its variant (cached per target), run it, judge rc and output.
def run_one(target, spec, outdir, built):
    variant = spec["variant"]
    if variant not in built:
        built[variant] = target["build"](variant, outdir)
    elf = built[variant]
    argv = spec.get("command", target["command"])(elf)
    serial = spec.get("serial", False)
    rc, out = execute(argv, target.get("timeout", 30), spec["expect"] if serial else None)
    lines = [ln.strip() for ln in out.splitlines()]
    problems = []
    if spec["expect"] not in lines and not any(ln.startswith(spec["expect"]) for ln in lines):
        problems.append("missing line %r" % spec["expect"])
    if not serial and rc != spec["expect_rc"]:
        problems.append("exit code %s, expected %s" % (rc, spec["expect_rc"]))
    if spec["expect"] != "Test OK" and "Test OK" in lines:
        problems.append("printed Test OK in a run that must fail")
    if lines.count("Test OK") > 1:
        problems.append("printed Test OK %d times" % lines.count("Test OK"))
    metrics = dict(re.findall(r"^METRIC (\w+)=(\S+)$", out, re.M))
    return {"variant": variant, "what": spec["what"], "ok": not problems, "rc": rc,
            "problems": problems, "output": out, "metrics": metrics}


# Symbol start and size from nm -S.
def symbols(nm, elf, names):
    out = subprocess.run([nm, "-S", elf], capture_output=True, text=True, check=True).stdout
    found = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 4 and parts[3] in names:
            found[parts[3]] = (int(parts[0], 16) & ~1, int(parts[1], 16))
    missing = [n for n in names if n not in found]
    if missing:
        raise RuntimeError("%s: symbols %s not found (need .size directives)" % (elf, missing))
    return found


# Instructions of a straight-line symbol, up to and including its first return.
def disasm_count(objdump, elf, name):
    out = subprocess.run([objdump, "-d", "--no-show-raw-insn", elf], capture_output=True, text=True,
                         check=True).stdout
    body = out.split("<%s>:\n" % name, 1)[1].split("\n\n", 1)[0]
    n = 0
    for line in body.splitlines():
        if re.match(r"\s*[0-9a-f]+:\s", line):
            n += 1
            if re.search(r"\b(ret|retw|retw\.n|ret\.n|bx\s+lr)\b", line) or re.search(r"pop\s.*pc", line):
                break
    return n


# Instructions per call of each symbol, from QEMU's one-instruction-per-TB execution log.
def qemu_count(target, elf, outdir):
    spec = target["count"]
    syms = symbols(spec["nm"], elf, spec["symbols"])
    log = os.path.join(outdir, "exec.%d.log" % os.getpid())
    argv = target["command"](elf) + ["-singlestep", "-d", "exec,nochain", "-D", log]
    rc, out = execute(argv, 60)
    if rc != 0 or "Test OK" not in out:
        raise RuntimeError("count run failed (rc %s): %s" % (rc, out[-300:]))
    insns = {n: 0 for n in syms}
    entries = {n: 0 for n in syms}
    pc_re = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/([0-9a-f]+)/")
    with open(log, errors="replace") as f:
        for line in f:
            m = pc_re.match(line)
            if not m:
                continue
            pc = int(m.group(1), 16)
            for n, (start, size) in syms.items():
                if start <= pc < start + size:
                    insns[n] += 1
                    entries[n] += pc == start
    os.remove(log)
    return {n: (insns[n] / entries[n] if entries[n] else None) for n in syms}, syms


# Instructions and bytes per switch for one target (None entries when not measurable).
def measure(target, outdir):
    spec = target.get("count")
    if not spec:
        return None
    elf = target["build"](spec["variant"], outdir)
    syms = symbols(spec["nm"], elf, spec["symbols"])
    result = {"method": spec["mode"], "switch_bytes": syms["zs_arch_switch"][1]}
    if spec["mode"] == "disasm":
        result["insns_per_switch"] = disasm_count(spec["objdump"], elf, "zs_arch_switch")
        result["insns_per_ctx_switch"] = None
    else:
        per, _ = qemu_count(target, elf, outdir)
        arch = per.get("zs_arch_switch")
        ctx = per.get("zs_ctx_switch")
        result["insns_per_switch"] = arch
        result["insns_per_ctx_switch"] = ctx + arch if ctx is not None and arch is not None else None
    return result


# All runs of one target, then its instruction count; failures become rows.
def run_target(target):
    outdir = os.path.join(OUT, target["name"])
    os.makedirs(outdir, exist_ok=True)
    missing = [t for t in target["tools"] if shutil.which(t) is None]
    if missing:
        msg = "missing tools: %s (make setup installs them)" % ", ".join(missing)
        return [{"variant": "-", "what": "tools", "ok": False, "rc": None, "problems": [msg],
                 "output": "", "metrics": {}}], None
    rows, built = [], {}
    for spec in target["runs"]:
        try:
            rows.append(run_one(target, spec, outdir, built))
        except Exception as e:  # a build error is a failed row, not a crash of the suite
            rows.append({"variant": spec["variant"], "what": spec["what"], "ok": False, "rc": None,
                         "problems": [str(e)], "output": "", "metrics": {}})
    try:
        counts = measure(target, outdir)
    except Exception as e:
        rows.append({"variant": "count", "what": "instruction count", "ok": False, "rc": None,
                     "problems": [str(e)], "output": "", "metrics": {}})
        counts = None
    return rows, counts


# Write JSON atomically: parallel runs of single targets must not see half a file.
def dump(path, data):
    tmp = "%s.%d.tmp" % (path, os.getpid())
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1, sort_keys=True)
    os.replace(tmp, path)


# switch_counts.json: every known target's latest counts, from build/emu/<target>/result.json.
def merge_counts():
    merged = {}
    for t in T.TARGETS:
        path = os.path.join(OUT, t["name"], "result.json")
        if os.path.exists(path):
            with open(path) as f:
                c = json.load(f).get("counts")
            if c:
                merged[t["name"]] = c
    dump(os.path.join(OUT, "switch_counts.json"), merged)


# Table cell: "-" for unknown, no trailing zeros.
def fmt(v):
    if v is None:
        return "-"
    return ("%.1f" % v).rstrip("0").rstrip(".") if isinstance(v, float) else str(v)


# Command line: target names, --list, --build-only, -v (show every output).
def main(argv):
    if "--list" in argv:
        for t in T.TARGETS:
            print("%-18s %-22s %s" % (t["name"], t["machine"], t["arch"]))
        return 0
    names = [a for a in argv if not a.startswith("-")]
    known = [t["name"] for t in T.TARGETS]
    unknown = [n for n in names if n not in known]
    if unknown:
        print("unknown target(s): %s; known: %s" % (", ".join(unknown), ", ".join(known)))
        return 2
    chosen = [t for t in T.TARGETS if not names or t["name"] in names]
    if "--build-only" in argv:
        for t in chosen:
            for variant in sorted({s["variant"] for s in t["runs"]}):
                print(t["build"](variant, os.path.join(OUT, t["name"])))
        return 0
    verbose = "-v" in argv
    results, counts, failed = {}, {}, 0
    t0 = time.time()
    print("%-18s %-22s %-7s %-6s %s" % ("target", "machine", "variant", "result", "what"))
    for t in chosen:
        rows, c = run_target(t)
        results[t["name"]] = rows
        if c is not None:
            counts[t["name"]] = dict(c, machine=t["machine"], arch=t["arch"])
        for r in rows:
            failed += not r["ok"]
            print("%-18s %-22s %-7s %-6s %s" % (t["name"], t["machine"], r["variant"],
                                                "ok" if r["ok"] else "FAIL", r["what"]))
            if not r["ok"] or verbose:
                for p in r["problems"]:
                    print("    problem: %s" % p)
                for line in r["output"].splitlines()[-12:]:
                    print("    | %s" % line)
        for r in rows:
            if r["metrics"]:
                counts.setdefault(t["name"], {"machine": t["machine"], "arch": t["arch"]}).update(
                    {k: float(v) for k, v in r["metrics"].items()})
    print()
    print("%-18s %-22s %-12s %-18s %-12s %s" % ("target", "machine", "insns/switch", "with zs_ctx_switch",
                                               "switch bytes", "method"))
    for name, c in counts.items():
        print("%-18s %-22s %-12s %-18s %-12s %s" % (name, c["machine"], fmt(c.get("insns_per_switch")),
                                                   fmt(c.get("insns_per_ctx_switch")),
                                                   fmt(c.get("switch_bytes")), c.get("method", "-")))
        if "round_trip_ns" in c:
            print("%-18s round trip %s ns via zs_ctx_switch, %s ns bare (%s ns per bare switch; "
                  "Boost.Context fcontext reference %s ns per switch)" % (
                      "", fmt(c["round_trip_ns"]), fmt(c.get("arch_round_trip_ns")),
                      fmt(c.get("arch_round_trip_ns", 0) / 2), fmt(c.get("boost_ref_ns_per_switch"))))
    for name, rows in results.items():
        dump(os.path.join(OUT, name, "result.json"),
             {"rows": [{k: v for k, v in r.items() if k != "output"} for r in rows], "counts": counts.get(name)})
    merge_counts()
    total = sum(len(r) for r in results.values())
    print("\n%d/%d runs ok in %.1f s" % (total - failed, total, time.time() - t0))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
