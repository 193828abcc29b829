# What the report compares: each zsync_mp figure beside its peers measured in
# the same run, the ratio (median of the per-repetition ratios, with their
# range), and the goals of issues 2 and 8 judged met or NOT met.
# Input: collect.collect()'s "results" {interp: {key: stat}}. CPython only.
import statistics

INTERPS = ("micropython", "firmware", "cpython", "wasm", "board")
NAMES = {"micropython": "MicroPython unix", "firmware": "MicroPython unix firmware with native/ (C Task)", "cpython": "CPython", "wasm": "MicroPython WebAssembly", "board": "board (--port)"}

# area -> (what, our key, [(peer label, key)], unit). A peer whose key is
# missing on an interpreter (trio on MicroPython) is left out there.
AREAS = [
    ("switch", "task switch, 100 tasks (per switch)", "switch.zs",
     [("asyncio sleep(0)", "switch.asyncio"), ("trio sleep(0)", "switch.trio"), ("anyio sleep(0)", "switch.anyio")], "ns"),
    ("switch", "task switch, 100 tasks, one Flag waiter parked", "switch.zs.flag", [("no waiter parked", "switch.zs")], "ns"),
    ("pingpong", "Event ping-pong (round trip)", "pingpong.zs",
     [("asyncio Event", "pingpong.asyncio"), ("trio Event (fresh per round)", "pingpong.trio")], "ns"),
    ("lock", "Lock handoff, 4 tasks contending (per acquire)", "lock.zs",
     [("asyncio Lock", "lock.asyncio"), ("trio Lock", "lock.trio")], "ns"),
    ("sem", "Semaphore(2), 4 tasks (per acquire)", "sem.zs",
     [("asyncio Semaphore", "sem.asyncio"), ("trio Semaphore", "sem.trio")], "ns"),
    ("group", "TaskGroup spawn+join of 100 children (per group)", "group.zs",
     [("asyncio TaskGroup / gather", "group.asyncio"), ("trio nursery", "group.trio")], "ns"),
    ("fail_after", "fail_after around an await that completes", "fail_after.zs",
     [("asyncio timeout / wait_for_ms", "fail_after.asyncio"), ("trio fail_after", "fail_after.trio")], "ns"),
]
for _cap in (0, 1, 16):
    for _s in (1, 4):
        _k = "chan.c%d.%dto%d." % (_cap, _s, _s)
        AREAS.append(("chan", "channel(%d) %d→%d (per message)" % (_cap, _s, _s), _k + "zs",
                      [("asyncio.Queue(%d)" % max(_cap, 1), _k + "asyncio"), ("asyncio Event+list", _k + "evlist"),
                       ("trio memory channel(%d)" % _cap, _k + "trio"),
                       ("floor: 2 bare coroutines + list", "chan.c%d.floor" % _cap)], "ns"))
AREAS += [
    ("mem", "memory per sleeping task", "mem.task.zs", [("asyncio task", "mem.task.asyncio")], "bytes"),
    ("mem", "memory per channel(16)", "mem.chan.zs", [("asyncio.Queue(16) / Event+list", "mem.chan.asyncio")], "bytes"),
    ("mem", "memory per TaskGroup (group only)", "mem.group.zs", [("asyncio TaskGroup", "mem.group.asyncio")], "bytes"),
    ("footprint", "heap kept by the import (zsync_mp from .py; asyncio frozen)", "foot.import.zs", [("import asyncio", "foot.import.asyncio")], "bytes"),
    ("footprint", "heap kept by the import (zsync_mp from .mpy; asyncio frozen)", "foot.import.zs_mpy", [("import asyncio", "foot.import.asyncio")], "bytes"),
    ("footprint", "heap kept by the import (both frozen into the firmware)", "foot.import.zs_frozen", [("import asyncio", "foot.import.asyncio")], "bytes"),
    ("footprint", "smallest heap running 10 tasks on an Event", "foot.app.zs", [("asyncio, gather", "foot.app.asyncio")], "bytes"),
    ("footprint", "smallest heap running 10 tasks on an Event (both frozen)", "foot.app.zs_frozen", [("asyncio, gather", "foot.app.asyncio")], "bytes"),
    ("footprint", "smallest heap running 10 tasks on an Event (zsync_mp from .mpy)", "foot.app.zs_mpy", [("asyncio, gather", "foot.app.asyncio")], "bytes"),
    ("fibers", "fiber round trip (Fiber.switch/suspend)", "raw_fiber", [("generator send/yield", "raw_coro")], "ns"),
    ("fibers", "io.sleep_ms(0) in a zs.fiber", "zs_fiber", [("await zs.sleep_ms(0) in a task", "zs_task")], "ns"),
    ("trace", "task switch, tracing on", "trace.on", [("tracing off", "trace.off")], "ns"),
    ("microdot", "microdot GET /, 4 clients over loopback (wall time per request)", "microdot.zs",
     [("stock asyncio", "microdot.asyncio")], "ns"),
    ("microdot", "microdot GET /, the fastest repetition (wall time per request)", "microdot.best.zs",
     [("stock asyncio", "microdot.best.asyncio")], "ns"),
    ("microdot", "microdot GET /, server CPU per request", "microdot.cpu.zs",
     [("stock asyncio", "microdot.cpu.asyncio")], "ns"),
    ("stream", "stream read() to EOF over loopback, sent in 4 KB pieces: 16 MB (CPython) / 256 KB (MicroPython)", "readall.zs",
     [("stock asyncio", "readall.asyncio")], "us"),
]
# Rows where the peer is a cost reference (ours / reference), not a rival.
COST_PEERS = ("chan.c0.floor", "chan.c1.floor", "chan.c16.floor", "raw_coro", "zs_task", "trace.off")


def get(R, interp, key):
    return R.get(interp, {}).get(key)


def ratio(a, b):
    # b / a per repetition when the samples pair up, else from the medians
    # with the widest bounds; (median, low, high).
    sa, sb = a["samples"], b["samples"]
    if len(sa) == len(sb) and all(sa):
        rs = [y / x for x, y in zip(sa, sb)]
        return statistics.median(rs), min(rs), max(rs)
    return b["median"] / a["median"], b["min"] / a["max"], b["max"] / max(a["min"], 1e-9)


def rows(R):
    out = []
    for area, what, ours, peers, unit in AREAS:
        for interp in INTERPS:
            o = get(R, interp, ours)
            if o is None:
                continue
            found = False
            for label, key in peers:
                p = get(R, interp, key)
                if p is None:
                    continue
                found = True
                cost = key in COST_PEERS or unit == "bytes"
                r = ratio(p, o) if cost else ratio(o, p)
                out.append({"area": area, "interp": interp, "what": what, "unit": unit, "ours": o,
                            "peer_label": label, "peer": p, "ratio": r, "cost": cost})
            if not found:
                out.append({"area": area, "interp": interp, "what": what, "unit": unit, "ours": o,
                            "peer_label": "no peer on this interpreter", "peer": None, "ratio": None, "cost": False})
    # References inside zsync_mp: the floor of a switch, a channel pair vs one switch.
    for interp in INTERPS:
        sw = get(R, interp, "switch.zs")
        for key, what, label in (("switch.floor", "task switch vs the floor", "floor: bare coroutine resume"),):
            f = get(R, interp, key)
            if sw and f:
                out.append({"area": "switch", "interp": interp, "what": what, "unit": "ns", "ours": sw,
                            "peer_label": label, "peer": f, "ratio": ratio(f, sw), "cost": True})
        ch = get(R, interp, "chan.c16.1to1.zs")
        if sw and ch:
            out.append({"area": "chan", "interp": interp, "what": "channel(16) send+recv pair vs one switch",
                        "unit": "ns", "ours": ch, "peer_label": "zsync_mp yield_now switch", "peer": sw,
                        "ratio": ratio(sw, ch), "cost": True})
    return out


def find(rs, interp, what, peer_label=None):
    for r in rs:
        if r["interp"] == interp and r["what"] == what and (peer_label is None or r["peer_label"].startswith(peer_label)):
            return r
    return None


# (interp, goal text, row what, peer label prefix, op, threshold): op ">=" on
# speed ratios (peer/ours), "<=" on cost ratios (ours/reference).
RATIO_GOALS = [
    ("micropython", "switch ≥ 2× asyncio", "task switch, 100 tasks (per switch)", "asyncio", ">=", 2.0),
    ("micropython", "Event ping-pong ≥ 5× asyncio", "Event ping-pong (round trip)", "asyncio", ">=", 5.0),
    ("micropython", "channel pair ≤ 3× a switch", "channel(16) send+recv pair vs one switch", None, "<=", 3.0),
    ("micropython", "switch ≤ 2.5× the bare-coroutine floor", "task switch vs the floor", None, "<=", 2.5),
    ("micropython", "memory per sleeping task ≤ asyncio", "memory per sleeping task", "asyncio", "<=", 1.0),
    ("firmware", "switch ≥ 2× asyncio", "task switch, 100 tasks (per switch)", "asyncio", ">=", 2.0),
    ("firmware", "Event ping-pong ≥ 5× asyncio", "Event ping-pong (round trip)", "asyncio", ">=", 5.0),
    ("firmware", "channel pair ≤ 3× a switch", "channel(16) send+recv pair vs one switch", None, "<=", 3.0),
    ("firmware", "switch ≤ 2.5× the bare-coroutine floor", "task switch vs the floor", None, "<=", 2.5),
    ("firmware", "memory per sleeping task ≤ asyncio", "memory per sleeping task", "asyncio", "<=", 1.0),
    ("cpython", "switch ≥ asyncio", "task switch, 100 tasks (per switch)", "asyncio", ">=", 1.0),
    ("cpython", "Event ping-pong ≥ 1.5× asyncio", "Event ping-pong (round trip)", "asyncio", ">=", 1.5),
    ("cpython", "channel(16) 1→1 ≥ asyncio.Queue", "channel(16) 1→1 (per message)", "asyncio.Queue", ">=", 1.0),
    ("cpython", "channel(16) 4→4 ≥ asyncio.Queue", "channel(16) 4→4 (per message)", "asyncio.Queue", ">=", 1.0),
    ("cpython", "channel pair ≤ 3× a switch (issue 2)", "channel(16) send+recv pair vs one switch", None, "<=", 3.0),
    ("cpython", "switch ≤ 2.5× the bare-coroutine floor (issue 2)", "task switch vs the floor", None, "<=", 2.5),
]
for _i in ("micropython", "firmware"):
    RATIO_GOALS.append((_i, "TaskGroup spawn+join ≥ 1.5× asyncio's gather (issue 16)",
                        "TaskGroup spawn+join of 100 children (per group)", "asyncio", ">=", 1.5))
for _i in ("micropython", "firmware", "cpython"):
    RATIO_GOALS.append((_i, "microdot requests/s ≥ stock asyncio (issue 18)",
                        "microdot GET /, 4 clients over loopback (wall time per request)", "stock asyncio", ">=", 1.0))
FLAT_SWITCH = 2.0  # "flat": cost at 10000 tasks ≤ 2× cost at 10 (1000× the tasks)
FLAT_INSNS = 1.1  # the same in instructions: within 10%
LOG_TIMER = 4.0  # O(log n): cost at 10000 ≤ log(10000)/log(10) = 4× cost at 10
CORE_IMPORT = 24 * 1024  # issue 16: the core import keeps at most 24 KB of heap
APP_HEAP = 64 * 1024  # issue 16: the 10-task app runs in a 64 KB heap, as asyncio's does
TRACE_BUDGET = 1.25  # tracing costs ≤ 20% of the switch rate: ns on ≤ 1.25× ns off


def goal(interp, text, value, met, detail):
    return {"interp": interp, "goal": text, "value": value, "met": met, "detail": detail}


def goals(R, rs, alloc, scale, cg=None):
    out = []
    for interp, text, what, peer, op, th in RATIO_GOALS:
        r = find(rs, interp, what, peer)
        if r is None or r["ratio"] is None:
            out.append(goal(interp, text, None, None, "not measured in this run"))
            continue
        v = r["ratio"][0]
        out.append(goal(interp, text, v, v >= th if op == ">=" else v <= th, "%.2f× (%.2f–%.2f)" % r["ratio"]))
    for interp, verdicts in sorted(alloc.items()):
        bad = [p for p, v in sorted(verdicts.items()) if "zs" in v and not v["zs"]["zero"]]
        out.append(goal(interp, "zero allocations for every primitive in steady state", len(bad), not bad,
                        "allocating: " + ", ".join(bad) if bad else "%d operations, none allocates" % len(verdicts)))
    for interp in ("micropython", "cpython"):
        e = get(R, interp, "timer.zs.early")
        if e is not None:
            n = sum(e["samples"])
            out.append(goal(interp, "no early timer ever", n, n == 0, "%d early of %d runs × timers" % (n, e["n"])))
    for interp, op, lib, grow in scale:
        if lib != "zs" or grow is None:
            continue
        th = FLAT_SWITCH if op == "switch" else LOG_TIMER
        text = "switch cost flat in the task count" if op == "switch" else "timer insert+cancel O(log n) or better"
        out.append(goal(interp, text, grow, grow <= th, "10000 vs 10 tasks: %.2f× (limit %.1f×)" % (grow, th)))
    a, b = (cg or {}).get("switch.zs", {}), (cg or {}).get("scale.switch.zs.10000", {})
    if "insns_per_op" in a and "insns_per_op" in b:
        v = b["insns_per_op"] / a["insns_per_op"]
        out.append(goal("micropython", "switch instructions flat in the task count (callgrind)", v, v <= FLAT_INSNS,
                        "10000 vs 100 tasks: %.3f× (limit %.1f×)" % (v, FLAT_INSNS)))
    for interp in ("micropython", "firmware", "wasm"):
        # A firmware carries zsync_mp frozen in (ports/ manifests): judge that.
        how = " (frozen)" if interp == "firmware" else " (from .py)"
        key = "foot.import.zs_frozen" if interp == "firmware" else "foot.import.zs"
        v = get(R, interp, key)
        if v is not None:
            v = v["median"]
            out.append(goal(interp, "core import ≤ 24 KB of heap (issue 16)", v, v <= CORE_IMPORT, "%.1f KB%s" % (v / 1024.0, how)))
        v = get(R, interp, "foot.app.zs_frozen" if interp == "firmware" else "foot.app.zs")
        if v is not None:
            v = v["median"]
            out.append(goal(interp, "10-task TaskGroup app runs in a 64 KB heap (issue 16)", v, v <= APP_HEAP,
                            "runs from %d KB%s" % (v // 1024, how)))
    for interp in ("micropython", "cpython"):
        on, off = get(R, interp, "trace.on"), get(R, interp, "trace.off")
        if on and off:
            v = ratio(off, on)[0]
            out.append(goal(interp, "tracing on costs ≤ 20% of the switch rate", v, v <= TRACE_BUDGET,
                            "rate with tracing = %.0f%% of rate without" % (100.0 / v)))
    return out


def scaling(R, counts=(10, 100, 1000, 10000)):
    # [(interp, op, lib, growth 10000/10 or None)] and the per-count medians.
    out, curves = [], {}
    for interp in INTERPS:
        for op in ("switch", "timer"):
            for lib in ("zs", "asyncio"):
                pts = [(c, get(R, interp, "scale.%s.%s.%d" % (op, lib, c))) for c in counts]
                pts = [(c, s) for c, s in pts if s]
                if not pts:
                    continue
                curves[(interp, op, lib)] = pts
                grow = pts[-1][1]["median"] / pts[0][1]["median"] if pts[-1][0] == counts[-1] and pts[0][0] == counts[0] else None
                out.append((interp, op, lib, grow))
    return out, curves
