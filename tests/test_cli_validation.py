# Validation up front (issue 17): an app or package that is not there fails
# before a board starts or anything is deployed (sim and deploy --app used to
# copy the whole package first), with one line and exit status 2.
import os

import pytest

from test_cli import cli


@pytest.mark.parametrize("args", [
    ["sim", "{missing}"],
    ["deploy", "--port", "virtual", "--fs", "{fs}", "--app", "{missing}"],
    ["run", "--port", "virtual", "--fs", "{fs}", "{missing}"],
    ["deploy", "--port", "virtual", "--fs", "{fs}", "--app", "{tmp}"],
    ["deploy", "--port", "virtual", "--fs", "{fs}", "--src", "{tmp}/nope"],
])
def test_bad_arguments_fail_before_anything_is_deployed(tmp_path, args):
    names = dict(missing=str(tmp_path / "missing.py"), fs=str(tmp_path / "fs"), tmp=str(tmp_path))
    r = cli(*[a.format(**names) for a in args])
    assert r.returncode == 2 and r.stdout == ""  # no board line, no deploy line
    assert r.stderr.count("\n") == 1 and r.stderr.startswith("zsync-mp: "), r.stderr
    assert "cannot read app" in r.stderr or "package directory not found" in r.stderr
    assert not os.path.exists(tmp_path / "fs")  # no board was started on it
