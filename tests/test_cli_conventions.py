# mpremote's conventions (issue 17): -p/--port with auto (the default for
# deploy and dump), u0/a0/c0 and id: shortcuts; --version; byte progress on a
# terminal for deploy copies and run uploads.
import io
import os
from types import SimpleNamespace

import pytest

from zsync_mp_host import _portname
from zsync_mp_host import deploy as dp
from test_cli import board, cli, pkg  # noqa: F401 (fixtures)


class _Err(Exception):
    def __init__(self, msg, status):
        super().__init__(msg)
        self.status = status


def ports(*specs):
    return lambda: [SimpleNamespace(device=d, vid=v, pid=p, serial_number=s) for d, v, p, s in specs]


@pytest.mark.parametrize("name,port", [("u0", "/dev/ttyUSB0"), ("a1", "/dev/ttyACM1"), ("c3", "COM3"),
                                       ("port:u0", "u0"), ("/dev/ttyS5", "/dev/ttyS5"), ("virtual", "virtual")])
def test_shortcuts_as_mpremote(name, port):
    assert _portname.resolve(name, _Err, ports()) == port


def test_auto_takes_the_first_usb_serial_port():
    found = ports(("/dev/ttyS0", None, None, None), ("/dev/ttyACM0", 0x2E8A, 0x0005, "E66"),
                  ("/dev/ttyUSB0", 0x10C4, 0xEA60, "0001"))
    assert _portname.resolve("auto", _Err, found) == "/dev/ttyACM0"  # not the UART without a USB id
    assert _portname.resolve(None, _Err, found) == "/dev/ttyACM0"
    assert _portname.resolve("id:0001", _Err, found) == "/dev/ttyUSB0"
    with pytest.raises(_Err, match="no board with USB serial number 9"):
        _portname.resolve("id:9", _Err, found)
    with pytest.raises(_Err, match=r"no board found: no USB serial port is attached \(give -p PORT"):
        _portname.resolve("auto", _Err, ports(("/dev/ttyS0", None, None, None)))


def test_cli_ports_and_version(board, tmp_path):  # noqa: F811 (pytest fixtures imported above)
    app = tmp_path / "app.py"
    app.write_text("print('hi')\n")
    r = cli("run", "-p", board.port, str(app))
    assert (r.returncode, r.stdout) == (0, "hi\n"), r.stderr
    r = cli("deploy", "-p", "u9")
    assert (r.returncode, r.stderr) == (1, "zsync-mp: no such port: /dev/ttyUSB9\n")
    r = cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("zsync-mp ")


class _Tty(io.StringIO):
    def isatty(self):
        return True


def test_deploy_shows_byte_progress_on_a_terminal(board, pkg):  # noqa: F811 (pytest fixtures imported above)
    (pkg / "big.py").write_text("X = 1\n" + "# padding\n" * 1000)  # 10006 bytes: 10 chunks
    out = _Tty()
    dp.deploy(board.port, src=str(pkg), dest="/lib/zprog", out=out)
    text = out.getvalue()
    assert "\r ... copying /lib/zprog/big.py 1024/10006 bytes  10% [##------------------]" in text
    assert "\r ... copying /lib/zprog/big.py 9216/10006 bytes  92% [##################--]" in text
    assert "copying /lib/zprog/core.py" not in text  # small files: no bar, as mpremote
    out = io.StringIO()  # not a terminal: no progress lines in logs
    (pkg / "big.py").write_text("X = 2\n" + "# padding\n" * 1000)
    dp.deploy(board.port, src=str(pkg), dest="/lib/zprog", out=out)
    assert "..." not in out.getvalue()


def test_run_shows_upload_progress_on_a_terminal(board, tmp_path):  # noqa: F811 (pytest fixtures imported above)
    app = tmp_path / "big_app.py"
    app.write_text("print('ran')\n" + "# padding\n" * 1000)
    out, err = io.StringIO(), _Tty()
    assert dp.run_app(board.port, str(app), out=out, err=err) == 0
    assert out.getvalue() == "ran\n"
    assert "\r ... uploading %s " % app in err.getvalue() and "/10013 bytes" in err.getvalue()
    assert os.path.basename(str(app)) in err.getvalue()
