# `--mpy` (issue 17): every arch it offers builds the package (whole modules
# forced native failed with "NotImplementedError: native raise"), an unknown
# arch is refused with the list, and a board whose sys.implementation._mpy
# cannot load the files is refused before anything is copied.
import os

import pytest

from zsync_mp_host import _mpy
from zsync_mp_host import deploy as dp
from test_cli import board, cli, deploy, pkg  # noqa: F401 (fixtures)
from test_vboard import mpremote

NATIVE = "import micropython\n\n\n@micropython.native\ndef double(x):\n    return 2 * x\n"


@pytest.mark.parametrize("arch", _mpy.ARCHES)
def test_every_offered_arch_builds_the_package(arch, tmp_path):
    files = dp.collect(dp.PACKAGE, arch)
    assert len(files) == len(dp.collect(dp.PACKAGE))  # every module, none refused
    assert {_mpy.header(d)[::2] for d in files.values()} == {(6, 0)}  # bytecode: no native function in zsync_mp
    (tmp_path / "fast.py").write_text(NATIVE)
    data = dp.compile_mpy(str(tmp_path / "fast.py"), "fast.py", arch)
    assert _mpy.header(data)[2] == _mpy.ARCH_NAMES.index(arch)  # the marked function is ARCH code


def test_unknown_arch_is_refused_with_the_list():
    r = cli("deploy", "--port", "virtual", "--mpy", "bogus")
    assert r.returncode == 2
    assert "argument --mpy: unknown arch 'bogus': choose bytecode (any board) or a native arch: x86, x64," in r.stderr
    r = cli("sim", "app.py", "--mpy", "rv64imc")  # listed by mpy-cross, which cannot build it
    assert r.returncode == 2 and "unknown arch 'rv64imc'" in r.stderr


def test_native_code_for_the_board_runs_there(board, pkg):  # noqa: F811 (pytest fixtures imported above)
    (pkg / "fast.py").write_text(NATIVE)
    deploy(board, pkg, dest="/lib/zx", mpy="x64")  # the virtual board is the x64 unix port
    r = mpremote(board.port, "exec", "import sys; sys.path.insert(0, '/lib/zx')\nimport fast; print(fast.double(21))")
    assert r.stdout == "42\n"


def test_a_board_that_cannot_load_the_arch_is_refused_first(board, pkg):  # noqa: F811 (pytest fixtures imported above)
    with pytest.raises(dp.DeployError, match=r"--mpy xtensawin: the board at .* cannot load these: it runs "
                                             r"\.mpy v6\.\d, native code for x64, not xtensawin: use --mpy x64"):
        deploy(board, pkg, dest="/lib/zw", mpy="xtensawin")
    assert not os.path.exists(os.path.join(board.fs, "lib", "zw"))  # nothing copied


def test_serveable_follows_micropythons_loader():
    x64 = 6 | 3 << 8 | 2 << 10  # what the unix port on x86-64 reports
    byte = {"a.mpy": b"M\x06\x00\x1f"}
    native = {"a.mpy": b"M\x06\x0b\x1f"}  # x64 (2 << 2) sub-version 3
    assert _mpy.serveable(x64, byte, "bytecode") is None
    assert _mpy.serveable(6 | 3 << 8, byte, "bytecode") is None  # a board without native code loads bytecode
    assert _mpy.serveable(x64, native, "x64") is None
    assert "no sys.implementation._mpy" in _mpy.serveable(None, byte, "bytecode")
    assert "it loads .mpy v5, this mpy-cross writes v6 (a.mpy)" in _mpy.serveable(5 | 2 << 10, byte, "bytecode")
    assert "a.mpy holds native code for x64 v6.3; the board runs .mpy v6.2" in _mpy.serveable(
        6 | 2 << 8 | 2 << 10, native, "bytecode")
    assert "runs .mpy v6.3, no native code, not armv7emsp" in _mpy.serveable(6 | 3 << 8, byte, "armv7emsp")
