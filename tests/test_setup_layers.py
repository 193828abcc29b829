# Setup in layers and build hygiene (issue 17), checked with `make -n` (a dry
# run: nothing is installed): `make sim` needs only the simulation (no cross
# toolchains, no dev extras); `make bench-quick` writes to build/, not over the
# committed report; `make flash` without a board port stops with one clear
# line; a missing system package is named with its install command when not
# root; no test writes a fixed name in the shared temp directory.
import glob
import os
import re
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEED = os.path.join(ROOT, "tools", "need_packages.sh")


def make_n(*args):
    # -B: every command the target would run, even where the stamps are fresh.
    return subprocess.run(["make", "-n", "-B", "--no-print-directory", "-C", ROOT] + list(args),
                          capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)


def test_make_sim_installs_only_the_simulation():
    r = make_n("sim")
    assert r.returncode == 0, r.stderr
    assert "sh tools/need_packages.sh bubblewrap\n" in r.stdout
    for heavy in ("qemu", "gcc-arm", "xtensa", "riscv", "[dev]", "npm"):
        assert heavy not in r.stdout, heavy
    assert "pip install -q --disable-pip-version-check -e .\n" in r.stdout
    r = make_n("test")  # the rest comes with make test
    assert "gcc-arm-none-eabi" in r.stdout and "-e '.[dev]'" in r.stdout


def test_bench_quick_writes_to_build():
    r = make_n("bench-quick")
    line = [ln for ln in r.stdout.splitlines() if "bench/run.py" in ln]
    assert line == [".venv/bin/python bench/run.py --quick --out build/bench-quick"]


def test_make_flash_without_a_port():
    r = make_n("flash")
    assert r.returncode == 2 and "invalid choice" not in r.stdout + r.stderr
    assert "make flash needs the board's port: make flash PORT=esp32" in r.stderr
    assert r.stdout == ""  # stopped before any command, setup included
    r = make_n("flash", "PORT=esp32")
    assert r.returncode == 0 and "tools/flash_firmware.py flash esp32 " in r.stdout


@pytest.mark.skipif(os.geteuid() != 0 or not os.path.exists("/usr/sbin/runuser"), reason="needs root to act as nobody")
def test_missing_system_package_is_named_when_not_root():
    r = subprocess.run(["runuser", "-u", "nobody", "--", "sh", NEED, "bash", "zsync-no-such-package"],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout) == (1, "")
    assert r.stderr == ("missing system packages: zsync-no-such-package\n"
                        "install them with: sudo apt-get install zsync-no-such-package\n")
    r = subprocess.run(["runuser", "-u", "nobody", "--", "sh", NEED, "bash", "dpkg"],
                       capture_output=True, text=True, timeout=60)
    assert (r.returncode, r.stdout, r.stderr) == (0, "", "")  # all there: nothing asked


def test_no_fixed_names_in_the_shared_temp_dir():
    # A fixed name in /tmp can be prepared by another user (a symlink the test
    # then writes through) and collides between parallel runs.
    bad = []
    for path in glob.glob(os.path.join(ROOT, "tests", "*.py")) + glob.glob(os.path.join(ROOT, "hil_tests", "*.py")):
        with open(path) as f:
            for n, line in enumerate(f, 1):
                if re.search(r"[\"']/tmp/", line):
                    bad.append("%s:%d: %s" % (os.path.relpath(path, ROOT), n, line.strip()))
    assert bad == []
