# ports/zsync_manifest.py, run the way MicroPython's makemanifest.py runs a
# manifest (exec with package() in scope, paths relative to the manifest):
# every portable module is frozen, host-only ones never, and
# ZSYNC_FREEZE_LEAVE_OUT drops whole subpackages (NUCLEO_F446RE: asyncio).
import os

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MANIFEST = os.path.join(ROOT, "ports", "zsync_manifest.py")


def frozen(monkeypatch, leave_out=None):
    if leave_out is None:
        monkeypatch.delenv("ZSYNC_FREEZE_LEAVE_OUT", raising=False)
    else:
        monkeypatch.setenv("ZSYNC_FREEZE_LEAVE_OUT", leave_out)
    monkeypatch.chdir(os.path.dirname(MANIFEST))
    got = {}

    def package(name, files, base_path, opt):
        got.update(name=name, files=files, opt=opt)

    with open(MANIFEST) as f:
        exec(compile(f.read(), MANIFEST, "exec"), {"package": package})
    return got


def test_everything_portable_is_frozen(monkeypatch):
    got = frozen(monkeypatch)
    files = got["files"]
    assert got["name"] == "zsync_mp" and got["opt"] == 3
    assert os.path.join("io", "greenfiber.py") not in files
    assert os.path.join("kernel", "reg.py") in files and os.path.join("asyncio", "_core.py") in files
    on_disk = sum(len([n for n in ns if n.endswith(".py")]) for _d, _s, ns in os.walk(os.path.join(ROOT, "zsync_mp")))
    assert len(files) == on_disk - 1


def test_leave_out_drops_a_subpackage(monkeypatch):
    files = frozen(monkeypatch, "asyncio")["files"]
    assert not [f for f in files if f.startswith("asyncio" + os.sep)]
    assert os.path.join("kernel", "task.py") in files and os.path.join("resilience", "_retry.py") in files
