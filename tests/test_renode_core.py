# Issue 17: every Renode script under emu/renode/ runs its firmware on a core
# that matches how the firmware is built. Renode's own STM32F4 platform
# declares "cortex-m4" (no FPU) while the emu firmware is built for an M4F
# and saves s16-s31 on every switch. Renode cannot be installed here, so this
# reads the scripts: the platform each one loads (following `using` through
# the repository's .repl files) must declare the core derived from the
# target's build flags in emu/targets.py. A platform shipped with Renode is
# not in the repository, so what it declares cannot be checked: the scripts
# must declare the core themselves.
import os
import re
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RENODE = os.path.join(ROOT, "emu", "renode")
sys.path.insert(0, ROOT)

from emu import targets as T

TARGETS = {t["name"]: t for t in T.TARGETS}
BUILD_RE = re.compile(r"build/emu/([\w.+-]+)/")


# Renode's name for the core a Cortex-M firmware is built for: -mcpu, plus
# "f" where Renode names the FPU variant separately (cortex-m4f); M7 cores
# always have one in Renode.
def renode_core(flags):
    cpus = [f.split("=", 1)[1] for f in flags if f.startswith("-mcpu=")]
    if len(cpus) != 1:
        raise ValueError("build flags name no single -mcpu: %s" % flags)
    fpu = any(f.startswith("-mfpu=") and f != "-mfpu=none" for f in flags) and "-mfloat-abi=soft" not in flags
    return cpus[0] + "f" if fpu and cpus[0] in ("cortex-m4", "cortex-m33") else cpus[0]


# The repository file a Renode path names, or None for Renode's own files.
def repo_file(path, base):
    path = path.strip().strip('"').lstrip("@").replace("${CURDIR}", base)
    for p in (path, os.path.join(base, path), os.path.join(ROOT, path)):
        if os.path.isfile(p):
            return os.path.normpath(p)
    return None


# The cpuType a .repl finally gives its `cpu`: entries merge in order, the
# files named by `using` first, the last value wins. None when no file of
# the repository says it; raises when a `using` names another repo file that
# is missing.
def declared_core(repl):
    core = None
    base = os.path.dirname(repl)
    entry = None
    with open(repl) as f:
        for line in f:
            line = line.split("//", 1)[0].rstrip()
            m = re.match(r'using\s+"([^"]+)"', line)
            if m:
                used = repo_file(m.group(1), base)
                core = (declared_core(used) if used else None) or core
                continue
            m = re.match(r"(?:local\s+)?(\w+):", line)
            if m and not line.startswith(" "):
                entry = m.group(1)
            m = re.match(r'\s+cpuType:\s*"([^"]+)"', line)
            if m and entry == "cpu":
                core = m.group(1)
    return core


# (platform .repl or Renode path, ELF target name) for each machine a .resc
# builds: the default of $platform / $bin, or the literal arguments.
def resc_machines(resc):
    text = open(resc).read()
    vars_ = dict(re.findall(r"^\$(\w+)\?=(\S+)", text, re.M))
    loads = re.findall(r"^machine LoadPlatformDescription\s+(\S+)", text, re.M)
    out = []
    for arg in loads:
        platform = vars_.get(arg[1:], arg) if arg.startswith("$") else arg
        elf = BUILD_RE.search(vars_.get("bin", ""))
        out.append((platform, elf.group(1) if elf else None))
    return out


def problems(platform, target, base):
    if target not in TARGETS:
        return ["loads an ELF of no emu target (%r)" % target]
    want = renode_core(TARGETS[target]["cpu_flags"])
    repl = repo_file(platform, base)
    if repl is None:
        return ["loads %s, a platform outside the repository: its core cannot be checked against %s's build "
                "(%s); load a .repl in emu/renode/ that declares cpuType \"%s\"" % (platform, target, want, want)]
    got = declared_core(repl)
    if got != want:
        return ["%s declares cpuType %r, the %s firmware is built for %r (%s)"
                % (os.path.relpath(repl, ROOT), got, target, want, " ".join(TARGETS[target]["cpu_flags"]))]
    return []


RESC = sorted(f for f in os.listdir(RENODE) if f.endswith(".resc"))


@pytest.mark.parametrize("name", RESC)
def test_resc_core_matches_the_firmware_build(name):
    path = os.path.join(RENODE, name)
    machines = resc_machines(path)
    if not machines:
        assert "include @" in open(path).read(), "%s neither loads a platform nor includes a script" % name
        return
    for platform, target in machines:
        assert not problems(platform, target, ROOT), problems(platform, target, ROOT)


# The robot suite overrides $platform and $bin: the pair it sets must agree too.
def test_robot_suite_core_matches_the_firmware_build():
    robot = open(os.path.join(RENODE, "stm32f4_switch.robot")).read()
    build = BUILD_RE.search(re.search(r"\$\{BUILD\}\s+(\S+)", robot).group(1) + "/").group(1)
    platforms = re.findall(r"Execute Command\s+\$platform=(\S+)", robot)
    assert platforms, "stm32f4_switch.robot leaves $platform to the .resc default (a relative path)"
    for p in platforms:
        assert not problems(p, build, RENODE), problems(p, build, RENODE)


def test_fpu_builds_get_the_fpu_core():
    assert renode_core(T.M4F) == "cortex-m4f"
    assert renode_core(["-mcpu=cortex-m4"]) == "cortex-m4"
    assert renode_core(["-mcpu=cortex-m4", "-mfpu=fpv4-sp-d16", "-mfloat-abi=soft"]) == "cortex-m4"
    assert renode_core(T.M7) == "cortex-m7"


# The check is not a rubber stamp: what the scripts did before (Renode's own
# stm32f4.repl, "cortex-m4") and a repo platform with the wrong core fail.
def test_checker_refuses_renode_platform_and_wrong_core(tmp_path):
    old = tmp_path / "old.resc"
    old.write_text("mach create\nmachine LoadPlatformDescription @platforms/cpus/stm32f4.repl\n"
                   "$bin?=@build/emu/cortex-m4f-stm32/uart.elf\n")
    (platform, target), = resc_machines(str(old))
    assert "a platform outside the repository" in problems(platform, target, str(tmp_path))[0]
    wrong = tmp_path / "wrong.repl"
    wrong.write_text('using "platforms/cpus/stm32f4.repl"\n\ncpu:\n    cpuType: "cortex-m4f"\n\n'
                     'cpu:\n    cpuType: "cortex-m4"\n')
    assert "declares cpuType 'cortex-m4'" in problems(str(wrong), target, str(tmp_path))[0]
    assert not problems(os.path.join(RENODE, "stm32f4_m4f.repl"), target, ROOT)
