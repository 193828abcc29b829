# Board files (issue 17): every key README documents is accepted by the
# simulated machine ("flash_fs_kb" made every app fail), and a bad file is
# refused when it is loaded, naming the user's file and the key, before a
# board starts or anything is deployed (not later, inside the board, as
# /rom/board.json).
import os

import pytest

from zsync_mp_host import vboard
from test_cli import cli
from test_vboard import mpremote

APP = "import machine\nprint('led', machine.Pin('LED').value())\n"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "board.json").write_text('{"name": "small", "flash_fs_kb": 64, "pins": {"LED": 2}}')
    return tmp_path


@pytest.mark.parametrize("interpreter", ["micropython", "cpython", "wasm"])
def test_flash_fs_kb_in_simulation(files, interpreter):
    r = cli("run", str(files / "app.py"), "--board", str(files / "board.json"), "--interpreter", interpreter)
    assert (r.returncode, r.stdout) == (0, "led 0\n"), r.stderr


def test_flash_fs_kb_on_a_virtual_board(files):
    b = vboard.VirtualBoard(str(files / "fs"), board=str(files / "board.json"), log=open(os.devnull, "w"))
    b.start()
    try:
        assert b.fs_kb == 64
        assert mpremote(b.port, "exec", APP).stdout == "led 0\n"
        assert "65536" in mpremote(b.port, "df").stdout  # the capacity the file asked for
    finally:
        b.stop()


BAD = [
    ('{"flash_fs_kb": -1}', "flash_fs_kb must be a whole number of KiB >= 0, got -1"),
    ('{"flash_fs_kb": "64"}', "flash_fs_kb must be a whole number of KiB >= 0, got '64'"),
    ('{"pins": {"LED": 99}}', "pins['LED'] must be a pin number 0..47, got 99"),
    ('{"colour": "red"}', "unknown key 'colour'"),
    ('{"network": "yes"}', "network must be true or false, got 'yes'"),
]


@pytest.mark.parametrize("text,why", BAD)
def test_bad_board_file_is_refused_when_loaded(files, text, why):
    bad = files / "bad.json"
    bad.write_text(text)
    with pytest.raises(vboard.BoardError) as e:  # before any board process starts
        vboard.VirtualBoard(str(files / "fs"), board=str(bad))
    assert str(e.value).startswith("bad board file %s: %s" % (bad, why))
    assert e.value.status == 2
    for args in (["board", "--fs", str(files / "fs"), "--board", str(bad)],
                 ["deploy", "--port", "virtual", "--board", str(bad)],
                 ["run", str(files / "app.py"), "--board", str(bad)]):
        r = cli(*args)
        assert r.returncode == 2 and r.stderr.startswith("zsync-mp: bad board file %s: %s" % (bad, why)), r.stderr
        assert "/rom/board.json" not in r.stderr
    assert not (files / "fs" / "lib").exists()  # nothing was deployed
