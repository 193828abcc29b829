# The native context switch, from `make emu` (build/emu/switch_counts.json:
# {target: {arch, machine, method, insns_per_switch, insns_per_ctx_switch,
# switch_bytes, …}}; the host entry adds round_trip_ns), beside the
# register-save minimum per ABI: the smallest switches seen, as recorded in
# /work/shared/PLATFORM-NOTES.md ("Smallest switches seen (instructions)").
import json
import os

from collect import ROOT

COUNTS = os.path.join(ROOT, "build", "emu", "switch_counts.json")

# arch -> (minimum instructions, what the minimum is). Reference figures, not
# measured in this run.
MINIMUM = {
    "armv7m": (4, "Thumb-2 M3/M4"),
    "armv7m+fpu": (6, "M4F with s16–s31"),
    "armv6m": (15, "ARMv6-M"),
    "xtensa-call0": (15, "lx106 call0"),
    "rv32-ilp32": (31, "RV32"),
    "xtensa-windowed": (9, "windowed: 9 plus the spill chain (~104 with window exceptions)"),
}
X86_REF_NS = 9.0  # Boost.Context fcontext per switch (PLATFORM-NOTES; not measured here)


def load(path=COUNTS):
    # [{target, arch, machine, method, insns, with_ctx, bytes, minimum, minimum_what, ratio, ns…}]
    try:
        with open(path) as f:
            data = json.load(f)
    except (OSError, ValueError):
        return []
    rows = []
    for target in sorted(data):
        c = data[target]
        mn = MINIMUM.get(c.get("arch"))
        insns = c.get("insns_per_switch")
        r = {
            "target": target,
            "arch": c.get("arch"),
            "machine": c.get("machine"),
            "method": c.get("method", "-"),
            "insns": insns,
            "with_ctx": c.get("insns_per_ctx_switch"),
            "bytes": c.get("switch_bytes"),
            "minimum": mn[0] if mn else None,
            "minimum_what": mn[1] if mn else "no figure in PLATFORM-NOTES",
            "ratio": (insns / mn[0]) if (mn and insns) else None,
        }
        if "round_trip_ns" in c:
            r["round_trip_ns"] = c["round_trip_ns"]
            r["bare_ns_per_switch"] = c.get("arch_round_trip_ns", c["round_trip_ns"]) / 2
            r["ref_ns_per_switch"] = c.get("boost_ref_ns_per_switch", X86_REF_NS)
        rows.append(r)
    return rows
