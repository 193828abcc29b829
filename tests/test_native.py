# The native context switch (issue 4): the x86-64 sanitizer build and the QEMU
# emu suite, one pytest test per emu target (emu/run.py <target>), plus the
# runner's own failure paths. A missing compiler or QEMU fails with the name
# of the tool; nothing is skipped.
import json
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from emu import build as B
from emu import run as R
from emu import targets as T

# Instructions per zs_arch_switch: the register-save minimum per ABI (issue 4).
LIMITS = {"armv7m": 4, "armv7m+fpu": 6, "armv6m": 16, "rv32-ilp32": 32, "xtensa-call0": 16}


# The rows and counts emu/run.py stored for one target.
def result(name):
    with open(os.path.join(R.OUT, name, "result.json")) as f:
        return json.load(f)


# Every run of the target meets its line and exit code; the switch meets its instruction budget.
@pytest.mark.parametrize("name", [t["name"] for t in T.TARGETS])
def test_emu_target(name):
    target = [t for t in T.TARGETS if t["name"] == name][0]
    r = subprocess.run([sys.executable, os.path.join(ROOT, "emu", "run.py"), name], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    data = result(name)
    assert [row["variant"] for row in data["rows"]][: len(target["runs"])] == [s["variant"] for s in target["runs"]]
    assert all(row["ok"] for row in data["rows"]), r.stdout
    # Every target proves a pass and at least one intended failure.
    assert any(s["expect"] == "Test OK" for s in target["runs"])
    assert any(s["expect_rc"] not in (0, None) for s in target["runs"])
    counts = data["counts"]
    assert counts and counts["insns_per_switch"] > 0 and counts["switch_bytes"] > 0, counts
    if target["arch"] in LIMITS:
        assert counts["insns_per_switch"] <= LIMITS[target["arch"]], counts


# An unsupported CPU/ABI stops the build with the #error that names PORTING.md.
def test_selector_names_the_port_to_write():
    r = subprocess.run(["gcc", "-fsyntax-only", "-x", "c", "-U__x86_64__", "-I" + B.NATIVE, "-"],
                       input='#include "zs_arch.h"\n', capture_output=True, text=True)
    assert r.returncode != 0
    assert "zsync-mp: no context switch for this CPU/ABI; see native/PORTING.md" in r.stderr


# zs_arch.h rejects a header offset that disagrees with struct zs_frame.
def test_frame_offsets_are_checked():
    src = '#include "arch/zs_arch_x86_64.h"\n#undef ZS_FRAME_ARG\n#define ZS_FRAME_ARG 16\n#include "zs_arch.h"\n'
    r = subprocess.run(["gcc", "-fsyntax-only", "-x", "c", "-I" + B.NATIVE, "-"], input=src,
                       capture_output=True, text=True)
    assert r.returncode != 0 and "zs_frame.arg drifted" in r.stderr, r.stderr


# The runner is not a rubber stamp: a crash build judged as a pass fails on line and code.
def test_runner_fails_a_wrong_expectation(tmp_path):
    host = [t for t in T.TARGETS if t["name"] == "host-x86_64"][0]
    spec = {"variant": "canary", "what": "expects a pass from the overflow build", "expect": "Test OK",
            "expect_rc": 0}
    row = R.run_one(host, spec, str(tmp_path), {})
    assert not row["ok"]
    assert "missing line 'Test OK'" in row["problems"] and "exit code 2, expected 0" in row["problems"]


# A missing tool is a failure with its name, never a skip.
def test_runner_fails_on_missing_tool():
    fake = dict(T.TARGETS[0], name="fake", tools=["zs-no-such-compiler"])
    rows, counts = R.run_target(fake)
    assert counts is None and not rows[0]["ok"]
    assert "missing tools: zs-no-such-compiler" in rows[0]["problems"][0]


# A mistyped target name is refused with the list of known ones.
def test_runner_rejects_unknown_target():
    r = subprocess.run([sys.executable, os.path.join(ROOT, "emu", "run.py"), "no-such-board"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2 and "unknown target(s): no-such-board" in r.stdout


# Without Renode the script says so and runs nothing.
def test_renode_script_says_when_renode_is_missing(tmp_path):
    env = dict(os.environ, PATH="/usr/bin:/bin", PYTHON=sys.executable)
    r = subprocess.run(["sh", os.path.join(ROOT, "emu", "renode", "run.sh")], env=env, capture_output=True,
                       text=True, timeout=60)
    assert r.returncode == 0 and "NOT RUN - renode-test is not on PATH" in r.stdout


# With renode-test on PATH the script builds both USART ELFs and hands it the suite.
def test_renode_script_builds_and_calls_renode_test(tmp_path):
    log = tmp_path / "args"
    fake = tmp_path / "renode-test"
    fake.write_text('#!/bin/sh\necho "$@" > %s\nls build/emu/cortex-m4f-stm32/uart.elf '
                    'build/emu/cortex-m4f-stm32/uart-canary.elf >> %s\n' % (log, log))
    fake.chmod(0o755)
    env = dict(os.environ, PATH="%s:%s" % (tmp_path, os.environ["PATH"]), PYTHON=sys.executable)
    r = subprocess.run(["sh", os.path.join(ROOT, "emu", "renode", "run.sh")], env=env, capture_output=True,
                       text=True, timeout=300)
    assert r.returncode == 0, r.stdout + r.stderr
    lines = log.read_text().split("\n")
    assert lines[0] == "emu/renode/stm32f4_switch.robot"
    assert sorted(lines[1:3]) == ["build/emu/cortex-m4f-stm32/uart-canary.elf", "build/emu/cortex-m4f-stm32/uart.elf"]


# A UART run is stopped at its verdict line, and its QEMU with it (no orphan left spinning).
def test_serial_run_leaves_no_qemu_behind(tmp_path):
    stm32 = [t for t in T.TARGETS if t["name"] == "cortex-m4f-stm32"][0]
    spec = [s for s in stm32["runs"] if s["variant"] == "uart"][0]
    row = R.run_one(stm32, spec, str(tmp_path), {})
    assert row["ok"], row
    ps = subprocess.run(["ps", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(tmp_path) not in ps


# Every QEMU run is deterministic: without -icount Xtensa's CCOUNT followed
# host time and a stalled host re-armed the tick in the past (issue 17; the
# pastrearm runs show what that failure looks like).
def test_every_qemu_run_counts_instructions():
    for t in T.TARGETS:
        for spec in t["runs"]:
            argv = spec.get("command", t["command"])("x.elf")
            if os.path.basename(argv[0]).startswith("qemu-system-"):
                assert "-icount" in argv, "%s/%s runs QEMU on host time: %s" % (t["name"], spec["variant"], argv)
    from emu import targets_xtensa
    assert "-icount" in targets_xtensa.qemu_argv("dc233c")  # count_windowed.py's QEMU
