# The oracle scheme (zsync_mp_host/oracle.py, tests/parity.py): every behaviour script
# has a committed tests/<name>.exp; per-interpreter files carry their reason
# and are resolved in order (core -> .core.exp, .mpy.exp, .exp, as
# tests/test_firmware.py reads them); stale or reasonless files fail; and a
# trace that reports a problem fails even when the .exp says the same.
import os

import pytest

import parity
from zsync_mp_host import oracle

HERE = os.path.dirname(os.path.abspath(__file__))


def write(tmp_path, **files):
    for ext, text in files.items():
        (tmp_path / ("s" + ext.replace("_", "."))).write_text(text)
    return str(tmp_path / "s")


def test_resolution_order(tmp_path):
    s = write(tmp_path, _exp="right\n")
    for interp in ("cpython", "micropython", "wasm", "core"):
        assert oracle.expected(s, interp) == ("right\n", s + ".exp", None)
    write(tmp_path, _mpy_exp="# why: mp differs\nmp\n")
    assert oracle.expected(s, "cpython")[0] == "right\n"
    assert [oracle.expected(s, i)[0] for i in ("micropython", "wasm", "core")] == ["mp\n"] * 3
    write(tmp_path, _wasm_exp="# why: wasm differs\nwasm\n", _core_exp="# why: C Task\ncore\n")
    assert oracle.expected(s, "wasm") == ("wasm\n", s + ".wasm.exp", "wasm differs")
    assert oracle.expected(s, "core") == ("core\n", s + ".core.exp", "C Task")
    assert oracle.expected(s, "micropython")[0] == "mp\n"
    (tmp_path / "s.mpy.exp").unlink()
    assert oracle.expected(s, "micropython")[0] == "right\n"
    assert oracle.expected(s, "core")[0] == "core\n"


def test_firmware_reads_the_core_chain(tmp_path, monkeypatch):
    monkeypatch.setattr(parity, "HERE", str(tmp_path))
    write(tmp_path, _exp="right\n", _mpy_exp="# why: mp\nmp\n")
    assert parity.expected("core", "s")[0] == "mp\n"


def test_missing_and_malformed_oracles(tmp_path):
    s = str(tmp_path / "s")
    with pytest.raises(oracle.OracleError, match="no oracle: .*s.exp is missing"):
        oracle.expected(s, "cpython")
    write(tmp_path, _exp="SKIP\n")
    with pytest.raises(oracle.OracleError, match="not SKIP"):
        oracle.expected(s, "cpython")
    write(tmp_path, _exp="ok\n", _wasm_exp="no reason line\n")
    with pytest.raises(oracle.OracleError, match=r"must start with '# why: <reason>'"):
        oracle.expected(s, "wasm")
    write(tmp_path, _wasm_exp="# why: \nempty reason\n")
    with pytest.raises(oracle.OracleError, match="must start with"):
        oracle.expected(s, "wasm")
    with pytest.raises(oracle.OracleError, match="unknown interpreter 'pypy'"):
        oracle.expected(s, "pypy")


def test_stale_per_interpreter_files(tmp_path):
    s = write(tmp_path, _exp="a\n", _mpy_exp="# why: x\nb\n", _wasm_exp="# why: y\nb\n", _core_exp="# why: z\nc\n")
    assert oracle.stale(s) == ["%s.wasm.exp is the same as %s.mpy.exp: remove it (the interpreter no longer "
                               "differs)" % (s, s)]
    write(tmp_path, _mpy_exp="# why: x\na\n", _wasm_exp="# why: y\nw\n")
    assert oracle.stale(s) == ["%s.mpy.exp is the same as %s.exp: remove it (the interpreter no longer "
                               "differs)" % (s, s)]


def test_a_per_interpreter_file_the_interpreter_no_longer_needs_is_named(tmp_path, monkeypatch):
    monkeypatch.setattr(parity, "HERE", str(tmp_path))
    write(tmp_path, _exp="a\n", _wasm_exp="# why: y\nw\n")
    v = parity._side("wasm", "s", (0, "a\n", ""), False, parity.expected("wasm", "s"))
    assert v[0] == "fail" and "WebAssembly now prints s.exp: remove s.wasm.exp" in v[1]
    v = parity._side("wasm", "s", (0, "w\n", ""), False, parity.expected("wasm", "s"))
    assert v == ("pass", "wasm: matched s.wasm.exp (y)")


# Probes: each marker fires on a bad value and stays quiet on the good one.
PROBES = [
    ("leak ok: False", "leak ok: True"),
    ("group tasks=20 never ran: 3 ran twice: 0", "group tasks=20 never ran: 0 ran twice: 0"),
    ("tasks=20 never ran: 0 ran twice: 1", "tasks=20 never ran: 0 ran twice: 0"),
    ("messages 9 lost 0 out of order 2 duplicated 0", "messages 9 lost 0 out of order 0 duplicated 0"),
    ("messages 9 lost 4", "messages 9 lost 0"),
    ("timers 9 sleeps early or late: 1 deadlines wrong: 0", "timers 9 sleeps early or late: 0 deadlines wrong: 0"),
    ("bad_outcome 2", "bad_outcome 0"),
    ("lock_held 1", "lock_held 0"),
    ("both outcomes seen: False", "both outcomes seen: True"),
    ("timer heap stayed under 564 entries: False", "timer heap stayed under 564 entries: True"),
    ("  FAIL at 3: lock left held", "lock cancel: 9 suspend points, 9 ok"),
]


@pytest.mark.parametrize("bad,good", PROBES)
def test_markers_fire_on_a_problem(bad, good):
    assert oracle.problems("x\n" + bad + "\n") == ["line 2: %r reports %s" % (bad, _what(bad))]
    assert oracle.problems("x\n" + good + "\n") == []


def _what(line):
    return [what for rx, ok, what in oracle.MARKERS if any(m.group(1) not in ok for m in rx.finditer(line))][0]


def test_markers_leave_legitimate_traces_alone():
    assert oracle.problems("any(): 0 lost: 5 | UART5: framing errors, bytes lost (sender 9600 baud)\n"
                           "leak ok: unmeasured\nbad_outcome none here\n") == []


def test_a_wrong_oracle_cannot_hide_a_reported_problem(tmp_path, monkeypatch):
    # The .exp agrees with the bad trace; the marker still fails it.
    monkeypatch.setattr(parity, "HERE", str(tmp_path))
    write(tmp_path, _exp="tasks=5 never ran: 2 ran twice: 0\n")
    v = parity._side("cpython", "s", (0, "tasks=5 never ran: 2 ran twice: 0\n", ""), False,
                     parity.expected("cpython", "s"))
    assert v[0] == "fail" and "line 1: 'tasks=5 never ran: 2 ran twice: 0' reports tasks lost" in v[1]


def test_every_script_has_an_oracle_and_every_oracle_a_script():
    names = parity.scripts()
    missing = [n for n in names if not os.path.exists(os.path.join(HERE, n + ".exp"))]
    assert not missing, "no oracle (tests/<name>.exp) for %s" % missing
    orphans = [f for f in os.listdir(HERE) if f.endswith(".exp")
               and not os.path.exists(os.path.join(HERE, f.split(".")[0] + ".py"))]
    assert not orphans, "oracle files without a script: %s" % orphans
    for f in os.listdir(HERE):
        assert not f.endswith((".py.exp",)), "old-style %s: rename to <name>.exp / .mpy.exp / .wasm.exp / .core.exp" % f


def test_no_oracle_reports_a_problem():
    # The committed answers themselves never contain a problem marker.
    for f in sorted(os.listdir(HERE)):
        if f.endswith(".exp"):
            text = oracle.read(os.path.join(HERE, f))[0]
            assert oracle.problems(text) == [], f


def test_draft_writes_cpythons_trace_and_never_overwrites(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(parity, "HERE", str(tmp_path))
    monkeypatch.setattr(parity, "run3", lambda side, name: (0, "SKIP\n" if side == "cpython" else "mp\n", ""))
    assert parity.main(["--draft", "s"]) == 0
    assert (tmp_path / "s.exp").read_text() == "mp\n"
    assert "from MicroPython's trace: review it" in capsys.readouterr().out
    assert parity.main(["--draft", "s"]) == 1
    assert "exists: not overwritten" in capsys.readouterr().out
