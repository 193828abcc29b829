# Issue 17: a firmware build directory is keyed by everything that changes
# the binary. MicroPython's make does not rebuild when a make variable such
# as MICROPY_HEAP_SIZE changes, so two configs sharing a directory meant
# `make test-firmware` ran the default heap (fiberc_gc: MemoryError) and
# `make firmware` could ship the 1 MiB test heap. These tests need no
# MicroPython: a directory with py/mpconfig.h passes as a checkout, and
# build() runs with make replaced by a recorder.
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import build_firmware as BF

HEAP = "MICROPY_HEAP_SIZE=1048576"


@pytest.fixture
def mpy(tmp_path):
    d = tmp_path / "micropython"
    (d / "py").mkdir(parents=True)
    (d / "py" / "mpconfig.h").write_text("/* stand-in checkout */\n")
    return str(d)


def key(mpy, port="qemu", board=None, defines=(), extra=(), environ=None):
    return BF.build_key(BF.config(port, board, mpy, defines, extra, environ={} if environ is None else environ))


def test_same_config_same_directory(mpy):
    assert key(mpy) == key(mpy)
    assert key(mpy, extra=(HEAP,)) == key(mpy, extra=(HEAP,))
    assert key(mpy).startswith("qemu-MPS2_AN385-")


@pytest.mark.parametrize("change", [
    {"extra": (HEAP,)},
    {"extra": ("MICROPY_HEAP_SIZE=2097152",)},
    {"extra": ("ZS_CORE=0",)},
    {"defines": ("ZS_NEGATIVE_CONTROL_NO_BOOT_SCAN",)},
    {"environ": {"MICROPY_HEAP_SIZE": "1048576"}},
    {"environ": {"ZSYNC_FREEZE_LEAVE_OUT": "asyncio"}},
    {"environ": {"ZS_FIBER_STACK_DEFAULT": "8192"}},
    {"environ": {"CFLAGS_EXTRA": "-DFOO"}},
    {"board": "VIRT_RV32"},
])
def test_any_binary_input_gets_its_own_directory(mpy, change):
    assert key(mpy, **change) != key(mpy)


def test_heap_sizes_differ_from_each_other(mpy):
    assert key(mpy, extra=(HEAP,)) != key(mpy, extra=("MICROPY_HEAP_SIZE=2097152",))


def test_environment_that_make_does_not_read_is_not_in_the_key(mpy):
    assert key(mpy, environ={"PATH": "/x", "HOME": "/y", "MICROPY_DIR": "/z", "MICROPYPATH": "."}) == key(mpy)


def test_another_checkout_gets_another_directory(mpy, tmp_path):
    other = tmp_path / "other"
    (other / "py").mkdir(parents=True)
    (other / "py" / "mpconfig.h").write_text("")
    assert key(str(other)) != key(mpy)


def test_board_leave_out_list_is_keyed_and_the_user_wins(mpy):
    os.makedirs(os.path.join(mpy, "lib", "micropython-lib", "python-stdlib"))  # the stm32 manifest needs it
    cfg = BF.config("stm32", "NUCLEO_F446RE", mpy, environ={})
    assert cfg["env"]["ZSYNC_FREEZE_LEAVE_OUT"] == "asyncio"
    mine = BF.config("stm32", "NUCLEO_F446RE", mpy, environ={"ZSYNC_FREEZE_LEAVE_OUT": ""})
    assert mine["env"]["ZSYNC_FREEZE_LEAVE_OUT"] == ""
    assert BF.build_key(mine) != BF.build_key(cfg)


def test_results_of_a_test_build_never_overwrite_the_default(mpy):
    default = BF.config("qemu", None, mpy, environ={})
    test = BF.config("qemu", None, mpy, extra=(HEAP,), environ={})
    assert BF.result_name(default) == "qemu-MPS2_AN385"  # where ports/README.md says it is
    assert BF.result_name(test) == "qemu-MPS2_AN385+MICROPY_HEAP_SIZE_1048576"
    assert BF.result_name(BF.config("unix", None, mpy, environ={})) == "unix"
    # VIRT_RV32's toolchain workaround (AFLAGS) is in the key, not in the documented result path.
    rv32 = BF.config("qemu", "VIRT_RV32", mpy, environ={})
    assert BF.result_name(rv32) == "qemu-VIRT_RV32"


def test_bad_make_variable_is_named(mpy):
    with pytest.raises(BF.BuildError, match="make variables must be NAME=VALUE: HEAP"):
        BF.config("qemu", None, mpy, extra=("HEAP",), environ={})


# build() itself builds in the keyed directory: make is replaced by a recorder.
def test_build_uses_the_key_for_objects_and_make(mpy, tmp_path, monkeypatch):
    calls = []

    def fake_run(cmd, cwd, log, env=None):
        calls.append((cmd, log, env))
        build = [c for c in cmd if c.startswith("BUILD=")][0][6:]
        os.makedirs(build, exist_ok=True)
        if "mpy-cross" not in cmd[-1]:
            for n in ("firmware.elf", "firmware.bin"):
                open(os.path.join(build, n), "w").close()

    monkeypatch.setattr(BF, "OUT", str(tmp_path / "out"))
    monkeypatch.setattr(BF, "run", fake_run)
    monkeypatch.delenv("MICROPY_HEAP_SIZE", raising=False)
    for extra in ((), (HEAP,)):
        files = BF.build("qemu", None, mpy, extra=extra)
        cfg = BF.config("qemu", None, mpy, extra=extra)
        make = calls[-1][0]
        assert "BUILD=" + os.path.join(BF.OUT, "obj", BF.build_key(cfg)) in make
        assert all(v in make for v in extra)
        assert os.path.dirname(files[0]) == os.path.join(BF.OUT, BF.result_name(cfg))
    builds = {c for cmd, _, _ in calls for c in cmd if c.startswith("BUILD=") and "mpy-cross" not in c}
    assert len(builds) == 2, builds


# The command line shows the key without building: what `make firmware` and
# the test build of `make test-firmware` will use.
def test_dry_run_prints_distinct_directories(mpy):
    def dry(*args):
        env = {k: v for k, v in os.environ.items() if not k.startswith(BF.ENV_PREFIXES)}
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "build_firmware.py"), "qemu",
                            "--micropy-dir", mpy, "--dry-run"] + list(args),
                           capture_output=True, text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        return dict(line.split(" ", 1) for line in p.stdout.splitlines())

    default, test = dry(), dry(HEAP)
    assert default["results"] == os.path.join("build", "firmware", "qemu-MPS2_AN385")
    assert default["obj"] != test["obj"] and default["results"] != test["results"]
    assert dry() == default
