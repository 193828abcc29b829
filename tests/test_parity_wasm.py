# The WebAssembly side of parity: zsync_mp_host/wasm/run.mjs runs a script like the
# unix port does (exit status, stdout/stderr, argv, path, env, a fresh
# interpreter per script, a timeout for a hung one), and tests/parity.py's
# wasm verdicts cannot pass what they should not (unlisted SKIP, stale skip,
# wrong prefix) and every listed skip has its reason.
import json
import os
import subprocess
import sys

import pytest

import parity
from zsync_mp_host import interp

HERE = os.path.dirname(os.path.abspath(__file__))


def wasm(tmp_path, src, *opts, name="s.py", env=None, timeout=60):
    script = tmp_path / name
    script.write_text(src)
    argv = ["node", interp.WASM_RUNNER] + list(opts) + [str(script)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, **(env or {})), stdin=subprocess.DEVNULL)


def test_exit_status_and_streams(tmp_path):
    r = wasm(tmp_path, "import sys\nprint('out')\nprint('err', file=sys.stderr)\nsys.exit(3)\n")
    assert (r.returncode, r.stdout, r.stderr) == (3, "out\n", "err\n")
    r = wasm(tmp_path, "print('before')\nraise ValueError('boom')\n", name="boom.py")
    assert r.returncode == 1 and r.stdout == "before\n"
    assert "boom.py\", line 2" in r.stderr and "ValueError: boom" in r.stderr
    r = wasm(tmp_path, "import sys\nsys.exit('bad config')\n")
    assert (r.returncode, r.stderr) == (1, "bad config\n")
    r = wasm(tmp_path, "import sys\nprint('no newline at the end', end='')\nsys.exit()\n")
    assert (r.returncode, r.stdout) == (0, "no newline at the end")


def test_main_argv_path_and_env(tmp_path):
    (tmp_path / "helper_mod.py").write_text("X = 'helper'\n")
    src = ("import sys, os, helper_mod\n"
           "print(__name__, sys.platform, sys.argv[0].rsplit('/', 1)[1], sys.argv[1:], helper_mod.X)\n"
           "print(os.getenv('ZSYNC_SEED'), os.getenv('MINE'), os.getenv('NONE', 'dflt'))\n")
    r = wasm(tmp_path, src, "--env", "MINE=1", env={"ZSYNC_SEED": "42"})
    assert r.returncode == 0, r.stderr
    assert r.stdout == "__main__ webassembly s.py [] helper\n42 1 dflt\n"


def test_timeout_stops_a_hung_script(tmp_path):
    r = wasm(tmp_path, "print('spinning')\nwhile True:\n    pass\n", "--timeout", "1")
    assert r.returncode == 124 and r.stdout == "spinning\n"
    assert "timed out after 1s" in r.stderr


def test_batch_gives_each_script_a_fresh_interpreter(tmp_path):
    (tmp_path / "a.py").write_text("import sys\nsys.modules['planted'] = 1\nprint('a')\n")
    (tmp_path / "b.py").write_text("import sys\nprint('planted' in sys.modules)\nraise SystemExit(5)\n")
    res = interp.wasm_batch([str(tmp_path / "a.py"), str(tmp_path / "b.py")])
    assert res[str(tmp_path / "a.py")] == (0, "a\n", "")
    assert res[str(tmp_path / "b.py")] == (5, "False\n", "")


def test_runner_misuse(tmp_path):
    r = wasm(tmp_path, "print(1)\n", "--bogus")
    assert r.returncode == 2 and "unknown option --bogus" in r.stderr
    r = subprocess.run(["node", interp.WASM_RUNNER, str(tmp_path / "missing.py")], capture_output=True, text=True,
                       timeout=30)
    assert r.returncode == 2 and "no such script" in r.stderr
    r = wasm(tmp_path, "print(1)\n", "--env", "NOEQUALS")
    assert r.returncode == 2 and "--env needs K=V" in r.stderr


def test_missing_wasm_install_is_named(monkeypatch, tmp_path):
    monkeypatch.setattr(interp._install, "WASM_DIR", str(tmp_path / "nowhere"))
    monkeypatch.setattr(interp._install, "WASM_HOME", str(tmp_path / "home"))
    with pytest.raises(interp.InterpreterError, match=r"is not installed: run `zsync-mp setup-wasm`"):
        interp.run("wasm", str(tmp_path / "x.py"))
    with pytest.raises(interp.InterpreterError, match="unknown interpreter 'pypy'"):
        interp.executable("pypy")


def test_zsync_mp_runs_on_wasm_with_the_same_seeded_trace(tmp_path):
    src = ("import zsync_mp as zs\nout = []\n"
           "async def t(i):\n    await zs.sleep_ms(10)\n    out.append(i)\n"
           "async def main():\n    async with zs.TaskGroup() as g:\n"
           "        for i in range(6):\n            g.spawn(t(i))\n"
           "zs.run(main(), clock=zs.VirtualClock(), seed=7)\nprint(out)\n")
    (tmp_path / "seeded.py").write_text(src)
    paths = [interp.ROOT]
    outs = [interp.run(n, str(tmp_path / "seeded.py"), paths=paths, timeout=60) for n in interp.NAMES]
    assert outs[0][0] == 0 and outs[0][1] != "[0, 1, 2, 3, 4, 5]\n"  # the seed did shuffle
    assert outs[1] == outs[0] and outs[2] == outs[0]


# --- parity.py's verdicts on the wasm side (no interpreters run here) ---

def side(name, got, expected="a\nb\n", mp_skipped=False):
    return parity._side("wasm", name, got, mp_skipped, (expected, "x.exp", None))


def test_verdicts(monkeypatch):
    monkeypatch.setitem(parity.WASM_SKIP, "listed", ("no module named '_thread'", "no threads"))
    assert side("plain", (0, "a\nb\n", ""))[0] == "pass"
    assert side("plain", (0, "a\nc\n", ""))[0] == "fail"
    assert side("plain", (1, "a\nb\n", "boom"))[0] == "fail"
    v = side("plain", (0, "SKIP\n", ""))
    assert v[0] == "fail" and "give a reason in WASM_SKIP" in v[1]
    assert side("plain", (0, "SKIP\n", ""), mp_skipped=True)[0] == "skip"
    v = side("listed", (1, "a\n", "ImportError: no module named '_thread'"))
    assert v == ("skip", "wasm: SKIP after 1 matching lines (no threads)")
    assert side("listed", (1, "x\n", "ImportError: no module named '_thread'"))[0] == "fail"  # wrong prefix
    assert side("listed", (1, "a\n", "ImportError: no module named 'os'"))[0] == "fail"  # another failure
    v = side("listed", (0, "a\nb\n", ""))
    assert v[0] == "fail" and "now passes on WebAssembly: remove it" in v[1]
    monkeypatch.setitem(parity.WASM_SKIP, "unrunnable", (None, "would only time out"))
    assert parity.run3("wasm", "unrunnable") == (0, "SKIP\n", "")  # not started at all
    assert side("unrunnable", (0, "SKIP\n", "")) == ("skip", "wasm: not run (would only time out)")


def test_every_listed_skip_has_its_reason():
    for name, (marker, why) in parity.WASM_SKIP.items():
        assert why and (marker is None or marker), name
    stale = set(parity.WASM_SKIP) - set(parity.scripts())
    assert not stale, "entries for scripts that no longer exist: %s" % sorted(stale)


def test_parity_cli_reports_wasm(tmp_path):
    r = subprocess.run([sys.executable, os.path.join(HERE, "parity.py"), "kernel_sleep_order", "stream_tcp"],
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stdout
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["kernel_sleep_order", "pass"]
    assert lines[1].split()[:2] == ["stream_tcp", "skip:wasm"]
    assert "no socket module" in lines[2] and lines[-1] == "1 passed, 0 failed, 1 skipped"


def test_batch_json_lines(tmp_path):
    (tmp_path / "j.py").write_text("print('j')\n")
    r = subprocess.run(["node", interp.WASM_RUNNER, "--batch", str(tmp_path / "j.py")], capture_output=True,
                       text=True, timeout=60)
    rec = json.loads(r.stdout)
    assert (rec["script"], rec["rc"], rec["out"], rec["err"]) == (str(tmp_path / "j.py"), 0, "j\n", "")
