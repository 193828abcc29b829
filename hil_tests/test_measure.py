# Measurements on the board, reported (printed, JUnit properties, JSON report)
# and never asserted against fixed times. What is asserted is correctness the
# figures rely on: no timer fires early, every edge and byte arrives, memory
# returns to its baseline after the soak and every soak worker finished.
import os

import pytest

from hil_tests import _soakchart
from hil_tests._dut import ScenarioFailed
from hil_tests.plugin import result_of, scenario


def test_timer_lateness_100_timers(dut, report):
    fig = result_of(dut.run(scenario("timers"), params={"timers": 100, "rounds": 3}, timeout=120))
    report(fig)
    assert fig["samples"] == 300
    assert fig["early"] == 0, "%d timers fired before their deadline" % fig["early"]


def test_task_switch_rate_and_memory(dut, report):
    fig = result_of(dut.run(scenario("switch_rate"), params={"tasks": 10, "duration_ms": 500}, timeout=60))
    report(fig)
    assert fig["switches"] > 0
    assert fig["mem_free_after"] > 0


@pytest.mark.needs_loop
def test_isr_to_task_latency_via_flag(dut, hil, report):
    fig = result_of(dut.run(scenario("isr_latency"), params={"loop": hil.profile["loop"], "edges": 200},
                            timeout=120))
    report(fig)
    assert fig["edges_seen"] == fig["edges_sent"], "edges lost on the loopback wire"
    assert fig["wakes"] == fig["edges_seen"], "the task missed edges (Flag coalesced them)"


@pytest.mark.needs_uart
def test_uart_stream_throughput(dut, hil, report):
    baud = hil.config.getoption("--uart-baud")
    fig = result_of(dut.run(scenario("uart_throughput"), params={"uart": hil.profile["uart"], "baud": baud,
                                                                 "bytes": 4096}, timeout=120))
    report(fig)
    assert fig["bytes"] == 4096 and fig["bytes_per_s"] > 0


def test_soak(dut, hil, report):
    minutes = hil.config.getoption("--soak") or 0.1
    seconds = max(1, int(minutes * 60))
    # About 240 samples whatever the length: the series must fit a board's heap.
    params = {"seconds": seconds, "sample_ms": max(500, seconds * 1000 // 240), "loop": hil.profile["loop"]}
    fig = result_of(dut.run(scenario("soak"), params=params, timeout=minutes * 60 + 120))
    series = fig.pop("series")
    report(fig)
    limit = hil.config.getoption("--soak-leak-bytes")
    out = os.path.dirname(os.path.abspath(hil.config.getoption("--hil-report")))
    for path in _soakchart.write(series, out, hil.kind, fig["mem_baseline"], fig["mem_final"], limit):
        print("soak chart:", path)
    assert len(series) == fig["samples"] and series, "the soak recorded no memory samples"
    assert fig["not_finished"] == [], "soak workers that never finished: %s" % fig["not_finished"]
    assert fig["idle_workers"] == [], "soak workers that never ran: %s" % fig["idle_workers"]
    assert fig["leak_bytes"] <= limit, ("free memory ended %d bytes below its baseline (limit %d)"
                                        % (fig["leak_bytes"], limit))


def test_soak_catches_a_leak_and_a_dead_task(dut, hil):
    # Negative controls for the soak's two checks, one second each.
    base = {"seconds": 1, "sample_ms": 250}
    fig = result_of(dut.run(scenario("soak"), params=dict(base, leak_per_sample=2048), timeout=60))
    assert fig["leak_bytes"] > hil.config.getoption("--soak-leak-bytes")
    with pytest.raises(ScenarioFailed, match="consumer died at item 20"):
        dut.run(scenario("soak"), params=dict(base, die_at=20), timeout=60)
