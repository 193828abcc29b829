# Markdown for the console and bench/results/report.md: the comparison rows,
# the goals (met / NOT met), timers, scaling, allocations, native switch,
# instruction counts. Charts come from charts.py. CPython only.
import table as T


def scale_of(v, unit):
    # (divisor, suffix): one scale for a median and its range.
    if unit == "bytes":
        return 1, " B"
    if unit == "us" or abs(v) >= 10000:
        return (1, " µs") if unit == "us" else (1000.0, " µs")
    return 1, " ns"


def num(v, unit, sc=None):
    if v is None:
        return "—"
    d, suffix = sc or scale_of(v, unit)
    x = v / d
    return ("%.1f" % x if d != 1 and abs(x) < 100 else "%d" % round(x)) + suffix


def fig(s, unit):
    # median (min–max), all three in the median's scale
    if s is None:
        return "—"
    sc = scale_of(s["median"], unit)
    if s["min"] == s["max"]:
        return num(s["median"], unit, sc)
    return "%s (%s–%s)" % (num(s["median"], unit, sc), num(s["min"], unit, sc).split()[0], num(s["max"], unit, sc))


def ratio_text(r):
    if r["ratio"] is None:
        return "—"
    m, lo, hi = r["ratio"]
    span = " (%.2f–%.2f)" % (lo, hi) if abs(hi - lo) > 0.005 else ""
    if r["cost"]:
        what = "the size" if r["unit"] == "bytes" else "the cost"
        return "%.2f× %s%s" % (m, what, span)
    if m >= 1:
        return "**%.2f× faster**%s" % (m, span)
    if span:  # the range in the same sense as the median: slower-by factors
        span = " (%.2f–%.2f)" % (1 / hi, 1 / lo)
    return "%.2f× slower%s" % (1 / m, span)


def md_table(head, body):
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(str(c) for c in row) + " |" for row in body]
    return lines


def comparisons(rows):
    body = [(T.NAMES[r["interp"]], r["what"], fig(r["ours"], r["unit"]), r["peer_label"], fig(r["peer"], r["unit"]),
             ratio_text(r)) for r in rows]
    return md_table(("interpreter", "figure", "zsync_mp: median (min–max)", "peer", "peer: median (min–max)",
                     "zsync_mp vs peer: median (range)"), body)


def goal_lines(goals):
    body = []
    for g in goals:
        met = "—" if g["met"] is None else ("met" if g["met"] else "**NOT met**")
        body.append((T.NAMES[g["interp"]], g["goal"], g["detail"], met))
    return md_table(("interpreter", "goal", "measured", "verdict"), body)


def timers(R):
    body = []
    for interp in T.INTERPS:
        for lib, name in (("zs", "zsync_mp sleep_ms"), ("asyncio", "asyncio sleep_ms / sleep")):
            st = [T.get(R, interp, "timer.%s.%s" % (lib, k)) for k in ("p50", "p99", "max", "min", "early")]
            if not st[0]:
                continue
            early = st[4]
            body.append((T.NAMES[interp], name, fig(st[0], "us"), fig(st[1], "us"), fig(st[2], "us"),
                          fig(st[3], "us"), "%d (total over %d runs)" % (sum(early["samples"]), early["n"])))
    return md_table(("interpreter", "timers", "late p50", "late p99", "late max", "min (<0 = early)", "early firings"), body)


def scaling(scale, curves):
    counts = (10, 100, 1000, 10000)
    body = []
    for interp, op, lib, grow in scale:
        pts = dict(curves[(interp, op, lib)])
        cells = [num(pts[c]["median"], "ns") if c in pts else "—" for c in counts]
        body.append([T.NAMES[interp], "switch" if op == "switch" else "timer insert+cancel",
                     "zsync_mp" if lib == "zs" else "asyncio"] + cells + ["%.2f×" % grow if grow else "—"])
    return md_table(["interpreter", "operation", "runtime"] + ["%d tasks" % c for c in counts] + ["10000 / 10"], body)


def allocs(alloc):
    # alloc: {interp: {operation: {"zs": verdict, "asyncio": verdict}}}
    def verdict(v):
        if v is None:
            return "no such primitive"
        if v["zero"]:
            return "0 B (heap_lock ok)"
        return "**%d B/op**%s" % (v["bytes_per_op"], ", MemoryError under heap_lock" if v["locked_error"] else "")

    interps = [i for i in T.INTERPS if i in alloc]
    ops = sorted(set(op for i in interps for op in alloc[i]))
    head = ["steady-state operation"]
    for i in interps:
        head += ["zsync_mp (%s)" % T.NAMES[i], "asyncio (%s)" % T.NAMES[i]]
    body = []
    for op in ops:
        row = [op]
        for i in interps:
            v = alloc[i].get(op, {})
            row += [verdict(v.get("zs")), verdict(v.get("asyncio"))]
        body.append(row)
    return md_table(head, body)


def count(v):
    return "—" if v is None else ("%d" % v if v == int(v) else "%.1f" % v)


def native(rows):
    body = []
    for r in rows:
        ratio = "%.2f×" % r["ratio"] if r["ratio"] else "—"
        body.append((r["target"], r["arch"], r["machine"], r["method"], count(r["insns"]), count(r["with_ctx"]),
                     count(r["minimum"]), r["minimum_what"], ratio))
    lines = md_table(("target", "arch/ABI", "machine", "counted by", "insns/switch", "with zs_ctx_switch",
                      "minimum seen", "minimum is", "vs minimum"), body)
    for r in rows:
        if "round_trip_ns" in r:
            lines.append("")
            lines.append("x86-64 host: %.1f ns per round trip via zs_ctx_switch, %.1f ns per bare switch; "
                         "Boost.Context fcontext %.0f ns per switch (reference figure from PLATFORM-NOTES, not measured "
                         "in this run)." % (r["round_trip_ns"], r["bare_ns_per_switch"], r["ref_ns_per_switch"]))
    return lines


def instructions(cg):
    names = {"switch.zs": "zsync_mp yield_now switch", "switch.asyncio": "asyncio sleep(0) switch",
             "switch.floor": "floor: bare coroutine resume", "pingpong.zs": "zsync_mp Event ping-pong round trip",
             "pingpong.asyncio": "asyncio Event ping-pong round trip",
             "scale.switch.zs.10000": "zsync_mp yield_now switch, 10000 tasks"}
    refs = {"switch.zs": ("switch.asyncio", "asyncio's"), "pingpong.zs": ("pingpong.asyncio", "asyncio's"),
            "scale.switch.zs.10000": ("switch.zs", "the 100-task switch")}
    body = []
    for k, v in cg.items():
        if "error" in v:
            body.append((names.get(k, k), "failed: " + v["error"], "—"))
            continue
        peer, what = refs.get(k, (None, ""))
        rel = ""
        if peer and "insns_per_op" in cg.get(peer, {}):
            rel = "%.2f× %s" % (v["insns_per_op"] / cg[peer]["insns_per_op"], what)
        body.append((names.get(k, k), "{:,.0f}".format(v["insns_per_op"]), rel or "—"))
    return md_table(("operation (MicroPython unix)", "instructions per op", "compared"), body)


AREA_TITLES = (
    ("Task switch and synchronisation", ("switch", "pingpong", "lock", "sem", "group", "fail_after")),
    ("Channels", ("chan",)),
    ("Memory", ("mem",)),
    ("Footprint: import and smallest heap (issue 16)", ("footprint",)),
    ("Fibers (CPython: greenlet; MicroPython: _zsync_fiber in make test-firmware)", ("fibers",)),
    ("Tracing on vs off", ("trace",)),
    ("A real app: microdot on zsync_mp.asyncio vs stock asyncio (issue 18)", ("microdot",)),
    ("Streams: read() to EOF of a large body", ("stream",)),
)
CHART_OF = {"Task switch and synchronisation": "switch", "Channels": "channels", "Memory": "memory"}
HOW_TO_READ = """Each zsync_mp figure stands beside its peer measured in the same run: each
suite runs in one process per interpreter and repeats every measurement
(zsync_mp, then each peer, interleaved) so that load on this shared machine
hits both sides. Figures are medians with (min–max) over the repetitions;
ratios are the median of the per-repetition ratios, with their range. Times
are per operation (ns, or µs where large). "faster" compares times; "the
cost"/"the size" is zsync_mp's figure divided by the reference's (lower is
better). MicroPython runs with its default 2 MiB heap except the scaling
suite (32 MiB: 10000 tasks do not fit). MicroPython WebAssembly (npm
@micropython/micropython-webassembly-pyscript) has an asyncio that rides the
JS event loop and ms-resolution ticks (timed with performance.now() here).
A goal is judged on the median ratio; thresholds the issues leave open are
in bench/table.py."""


def sections(doc, pngs, full):
    R, rows = doc["results"], doc["rows"]
    out = ["## Goals (issues 2, 8, 16 and 18)", ""] + goal_lines(doc["goals"]) + [""]
    if full and pngs.get("speedup"):
        out += ["![zsync_mp speed-up over asyncio](%s)" % pngs["speedup"], ""]
    for title, areas in AREA_TITLES:
        rs = [r for r in rows if r["area"] in areas]
        if not rs:
            continue
        out += ["## " + title, ""] + comparisons(rs) + [""]
        if full and pngs.get(CHART_OF.get(title, "")):
            out += ["![%s](%s)" % (title, pngs[CHART_OF[title]]), ""]
    if doc["alloc"]:
        out += ["## Allocations per steady-state operation (MicroPython)", "",
                "Method of tests/_alloc.py: no MemoryError under `micropython.heap_lock()` AND no growth of "
                "`gc.mem_alloc()` with the collector off.", ""] + allocs(doc["alloc"]) + [""]
    if any(k.startswith("timer.") for i in R for k in R[i]):
        out += ["## Timer accuracy (1000 timers, 1–200 ms, real clock; µs late)", ""] + timers(R) + [""]
        if full and pngs.get("timers"):
            out += ["![timer lateness](%s)" % pngs["timers"], ""]
    scale, curves = T.scaling(R)
    if scale:
        out += ["## Scaling (ns per operation; flat = O(1))", ""] + scaling(scale, curves) + [""]
        if full and pngs.get("scaling"):
            out += ["![scaling](%s)" % pngs["scaling"], ""]
    if doc["callgrind"]:
        out += ["## Instructions per operation (valgrind callgrind, MicroPython unix)", "",
                "N operations minus a zero-operation baseline, divided by N: noise-free, but user-space only "
                "(MicroPython asyncio's poll(2) per switch runs in the kernel and is not counted).", ""]
        out += instructions(doc["callgrind"]) + [""]
    if doc["native"]:
        out += ["## Native context switch (from `make emu`: build/emu/switch_counts.json)", ""] + native(doc["native"]) + [""]
        if full and pngs.get("native"):
            out += ["![native switch](%s)" % pngs["native"], ""]
    else:
        out += ["## Native context switch", "", "No build/emu/switch_counts.json: run `make emu` first.", ""]
    if not any(r["area"] == "trace" for r in rows):
        out += ["Tracing on vs off: not measured (zsync_mp.trace is not importable here).", ""]
    if doc["notes"] or doc["errors"]:
        out += ["## Not measured in this run", ""] + ["- " + n for n in doc["notes"]]
        out += ["- FAILED: " + e.splitlines()[0] for e in doc["errors"]] + [""]
    return out


def document(doc, pngs):
    v = doc["versions"]
    head = ["# zsync-mp performance report", "",
            "Generated by `make bench` (`bench/run.py`, %s mode) on %s in %.0f s; %s, %s CPUs, shared machine, "
            "load average %s before and %s after." % (doc["mode"], doc["when"], doc["seconds"], doc["host"]["machine"],
                                                      doc["host"]["cpus"], doc["host"]["load_before"], doc["host"]["load_after"]),
            "Interpreters: " + "; ".join("%s %s" % (k, v[k]) for k in sorted(v)) + ".", "", HOW_TO_READ, ""]
    return "\n".join(head + sections(doc, pngs, True)) + "\n"


def console(doc):
    return "\n".join(sections(doc, {}, False))
