# native/micropython.cmake, the ESP32 (and rp2) build glue, checked without
# ESP-IDF: a CMake project does what MicroPython's CMake ports do (define the
# `usermod` interface library, then include USER_C_MODULES) and prints what
# the file declared. Building it needs ESP-IDF (ports/esp32/README.md).
import os
import shutil
import subprocess

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GLUE = os.path.join(ROOT, "native", "micropython.cmake")

PROJECT = """cmake_minimum_required(VERSION 3.13)
project(zsync_glue_check NONE)
add_library(usermod INTERFACE)
%s
include(%s)
foreach(p INTERFACE_SOURCES INTERFACE_INCLUDE_DIRECTORIES INTERFACE_COMPILE_DEFINITIONS INTERFACE_LINK_OPTIONS)
  get_target_property(v usermod_zsync_fiber ${p})
  message(STATUS "${p}=${v}")
endforeach()
get_target_property(v usermod INTERFACE_LINK_LIBRARIES)
message(STATUS "USERMOD_LIBS=${v}")
"""


def configure(tmp_path, extra=""):
    if not shutil.which("cmake"):
        pytest.fail("cmake is missing: make setup installs it")
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "CMakeLists.txt").write_text(PROJECT % (extra, GLUE))
    r = subprocess.run(["cmake", "-S", str(tmp_path), "-B", str(tmp_path / "build")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
    props = {}
    for line in r.stdout.splitlines():
        if line.startswith("-- ") and "=" in line:
            k, _, v = line[3:].partition("=")
            props[k] = v.split(";")
    return props


def test_esp32_glue_declares_the_module(tmp_path):
    p = configure(tmp_path, "set(IDF_TARGET esp32)")
    srcs = p["INTERFACE_SOURCES"]
    assert sorted(os.path.basename(s) for s in srcs) == ["modzsync_core.c", "modzsync_fiber.c", "zs_ctx.c", "zs_sleepq.c", "zs_switch_select.S"]
    assert all(os.path.isfile(s) for s in srcs), srcs
    assert p["INTERFACE_INCLUDE_DIRECTORIES"] == [os.path.join(ROOT, "native")]
    assert p["INTERFACE_COMPILE_DEFINITIONS"] == ["ZS_FIBER_STACK_DEFAULT=8192"]  # 8 KiB fibers on ESP32
    assert p["INTERFACE_LINK_OPTIONS"] == ["-Wl,--wrap=gc_collect_end"]
    assert p["USERMOD_LIBS"] == ["usermod_zsync_fiber"]


def test_other_cmake_ports_and_override(tmp_path):
    assert configure(tmp_path / "rp2")["INTERFACE_COMPILE_DEFINITIONS"] == ["ZS_FIBER_STACK_DEFAULT=4096"]
    p = configure(tmp_path / "big", "set(IDF_TARGET esp32c3)\nset(ZS_FIBER_STACK_DEFAULT 16384)")
    assert p["INTERFACE_COMPILE_DEFINITIONS"] == ["ZS_FIBER_STACK_DEFAULT=16384"]


def test_zs_core_0_leaves_out_the_c_task(tmp_path):
    p = configure(tmp_path, "set(ZS_CORE 0)")
    assert sorted(os.path.basename(s) for s in p["INTERFACE_SOURCES"]) == ["modzsync_fiber.c", "zs_ctx.c", "zs_switch_select.S"]
