# A TaskGroupError that nobody catches names its sub-exceptions where the
# user sees it: on MicroPython (a board's console) the printed line carries
# them, since MicroPython prints an exception's args and has no
# ExceptionGroup; CPython's ExceptionGroup prints them itself.
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = """
import zsync_mp as zs

async def bad(i):
    raise ValueError("sensor %d offline" % i)

async def main():
    async with zs.TaskGroup() as tg:
        for i in range(N):
            tg.spawn(bad(i))

zs.run(main())
"""


def run(interp, n, tmp_path):
    p = tmp_path / "app.py"
    p.write_text(APP.replace("N", str(n)))
    exe = sys.executable if interp == "cpython" else os.path.join(ROOT, ".venv", "bin", "micropython")
    env = dict(os.environ, PYTHONPATH=ROOT, MICROPYPATH=ROOT)
    r = subprocess.run([exe, str(p)], capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode == 1, r
    return r.stdout + r.stderr


@pytest.mark.parametrize("interp", ["micropython", "cpython"])
def test_an_uncaught_group_error_names_its_failure(interp, tmp_path):
    out = run(interp, 1, tmp_path)
    assert "TaskGroupError: unhandled errors in a TaskGroup (1 sub-exception)" in out, out
    assert "ValueError: sensor 0 offline" in out, out


def test_micropython_names_the_first_three_and_counts_the_rest(tmp_path):
    out = run("micropython", 5, tmp_path)
    want = ("TaskGroupError: unhandled errors in a TaskGroup (5 sub-exceptions)\n"
            "  ValueError: sensor 0 offline\n  ValueError: sensor 1 offline\n"
            "  ValueError: sensor 2 offline\n  ... and 2 more\n")
    assert out.endswith(want), out
