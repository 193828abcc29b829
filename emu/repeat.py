# Run emu test variants many times, optionally beside busy loops that load
# the host, and count outcomes: a flaky emulated timer shows up here, not in
# one lucky run.
#   python emu/repeat.py xtensa-call0 xtensa-windowed -n 100 --load 2
#   (--variants main,nareg64 picks the runs; default: main, the build with
#   the periodic tick)
# Prints one line per target/variant: runs, ok, failed, and each distinct
# failure (problem + the FAIL/FATAL line) with its count. Exit 1 if any failed.
import argparse
import collections
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from emu import run as R
from emu import targets as T

BUSY = "while True: pass"


def verdict(row):
    if row["ok"]:
        return None
    said = [ln.strip() for ln in row["output"].splitlines() if ln.startswith(("FAIL:", "FATAL:", "FAULT:"))]
    return "; ".join(row["problems"] + said[:1])


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("targets", nargs="+")
    ap.add_argument("-n", type=int, default=100, help="runs per variant")
    ap.add_argument("--load", type=int, default=0, help="busy-loop processes beside the runs")
    ap.add_argument("--variants", default="main", help="comma-separated variants (default: main)")
    ap.add_argument("--out", default=os.path.join(R.OUT, "repeat"), help="build directory")
    a = ap.parse_args(argv)
    known = {t["name"]: t for t in T.TARGETS}
    bad = [n for n in a.targets if n not in known]
    if bad:
        ap.error("unknown target(s): %s; known: %s" % (", ".join(bad), ", ".join(known)))
    busy = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(a.load)]
    failed = 0
    try:
        for name in a.targets:
            target = known[name]
            want = [v for v in a.variants.split(",") if v]
            specs = [s for s in target["runs"] if s["variant"] in want]
            if not specs:
                ap.error("%s has none of the runs %s" % (name, a.variants))
            outdir = os.path.join(a.out, name)
            os.makedirs(outdir, exist_ok=True)
            built = {}
            for spec in specs:
                seen = collections.Counter()
                for _ in range(a.n):
                    seen[verdict(R.run_one(target, spec, outdir, built))] += 1
                bad_runs = a.n - seen[None]
                failed += bad_runs
                print("%-16s %-8s runs %d ok %d failed %d (load %d)" % (name, spec["variant"], a.n, seen[None],
                                                                        bad_runs, a.load), flush=True)
                for what, k in seen.most_common():
                    if what is not None:
                        print("    %dx %s" % (k, what))
    finally:
        for p in busy:
            p.kill()
            p.wait()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
