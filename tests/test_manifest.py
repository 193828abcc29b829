# ports/zsync_manifest.py, run the way MicroPython's makemanifest.py runs a
# manifest (exec with package() in scope, paths relative to the manifest):
# every portable module is frozen, host-only ones never, and
# ZSYNC_FREEZE_LEAVE_OUT drops whole subpackages (NUCLEO_F446RE: asyncio).
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import gen_package_json as gen


def test_everything_portable_is_frozen():
    got = gen.run_manifest(ROOT)
    files = got["files"]
    assert got["name"] == "zsync_mp" and got["opt"] == 3
    host_only = [os.path.join("io", "greenfiber.py"), os.path.join("kernel", "_cpython.py")]
    assert not set(host_only) & set(files)
    assert os.path.join("kernel", "reg.py") in files and os.path.join("asyncio", "_core.py") in files
    on_disk = sum(len([n for n in ns if n.endswith(".py")]) for _d, _s, ns in os.walk(os.path.join(ROOT, "zsync_mp")))
    assert len(files) == on_disk - len(host_only)


def test_leave_out_drops_a_subpackage():
    files = gen.run_manifest(ROOT, "asyncio")["files"]
    assert not [f for f in files if f.startswith("asyncio" + os.sep)]
    assert os.path.join("kernel", "task.py") in files and os.path.join("resilience", "_retry.py") in files


def test_deploy_copies_what_the_firmware_freezes():
    # `zsync-mp deploy` (and --mpy) leaves out the same host-only modules as
    # the manifest: one mark in the module, read by both.
    from zsync_mp_host import deploy
    frozen = sorted(f.replace(os.sep, "/") for f in gen.run_manifest(ROOT)["files"])
    assert sorted(deploy.collect(deploy.PACKAGE)) == frozen
    assert "io/greenfiber.mpy" not in deploy.collect(deploy.PACKAGE, mpy="bytecode")
