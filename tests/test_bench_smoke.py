# The bench harness cannot rot: `bench/run.py --tiny` runs every suite on
# MicroPython and CPython (and WebAssembly when bench/wasm is installed) with
# tiny sizes and writes latest.json, report.md and the charts. No timed
# asserts: only that the figures, goals and files exist and that the goal
# verdicts follow from the numbers.
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH = os.path.join(ROOT, "bench")
PY = sys.executable
sys.path.insert(0, BENCH)

import table

OPTIONAL = ("fibers",)  # bench/fiber_switch.py belongs to the fiber work


def bench(*args, timeout=600):
    return subprocess.run([PY, os.path.join(BENCH, "run.py")] + list(args), cwd=ROOT,
                          capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench")
    p = bench("--tiny", "--out", str(out))
    with open(out / "latest.json") as f:
        return p, json.load(f), out


def test_tiny_run_measures_every_suite(tiny):
    p, doc, out = tiny
    mine = [e for e in doc["errors"] if e.split()[1] not in OPTIONAL]
    assert mine == [], p.stdout[-3000:] + p.stderr[-3000:]
    for interp in ("micropython", "cpython"):
        R = doc["results"][interp]
        for key in ("switch.zs", "switch.asyncio", "switch.floor", "pingpong.zs", "lock.zs", "group.zs",
                    "fail_after.zs", "chan.c0.1to1.zs", "chan.c16.4to4.zs", "mem.task.zs", "timer.zs.p99",
                    "scale.switch.zs.100", "scale.timer.asyncio.10"):
            assert key in R, (interp, key)
            assert R[key]["min"] <= R[key]["median"] <= R[key]["max"]
    assert "chan.c16.1to1.trio" in doc["results"]["cpython"]
    assert "chan.c16.1to1.evlist" in doc["results"]["micropython"]
    assert doc["alloc"]["micropython"]["lock"]["zs"]["zero"] in (True, False)


def test_tiny_run_writes_report_and_charts(tiny):
    p, doc, out = tiny
    text = (out / "report.md").read_text()
    assert "## Goals" in text and "| MicroPython unix | switch ≥ 2× asyncio |" in text
    assert "![" in text
    for line in text.splitlines():
        if line.startswith("!["):
            png = line.split("(")[-1].rstrip(")")
            assert (out / png).stat().st_size > 1000, png
    assert all(g["met"] in (True, False, None) for g in doc["goals"])
    assert "goals met" in p.stdout


def test_wasm_runs_when_installed(tiny):
    p, doc, out = tiny
    if not os.path.isdir(os.path.join(BENCH, "wasm", "node_modules")):
        pytest.skip("bench/wasm not installed (npm ci --prefix bench/wasm)")
    R = doc["results"]["wasm"]
    assert "switch.zs" in R and "switch.asyncio" in R and "chan.c16.1to1.evlist" in R


def stat(*xs):
    return {"median": sorted(xs)[len(xs) // 2], "min": min(xs), "max": max(xs), "n": len(xs), "samples": list(xs)}


def test_goal_verdicts_follow_the_numbers():
    R = {"micropython": {"switch.zs": stat(1000, 1000, 1000), "switch.asyncio": stat(2500, 2500, 2500),
                         "pingpong.zs": stat(1000, 1000, 1000), "pingpong.asyncio": stat(4000, 4000, 4000)},
         "cpython": {"switch.zs": stat(900, 900, 900), "switch.asyncio": stat(800, 800, 800)}}
    rows = table.rows(R)
    g = {(x["interp"], x["goal"]): x for x in table.goals(R, rows, {}, [])}
    assert g[("micropython", "switch ≥ 2× asyncio")]["met"] is True
    assert g[("micropython", "Event ping-pong ≥ 5× asyncio")]["met"] is False
    assert g[("cpython", "switch ≥ asyncio")]["met"] is False
    assert g[("cpython", "Event ping-pong ≥ 1.5× asyncio")]["met"] is None  # not measured: no verdict


def test_paired_ratio_range():
    assert table.ratio(stat(1, 2, 4), stat(2, 2, 2)) == (1.0, 0.5, 2.0)


def test_bad_arguments_are_named():
    p = bench("--only", "nosuch")
    assert p.returncode == 2 and "nosuch" in p.stderr
    p = bench("--interp", "jython")
    assert p.returncode == 2 and "jython" in p.stderr
    p = bench("--src", "/nonexistent")
    assert p.returncode == 2 and "zsync_mp" in p.stderr
