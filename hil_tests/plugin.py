"""pytest plugin for the hardware-in-the-loop suite (hil_tests/).

Options (see hil_tests/README.md):
    --board NAME       virtual (default: starts a virtual board) or the wiring
                       profile of the board on --port (nucleo_f446re,
                       esp32_devkitc, esp32c3_devkitm, generic)
    --port PORT        /dev/ttyUSB0 (a real board) or qemu:<firmware.elf>
    --qemu-machine M   QEMU machine for qemu: ports (default mps2-an385)
    --uart-baud N      baud rate for the UART throughput test (115200)
    --soak MINUTES     run the soak test that long (default: a 0.1 min smoke)
    --soak-leak-bytes  how far free memory may end below its baseline (2048)
    --hil-report PATH  JSON report (default build/hil/report.json)
    --no-deploy        do not deploy zsync_mp (it must be on the board)
    --heap-kb KB       the virtual board's heap as a board file's heap_kb (default: the
                       board file's, devkit.json's 105; 0: not modelled, MicroPython's own)

Fixtures: `hil` (session: target, port, profile, deploy result), `dut`
(function: a Dut on the board after a clean soft reset; see _dut.py), and
`report(figures)` (records measured figures: printed, JUnit properties and
the JSON report). The terminal summary ends with one table of every HIL
test, its outcome, time and figures.
"""
import json
import os
import re
import subprocess
import sys
import time

import pytest

from hil_tests import _targets
from hil_tests._dut import Dut, DutError

ROOT = _targets.ROOT
SCENARIOS = os.path.join(ROOT, "hil_tests", "scenarios")
DEPLOY_RE = re.compile(r"deploy: (\d+) copied, (\d+) unchanged, (\d+) removed; (\d+) files verified")


def pytest_addoption(parser):
    g = parser.getgroup("hil", "hardware-in-the-loop (hil_tests/)")
    g.addoption("--board", default="virtual", choices=sorted(_targets.PROFILES),
                help="virtual (start a virtual board) or the wiring profile of the board on --port")
    g.addoption("--port", default=None, help="serial device of a real board, or qemu:<firmware.elf>")
    g.addoption("--qemu-machine", default="mps2-an385", help="QEMU machine for --port qemu:...")
    g.addoption("--uart-baud", type=int, default=115200, help="baud rate for the UART throughput test")
    g.addoption("--soak", type=float, default=None, metavar="MINUTES", help="soak test length (default 0.1 min)")
    g.addoption("--soak-leak-bytes", type=int, default=2048, help="allowed drop of free memory after the soak")
    g.addoption("--hil-report", default=os.path.join(ROOT, "build", "hil", "report.json"),
                help="where to write the JSON report")
    g.addoption("--no-deploy", action="store_true", help="do not deploy zsync_mp before the tests")
    g.addoption("--heap-kb", type=int, default=None, metavar="KB",
                help="the virtual board's heap (a board file's heap_kb); default: the board file's "
                     "(devkit.json: 105); 0: not modelled")


def pytest_configure(config):
    # A serial port that does not exist fails the session once, before any
    # test (not once per test, next to the tests that need no board).
    port = config.getoption("--port", None)
    if port and not port.startswith("qemu:") and "://" not in port and not os.path.exists(port):
        raise pytest.UsageError("no such serial port: %s (is the board plugged in? give --port the board's "
                                "device, or qemu:<firmware.elf>, or no --port for a virtual board)" % port)
    config.addinivalue_line("markers", "virtual_only: needs the virtual board (kills or restarts it)")
    config.addinivalue_line("markers", "needs_loop: needs the pin loopback wiring")
    config.addinivalue_line("markers", "needs_uart: needs the UART loopback wiring")
    config._hil_rows = []


class Hil:
    """The session's board: target, port, wiring profile, deploy outcome."""

    def __init__(self, config, target, profile_name):
        self.config = config
        self.target = target
        self.profile_name = profile_name
        self.profile = _targets.PROFILES[profile_name]
        self.port = None
        self.deploy_result = None

    @property
    def kind(self):
        return self.target.kind

    def deploy(self, timeout=300):
        """`zsync-mp deploy --port PORT --mpy`: copies only changed files, verifies
        every hash on the board. Returns {copied, unchanged, removed, verified}."""
        exe = os.path.join(os.path.dirname(sys.executable), "zsync-mp")
        cmd = [exe] if os.access(exe, os.X_OK) else [sys.executable, "-m", "zsync_mp_host.cli"]
        cmd += ["deploy", "--port", self.port, "--mpy"]  # compiled, as a board with ~100 KB of heap needs
        try:
            p = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                               stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise DutError("`%s` did not finish within %d s" % (" ".join(cmd), timeout))
        m = DEPLOY_RE.search(p.stdout)
        if p.returncode != 0 or not m:
            raise DutError("deploy failed (%s, exit %d):\n%s%s" % (" ".join(cmd), p.returncode, p.stdout, p.stderr))
        keys = ("copied", "unchanged", "removed", "verified")
        self.deploy_result = dict(zip(keys, (int(x) for x in m.groups())))
        return self.deploy_result

    def open_dut(self):
        """A Dut on the board after a clean soft reset; brings back a board
        whose port vanished or that stopped answering."""
        if not self.target.alive():
            self.port = self.target.recover()
        try:
            dut = Dut(self.port, name="%s:%s" % (self.profile_name, self.port))
            dut.reset()
            return dut
        except DutError as first:
            try:
                dut.close()
            except NameError:
                pass
            if self.target.kind == "serial":
                raise
            self.target.stop()  # virtual board / QEMU: power-cycle it
            self.port = self.target.recover()
            dut = Dut(self.port, name="%s:%s" % (self.profile_name, self.port))
            try:
                dut.reset()
            except DutError as e:
                dut.close()
                raise DutError("board did not come back after a restart: %s\n(first failure: %s)" % (e, first))
            return dut


# Which target the options ask for.
def make_target(config):
    port = config.getoption("--port")
    board = config.getoption("--board")
    if port is None:
        if board != "virtual":
            raise pytest.UsageError("--board %s needs --port (the board's serial device)" % board)
        worker = os.environ.get("PYTEST_XDIST_WORKER")  # under -n: one board per worker
        fs = os.path.join(ROOT, "build", "hil", "vboard-fs" + ("-" + worker if worker else ""))
        return _targets.VirtualTarget(fs, heap_kb=config.getoption("--heap-kb")), "virtual"
    if port.startswith("qemu:"):
        fw = port[5:]
        return _targets.QemuTarget(fw, config.getoption("--qemu-machine")), "qemu"
    return _targets.SerialTarget(port), ("generic" if board == "virtual" else board)


@pytest.fixture(scope="session")
def hil(request):
    config = request.config
    target, profile = make_target(config)
    h = Hil(config, target, profile)
    config._hil_profile = profile
    try:
        h.port = target.start()
    except _targets.TargetError as e:
        if target.kind == "qemu" and not os.path.isfile(target.firmware):
            pytest.skip(str(e))  # not built yet: every test says so
        pytest.fail(str(e), pytrace=False)
    request.addfinalizer(target.stop)
    deploy = not config.getoption("--no-deploy") and h.profile["fs"]
    if deploy:
        h.deploy()
    dut = h.open_dut()
    problem = None
    try:
        dut.exec("import zsync_mp")
    except DutError as e:
        problem = "zsync_mp does not import on the board%s: %s" % (
            "" if deploy else " (not deployed: frozen in the firmware?)", e)
    finally:
        dut.close()
    if problem:
        pytest.fail(problem, pytrace=False)
    return h


@pytest.fixture
def dut(hil, request):
    for mark, key in (("needs_loop", "loop"), ("needs_uart", "uart")):
        if request.node.get_closest_marker(mark) and not hil.profile[key]:
            pytest.skip("board profile %r has no %s wiring (pass --board with a wired profile; see hil_tests/README.md)"
                        % (hil.profile_name, key))
    if request.node.get_closest_marker("virtual_only") and hil.kind != "virtual":
        pytest.skip("needs the virtual board (it kills or restarts the board)")
    try:
        d = hil.open_dut()
    except DutError as e:
        pytest.fail("board not ready for the test: %s" % e, pytrace=False)
    yield d
    d.close()


@pytest.fixture
def report(request):
    """report(figures): print measured figures, add them to JUnit and JSON.
    JUnit: per-testcase properties with junit_family xunit1/legacy; with the
    default xunit2 (no testcase properties in its schema) suite properties
    named <test>.<figure>."""
    def rec(figures):
        if request.config.getini("junit_family") == "xunit2":
            suite = request.getfixturevalue("record_testsuite_property")
            for k, v in figures.items():
                suite("%s.%s" % (request.node.name, k), v)
        else:
            for k, v in figures.items():
                request.node.user_properties.append((k, v))
        request.node._hil_figures = dict(figures)
        print("figures:", json.dumps(figures, sort_keys=True))
    return rec


# A scenario's RESULT line as a dict.
def result_of(out):
    for line in out.splitlines():
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise AssertionError("scenario printed no RESULT line:\n" + out)


def scenario(name):
    return os.path.join(SCENARIOS, name + ".py")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    if not item.nodeid.startswith("hil_tests/") and "hil_tests" not in str(item.fspath):
        return
    if rep.when == "call" or (rep.when == "setup" and not rep.passed):
        msg = ""
        if rep.failed:
            msg = str(rep.longrepr.reprcrash.message if hasattr(rep.longrepr, "reprcrash") else rep.longrepr)
        elif rep.skipped:
            msg = str(rep.longrepr[2]) if isinstance(rep.longrepr, tuple) else ""
        item.config._hil_rows.append({
            "test": item.nodeid.split("::", 1)[-1], "outcome": rep.outcome, "seconds": round(rep.duration, 2),
            "figures": getattr(item, "_hil_figures", {}), "message": msg.splitlines()[0][:160] if msg else ""})


def pytest_sessionfinish(session):
    rows = getattr(session.config, "_hil_rows", None)
    path = session.config.getoption("--hil-report", None)
    if not rows or not path:
        return
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    doc = {"time": time.strftime("%Y-%m-%dT%H:%M:%S"),
           "board": getattr(session.config, "_hil_profile", session.config.getoption("--board")),
           "port": session.config.getoption("--port") or "virtual", "tests": rows}
    with open(path, "w") as f:
        json.dump(doc, f, indent=1, sort_keys=True)


def _figures_text(fig):
    keys = [k for k in fig if not isinstance(fig[k], (list, dict))]
    return " ".join("%s=%s" % (k, fig[k]) for k in sorted(keys))


def pytest_terminal_summary(terminalreporter, config):
    rows = getattr(config, "_hil_rows", None)
    if not rows:
        return
    tr = terminalreporter
    tr.section("HIL summary (board %s on %s)" % (getattr(config, "_hil_profile", config.getoption("--board")),
                                                 config.getoption("--port") or "a virtual board"))
    width = max(len(r["test"]) for r in rows)
    for r in rows:
        extra = _figures_text(r["figures"]) or r["message"]
        tr.write_line("%-*s %-7s %6.1fs  %s" % (width, r["test"], r["outcome"], r["seconds"], extra))
    path = config.getoption("--hil-report")
    if path:
        tr.write_line("JSON report: %s" % os.path.relpath(path))
