# The virtual board is confined (issue 17): every escape reproduced on the
# unconfined board is tried here through the real mpremote (or the real CLI)
# against a real virtual board, and each must be refused with the host file
# untouched. One confined board serves the module; the network, fallback and
# unconfined checks start their own.
import hashlib
import io
import json
import os
import socket
import sys

import pytest

from zsync_mp_host import _vboard_sandbox as sandbox
from zsync_mp_host import cli
from zsync_mp_host import vboard
from test_vboard import mpremote

ROOT = vboard.ROOT
MACHINE = os.path.join(ROOT, "zsync_mp_host", "board", "machine.py")
SECRET = b"host secret: the board must never see this\n"
CANARY_ENV = "ZSYNC_CONFINE_CANARY"


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def deep(path):
    return "/.." * 12 + path  # climbs past any board directory to the host's /


@pytest.fixture(scope="module")
def host(tmp_path_factory):
    # A board filesystem with a host directory beside it: `..` from the board's root lands there.
    top = tmp_path_factory.mktemp("confine")
    (top / "fs").mkdir()
    (top / "outside").mkdir()
    (top / "outside" / "secret.txt").write_bytes(SECRET)
    return top


@pytest.fixture(scope="module")
def board(host):
    os.environ[CANARY_ENV] = "leaked"
    try:
        b = vboard.VirtualBoard(str(host / "fs"), log=open(os.devnull, "w"))
        b.start()
    finally:
        del os.environ[CANARY_ENV]
    yield b
    b.stop()


def test_board_is_confined_by_bwrap(board):
    assert board.confined
    rom = board._rom
    links = [os.path.join(d, n) for d, dirs, files in os.walk(rom) for n in dirs + files
             if os.path.islink(os.path.join(d, n))]
    assert links == []  # /rom holds copies: nothing in it leads back to the checkout


def test_rom_is_read_only(board, tmp_path):
    before = sha(MACHINE)
    evil = tmp_path / "machine.py"
    evil.write_text("raise SystemExit('replaced')\n")
    for args in (["cp", str(evil), ":/rom/lib/machine.py"], ["rm", ":/rom/lib/machine.py"],
                 ["mkdir", ":/rom/lib/new"], ["cp", str(evil), ":/rom/new.py"]):
        r = mpremote(board.port, *args, check=False)
        assert r.returncode == 1, args
        assert "Read-only file system" in r.stdout + r.stderr or "EROFS" in r.stdout + r.stderr, r
    assert sha(MACHINE) == before
    on_board = mpremote(board.port, "cat", ":/rom/lib/machine.py").stdout
    assert on_board == open(MACHINE).read()
    out = mpremote(board.port, "exec", "import os\n"
                   "for f in (lambda: open('/rom/lib/x.py', 'w'), lambda: os.rename('/rom/lib/machine.py', '/rom/lib/m.py')):\n"
                   "    try:\n        f()\n        print('wrote')\n"
                   "    except OSError as e:\n        print(e.errno)").stdout
    assert out == "30\n30\n"  # EROFS


def test_mpremote_dotdot_paths_stay_on_the_board(board, host, tmp_path):
    secret = host / "outside" / "secret.txt"
    for path in ("../outside/secret.txt", deep(str(secret)), "/../outside/secret.txt"):
        r = mpremote(board.port, "cat", ":" + path, check=False)
        assert r.returncode == 1 and "host secret" not in r.stdout, path
    src = tmp_path / "payload.txt"
    src.write_bytes(b"overwritten\n")
    mpremote(board.port, "cp", str(src), ":../outside/secret.txt", check=False)
    mpremote(board.port, "cp", str(src), ":" + deep(str(secret)), check=False)
    mpremote(board.port, "rm", ":" + deep(str(secret)), check=False)
    mpremote(board.port, "rm", ":../outside/secret.txt", check=False)
    assert secret.read_bytes() == SECRET
    # Where `..` can go, it goes as on a board: `/..` is `/`, inside the board's filesystem.
    mpremote(board.port, "cp", str(src), ":../escaped.txt")
    mpremote(board.port, "mkdir", ":../../newdir")
    assert not (host / "escaped.txt").exists() and not (host / "newdir").exists()
    assert (host / "fs" / "escaped.txt").read_bytes() == b"overwritten\n"
    assert (host / "fs" / "newdir").is_dir()
    listing = mpremote(board.port, "ls", ":..").stdout.splitlines()
    root = mpremote(board.port, "ls", ":/").stdout.splitlines()[1:]
    assert listing[0] == "ls :.." and listing[1:] == [e for e in root if e.split()[-1] != "rom/"]  # mounts: only in "/"
    mpremote(board.port, "rm", ":/escaped.txt")
    mpremote(board.port, "rmdir", ":/newdir")


def _open_result(board, paths):
    code = ("import os\nfor p in %r:\n    try:\n        open(p).read()\n        print('READ', p)\n"
            "    except OSError as e:\n        print(e.errno)") % (paths,)
    return mpremote(board.port, "exec", code).stdout.split()


def test_board_code_cannot_open_host_files(board, host):
    paths = ["/../../etc/hostname", deep("/etc/hostname"), deep(str(host / "outside" / "secret.txt")),
             "../outside/secret.txt", deep(MACHINE)]
    assert _open_result(board, paths) == ["2"] * len(paths)  # ENOENT: none of them is on the board


def test_unrooted_vfsposix_sees_only_the_sandbox(board, host, tmp_path):
    reads = ["/host/etc/hostname", "/host" + str(host / "outside" / "secret.txt"), "/host" + MACHINE,
             "/host" + os.path.expanduser("~") + "/.bashrc", "/host/proc/1/environ"]
    writes = ["/host/x", "/host/tmp/x", "/host" + str(tmp_path / "x"), "/host" + ROOT + "/x",
              "/host" + os.path.realpath(sys.prefix) + "/x",
              "/host/rom/x", "/host/zsync/x"]
    code = ("import os, vfs\nvfs.mount(vfs.VfsPosix(), '/host')\n"
            "def t(f):\n    try:\n        f()\n        return 'OK'\n    except OSError as e:\n        return e.errno\n"
            "print([t(lambda: open(p).read()) for p in %r])\n"
            "print([t(lambda: open(p, 'w').write('x')) for p in %r])\n"
            "print(sorted(os.listdir('/host')))\n"
            "vfs.umount('/host')") % (reads, writes)
    out = mpremote(board.port, "exec", code).stdout.splitlines()
    assert out[0] == str([2] * len(reads))
    assert "'OK'" not in out[1]
    assert not (tmp_path / "x").exists() and not os.path.exists(os.path.join(ROOT, "x"))
    # The sandbox's root: the board's own mounts and the read-only interpreter, nothing else.
    python_tops = {os.path.realpath(p).split("/")[1] for p in (sys.prefix, sys.base_prefix)}
    seen = set(eval(out[2]))
    assert {"board", "rom", "zsync", "dev"} <= seen
    assert seen <= {"board", "rom", "zsync", "dev", "usr", "lib", "lib64", "lib32", "libx32"} | python_tops
    # (a checkout under /tmp, as a CI clone may be, brings /tmp in for its venv only)
    assert not seen & ({"etc", "tmp", "proc", "sys", "bin"} - python_tops)


def test_no_shell_no_host_commands(board, host):
    marker = host / "pwned"
    out = mpremote(board.port, "exec", "import os\nprint(os.system('id'))\nprint(os.system('touch %s'))"
                   % marker).stdout
    assert "uid=" not in out
    assert len(out.split()) == 2 and 0 not in [int(x) for x in out.split()]  # no /bin/sh in the sandbox
    assert not marker.exists()


def test_no_host_environment(board):
    names = ["HOME", "PATH", "USER", "LANG", "PYTHONPATH", CANARY_ENV]
    out = mpremote(board.port, "exec", "import os\nprint([os.getenv(n) for n in %r])" % names).stdout
    assert out == str([None] * len(names)) + "\n"


def _try_connect(board, port):
    code = ("import socket\ns = socket.socket()\ntry:\n"
            "    s.connect(socket.getaddrinfo('127.0.0.1', %d)[0][-1])\n    print('connected')\n"
            "except OSError as e:\n    print('refused', e.errno)\ns.close()") % port
    return mpremote(board.port, "exec", code).stdout.strip()


@pytest.fixture
def listener():
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)
    srv.settimeout(10)
    yield srv
    srv.close()


def test_network_only_when_the_board_file_asks(board, listener, tmp_path):
    port = listener.getsockname()[1]
    assert _try_connect(board, port).startswith("refused")
    listener.setblocking(False)
    with pytest.raises(BlockingIOError):
        listener.accept()  # nothing arrived from the board
    listener.setblocking(True)
    spec = tmp_path / "net.json"
    spec.write_text(json.dumps({"name": "net-board", "network": True}))
    with vboard.VirtualBoard(str(tmp_path / "fs"), board=str(spec), log=open(os.devnull, "w")) as b:
        assert _try_connect(b, port) == "connected"
        conn, _ = listener.accept()
        conn.close()
    spec.write_text(json.dumps({"network": "yes"}))
    with pytest.raises(vboard.BoardError, match="bad board file .*net.json: network must be true or false"):
        vboard.VirtualBoard(str(tmp_path / "fs"), board=str(spec))


def test_exit_status_above_128_is_not_a_crash(board):
    # bwrap reports a signal death as 128+N; the launcher keeps sys.exit(139) a soft reboot.
    crashes, resets = board.crashes, board.resets
    r = mpremote(board.port, "exec", "import sys; sys.exit(139)", check=False)
    assert "board reset" not in r.stdout + r.stderr
    assert mpremote(board.port, "eval", "6*7").stdout.strip() == "42"
    assert (board.crashes, board.resets) == (crashes, resets)


def _cli(capsys, *argv):
    code = cli.main(list(argv))
    return code, capsys.readouterr()


def test_deploy_refuses_destinations_outside_the_board(board, host, tmp_path, capsys):
    elsewhere = tmp_path / "elsewhere"
    for dest in ("/lib/../../../../" + str(elsewhere).lstrip("/"), "..", ":../x", "lib/../../x", "/.."):
        code, out = _cli(capsys, "deploy", "--port", board.port, "--dest", dest)
        assert code == 2, dest
        assert out.err == "zsync-mp: destination %r is outside the board's filesystem (it climbs above /)\n" % dest
        assert "verified" not in out.out
    assert not elsewhere.exists() and not (host / "x").exists() and not (host / "fs" / "x").exists()


@pytest.fixture
def pkg(tmp_path):
    src = tmp_path / "cpkg"
    src.mkdir()
    (src / "__init__.py").write_text("X = 1\n")
    return src


def test_deploy_destination_forms(board, host, pkg, capsys):
    fs = host / "fs"
    before = set(os.listdir(fs))
    for dest, where in (("lib/rel/pkg", "lib/rel/pkg"), (":/lib/colon", "lib/colon"),
                        (":lib/both", "lib/both"), ("/lib/./a/../dots", "lib/dots")):
        code, out = _cli(capsys, "deploy", "--port", board.port, "--src", str(pkg), "--dest", dest)
        assert code == 0, out.err
        assert (fs / where / "__init__.py").read_text() == "X = 1\n", dest
        assert "copied  /%s/__init__.py" % where in out.out
    assert set(os.listdir(fs)) - before <= {"lib"}  # no stray ":" or "rel"-less directories
    assert sorted(os.listdir(fs / "lib")) == ["both", "colon", "dots", "rel"]
    mpremote(board.port, "rm", "-r", ":/lib")


def test_without_bwrap_the_board_refuses(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PATH", str(tmp_path))  # no bwrap here
    monkeypatch.delenv("ZSYNC_VBOARD_UNCONFINED", raising=False)
    with pytest.raises(vboard.BoardError) as e:
        vboard.VirtualBoard(str(tmp_path / "fs"))
    msg = str(e.value)
    assert msg.startswith("bwrap (bubblewrap) not found on PATH: " + sandbox.INSTALL_HINT)
    assert "--unconfined" in msg and "ZSYNC_VBOARD_UNCONFINED=1" in msg
    assert vboard.main(["--fs", str(tmp_path / "fs")]) == 1  # a failure, as mpremote exits
    assert capsys.readouterr().err == "vboard: %s\n" % msg


def test_unconfined_opt_in_warns_and_keeps_board_paths(host, tmp_path, monkeypatch):
    # Without the sandbox: a loud warning, yet /rom stays read-only, `..` stays on
    # the board and the host environment stays out.
    monkeypatch.setenv("ZSYNC_VBOARD_UNCONFINED", "1")
    monkeypatch.setenv(CANARY_ENV, "leaked")
    log = io.StringIO()
    with vboard.VirtualBoard(str(host / "fs"), log=log) as b:
        assert not b.confined
        assert "WARNING: running UNCONFINED (no sandbox)" in log.getvalue()
        evil = tmp_path / "machine.py"
        evil.write_text("raise SystemExit('replaced')\n")
        before = sha(MACHINE)
        r = mpremote(b.port, "cp", str(evil), ":/rom/lib/machine.py", check=False)
        assert r.returncode == 1 and sha(MACHINE) == before
        assert _open_result(b, ["../outside/secret.txt", "/../outside/secret.txt"]) == ["2", "2"]
        out = mpremote(b.port, "exec", "import os\nprint(os.getenv(%r), os.getenv('HOME'))" % CANARY_ENV).stdout
        assert out == "None None\n"
