"""`make bench`: core figures on MicroPython (unix) and CPython, each beside
its peer measured in the same process; median of RUNS runs with the spread.
Writes bench/results/latest.json. Nothing here asserts a time."""
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")
RUNS = 5
CMDS = {
    "micropython": ([os.path.join(BIN, "micropython"), "bench/core.py"], {"MICROPYPATH": ROOT + ":.frozen"}),
    "cpython": ([os.path.join(BIN, "python"), "bench/core.py"], {"PYTHONPATH": ROOT}),
}


def collect(interp):
    cmd, env = CMDS[interp]
    runs = []
    for _ in range(RUNS):
        out = subprocess.run(cmd, cwd=ROOT, env=dict(os.environ, **env), capture_output=True, text=True, timeout=300)
        if out.returncode:
            sys.exit("%s benchmark failed:\n%s" % (interp, out.stderr))
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    keys = [k for k in runs[0] if k != "interp"]
    return {k: {"median": statistics.median(r[k] for r in runs), "min": min(r[k] for r in runs), "max": max(r[k] for r in runs)} for k in keys}


def row(interp, what, ours, peer_name, peer, ratio, goal, met):
    print("| %-11s | %-30s | %9s | %-24s | %9s | %6s | %-22s | %-4s |" % (interp, what, ours, peer_name, peer, ratio, goal, met))


def fig(d, k):
    return "%d (%d..%d)" % (d[k]["median"], d[k]["min"], d[k]["max"])


def main():
    res = {i: collect(i) for i in CMDS}
    row("interpreter", "figure (median, min..max)", "zsync_mp", "peer", "peer", "ratio", "goal", "met")
    print("|" + "-" * 13 + "|" + "-" * 32 + "|" + "-" * 11 + "|" + "-" * 26 + "|" + "-" * 11 + "|" + "-" * 8 + "|" + "-" * 24 + "|" + "-" * 6 + "|")
    goals = []
    for i, d in res.items():
        m = lambda k: d[k]["median"]  # noqa: E731
        speed = m("asyncio_switch_ns") / m("switch_ns")
        need = 2.0 if i == "micropython" else 1.0
        goals.append((i, "yield_now vs asyncio sleep(0)", speed >= need))
        row(i, "task switch ns (100 tasks)", fig(d, "switch_ns"), "asyncio sleep(0)", fig(d, "asyncio_switch_ns"), "%.2fx" % speed, ">= %.1fx faster" % need, "yes" if speed >= need else "NO")
        over = m("switch_ns") / m("floor_ns")
        goals.append((i, "switch vs floor", over <= 2.5))
        row(i, "switch vs bare coroutine", fig(d, "switch_ns"), "floor (send to coro)", fig(d, "floor_ns"), "%.2fx" % over, "<= 2.5x the floor", "yes" if over <= 2.5 else "NO")
        pp = m("asyncio_pingpong_ns") / m("pingpong_ns")
        need = 5.0 if i == "micropython" else 1.5
        goals.append((i, "event ping-pong", pp >= need))
        row(i, "Event ping-pong round trip ns", fig(d, "pingpong_ns"), "asyncio Event", fig(d, "asyncio_pingpong_ns"), "%.2fx" % pp, ">= %.1fx faster" % need, "yes" if pp >= need else "NO")
        ch = m("channel_pair_ns") / m("switch_ns")
        goals.append((i, "channel pair vs switch", ch <= 3))
        row(i, "channel(16) send+recv pair ns", fig(d, "channel_pair_ns"), "one yield_now switch", fig(d, "switch_ns"), "%.2fx" % ch, "<= 3x one switch", "yes" if ch <= 3 else "NO")
        mem = m("mem_per_sleeping_task") / m("asyncio_mem_per_sleeping_task")
        if i == "micropython":
            goals.append((i, "memory per sleeping task", mem <= 1))
        row(i, "bytes per sleeping task", fig(d, "mem_per_sleeping_task"), "asyncio task", fig(d, "asyncio_mem_per_sleeping_task"), "%.2fx" % mem, "<= asyncio" if i == "micropython" else "-", ("yes" if mem <= 1 else "NO") if i == "micropython" else "-")
    os.makedirs(os.path.join(ROOT, "bench", "results"), exist_ok=True)
    with open(os.path.join(ROOT, "bench", "results", "latest.json"), "w") as f:
        json.dump({"runs": RUNS, "results": res, "goals": [{"interp": i, "goal": g, "met": ok} for i, g, ok in goals]}, f, indent=1)
    print("\n%d of %d goals met; figures in bench/results/latest.json" % (sum(ok for _, _, ok in goals), len(goals)))


main()
