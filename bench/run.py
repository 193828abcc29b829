"""`make bench`: every zsync_mp figure beside its peers measured in the same
run, on MicroPython unix, CPython and MicroPython WebAssembly; median of
several interleaved repetitions with the spread; the goals of issues 2 and 8
judged met or NOT met. Writes bench/results/latest.json, report.md and PNG
charts. Nothing here asserts a time: the numbers are the product.

  .venv/bin/python bench/run.py [--quick] [--only switch,chan] [--interp micropython,cpython]
                                [--src DIR] [--out DIR] [--no-callgrind] [--tiny] [--port PORT]
--quick: fewer operations and repetitions (development). --tiny: smoke test
(numbers meaningless). --src: benchmark the zsync_mp/ found in DIR.
--port: run the suites on a board through mpremote (alone, unless --interp
names others too).
"""
import argparse
import datetime
import json
import os
import platform
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import callgrind
import charts
import collect
import native
import report
import table as T


def args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="fewer operations and repetitions")
    p.add_argument("--tiny", action="store_true", help="smoke test: minimal sizes, numbers meaningless")
    p.add_argument("--only", default="", help="comma-separated suites: " + ",".join(collect.SUITES))
    p.add_argument("--interp", default="", help="comma-separated: micropython,cpython,wasm")
    p.add_argument("--src", default=collect.ROOT, help="directory holding the zsync_mp/ to measure")
    p.add_argument("--out", default=os.path.join(collect.BENCH, "results"), help="where results go")
    p.add_argument("--no-callgrind", action="store_true", help="skip the instruction counts")
    p.add_argument("--firmware", help="also run on this unix firmware built with native/ (the C Task)")
    p.add_argument("--port", help="also run on a MicroPython board over mpremote (e.g. /dev/ttyUSB0)")
    a = p.parse_args(argv)
    a.suites = [s for s in a.only.split(",") if s] or list(collect.SUITES)
    bad = [s for s in a.suites if s not in collect.SUITES]
    if bad:
        p.error("unknown suite(s) %s; known: %s" % (", ".join(bad), ", ".join(collect.SUITES)))
    a.interps = [i for i in a.interp.split(",") if i] or ["micropython", "cpython", "wasm"]
    bad = [i for i in a.interps if i not in T.INTERPS]
    if bad:
        p.error("unknown interpreter(s) %s; known: %s" % (", ".join(bad), ", ".join(T.INTERPS)))
    if a.firmware:
        if not os.access(a.firmware, os.X_OK):
            p.error("--firmware %s is not an executable (build it: make firmware PORT=unix MICROPY_DIR=...)" % a.firmware)
        collect.FIRMWARE["path"] = os.path.abspath(a.firmware)
        if "firmware" not in a.interps:
            a.interps.insert(1, "firmware")
    elif "firmware" in a.interps:
        p.error("the firmware interpreter needs --firmware PATH")
    if a.port:
        collect.PORT["port"] = a.port
        a.interps = ["board"] + [i for i in a.interps if i != "board"] if a.interp else ["board"]
    elif "board" in a.interps:
        p.error("the board interpreter needs --port")
    if not os.path.isdir(os.path.join(a.src, "zsync_mp")):
        p.error("--src %s has no zsync_mp/ directory" % a.src)
    return a


def load():
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return None


def main(argv=None):
    a = args(argv if argv is not None else sys.argv[1:])
    flags = ["--tiny"] if a.tiny else (["--quick"] if a.quick else [])
    interps = list(a.interps)
    notes = []
    if "wasm" in interps and not collect.have_wasm():
        interps.remove("wasm")
        notes.append("MicroPython WebAssembly skipped: run `npm ci --prefix bench/wasm` (needs node).")
    t0, load0 = time.time(), load()
    print("zsync-mp bench (%s) on %s; load average %s" % ("tiny" if a.tiny else "quick" if a.quick else "full",
                                                         ", ".join(interps), load0))
    got = collect.collect(interps, a.suites, flags, a.src)
    R, meta = got["results"], got["meta"]
    cg = {}
    if "micropython" in interps and not a.tiny and not a.no_callgrind and "switch" in a.suites:
        if callgrind.available():
            cg = callgrind.run(a.src, quick=a.quick)
        else:
            notes.append("Instruction counts skipped: valgrind is not installed.")
    alloc = {i: m["alloc"]["alloc"] for i, m in meta.items() if m.get("alloc", {}).get("alloc")}
    nrows = native.load()
    rows = T.rows(R)
    scale, curves = T.scaling(R)
    goals = T.goals(R, rows, alloc, scale, cg)
    doc = {
        "when": datetime.datetime.now().isoformat(timespec="seconds"),
        "mode": "tiny" if a.tiny else "quick" if a.quick else "full",
        "host": {"machine": platform.machine(), "cpus": os.cpu_count(), "load_before": load0, "load_after": load()},
        "seconds": round(time.time() - t0, 1),
        "versions": collect.versions(interps),
        "results": R, "meta": meta, "rows": rows, "goals": goals, "scaling": [list(s) for s in scale],
        "alloc": alloc, "callgrind": cg, "native": nrows, "errors": got["errors"], "notes": notes,
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "latest.json"), "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)
    pngs = charts.draw(R, rows, curves, nrows, a.out)
    text = report.document(doc, pngs)
    with open(os.path.join(a.out, "report.md"), "w") as f:
        f.write(text)
    print(report.console(doc))
    met = [g for g in goals if g["met"] is not None]
    print("\n%d of %d goals met; %s/report.md, latest.json (%.0f s)" % (
        sum(1 for g in met if g["met"]), len(met), os.path.relpath(a.out), time.time() - t0))
    return 1 if got["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
