"""Real apps, unchanged (issue 18): third-party MicroPython asyncio libraries
from PyPI (microdot; micropython-uaioweb) serve HTTP over real loopback
sockets on zsync_mp.asyncio, on CPython and on MicroPython, with `import
asyncio` redirected by tests/_realapp.py (the libraries are not edited).
Each run is checked against what the routes must answer (concurrent
clients, a streamed body, a websocket echo, shutdown), and against the same
run on the interpreter's stock asyncio.

Also here: _aio_stream_api.py and _aio_tls.py (the asyncio layer's Stream,
Server and ssl= API) on both interpreters against their .exp files.
"""
import base64
import hashlib
import importlib.util
import os
import socket
import struct
import subprocess
import threading
import time

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, ".venv", "bin")
INTERPS = {"cpython": [os.path.join(BIN, "python"), "-u"], "micropython": [os.path.join(BIN, "micropython")]}
LIBS = {"microdot": "microdot", "uaioweb": "micropython-uaioweb"}  # package -> PyPI name
WAIT = 15  # seconds any one step may take before the test fails


@pytest.fixture(scope="module")
def libdir(tmp_path_factory):
    # Only the libraries' packages, for MicroPython's path (the whole
    # site-packages would offer it CPython-only modules).
    d = tmp_path_factory.mktemp("mpylib")
    for pkg, dist in LIBS.items():
        spec = importlib.util.find_spec(pkg)
        if spec is None:
            pytest.fail("%s is not installed: .venv/bin/pip install %s (pyproject's dev dependencies)" % (pkg, dist))
        os.symlink(spec.submodule_search_locations[0], str(d / pkg))
    return str(d)


def env_for(interp, libdir):
    env = dict(os.environ)
    if interp == "cpython":
        env["PYTHONPATH"] = os.pathsep.join([ROOT, HERE, libdir])
    else:
        env["MICROPYPATH"] = ":".join([ROOT, HERE, libdir, ".frozen"])
    return env


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def connect(port):
    return socket.create_connection(("127.0.0.1", port), timeout=WAIT)


def http_get(port, path):
    """(status line, headers, body) of one HTTP/1.0 GET."""
    with connect(port) as s:
        s.sendall(b"GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n" % path.encode())
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:] if ": " in line)
    return lines[0], {k.lower(): v for k, v in headers.items()}, body


def in_threads(n, fn):
    # n calls of fn() at once; their results in order (any failure re-raised).
    out, errs = [None] * n, []

    def one(i):
        try:
            out[i] = fn()
        except Exception as e:
            errs.append(e)

    ts = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    for t in ts:
        t.start()
    for t in ts:
        t.join(WAIT * 2)
    if errs:
        raise errs[0]
    return out


def ws_frame(opcode, payload):
    # A client frame: masked, as RFC 6455 requires of clients.
    mask = os.urandom(4)
    n = len(payload)
    head = struct.pack("!BB", 0x80 | opcode, 0x80 | n) if n < 126 else struct.pack("!BBH", 0x80 | opcode, 0x80 | 126, n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def ws_read(f):
    op, n = struct.unpack("!BB", f.read(2))
    n &= 0x7F
    if n == 126:
        n = struct.unpack("!H", f.read(2))[0]
    return op & 0x0F, f.read(n)


def ws_echo(port, path, messages):
    """Handshake (the accept key checked), send each text message, read
    its echo; then close. Returns the echoes."""
    key = base64.b64encode(os.urandom(16))
    with connect(port) as s:
        s.sendall(b"GET %s HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                  b"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n" % (path.encode(), key))
        f = s.makefile("rb")
        status = f.readline()
        headers = {}
        for line in iter(f.readline, b"\r\n"):
            k, _, v = line.decode().partition(":")
            headers[k.strip().lower()] = v.strip()
        want = base64.b64encode(hashlib.sha1(key + b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest()).decode()
        assert status.startswith(b"HTTP/1.1 101"), status
        assert headers.get("sec-websocket-accept") == want, headers
        got = []
        for m in messages:
            s.sendall(ws_frame(1, m.encode()))
            op, data = ws_read(f)
            got.append((op, data.decode()))
        s.sendall(ws_frame(8, b""))
        return got


class App:
    """One server process: `interp` running `app` on `runtime`."""

    def __init__(self, interp, runtime, app, libdir):
        self.port = free_port()
        cmd = INTERPS[interp] + [os.path.join(HERE, "_realapp.py"), runtime, app, str(self.port)]
        self.p = subprocess.Popen(cmd, cwd=ROOT, env=env_for(interp, libdir), stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + WAIT
        while True:  # wait until it listens
            try:
                connect(self.port).close()
                return
            except OSError:
                if self.p.poll() is not None or time.monotonic() > deadline:
                    self.p.kill()
                    out, err = self.p.communicate()
                    raise AssertionError("%s %s %s did not start listening:\n%s%s" % (interp, runtime, app, out, err))
                time.sleep(0.05)

    def finish(self):
        try:
            out, err = self.p.communicate(timeout=WAIT)
        except subprocess.TimeoutExpired:
            self.p.kill()
            out, err = self.p.communicate()
            raise AssertionError("the server did not stop after /shutdown:\n%s%s" % (out, err))
        return self.p.returncode, out, err


def scenario(interp, runtime, app, libdir):
    """Everything the clients saw, as a dict (compared across runtimes)."""
    q = (lambda r, n: "/%s/%d" % (r, n)) if app == "microdot" else (lambda r, n: "/%s?n=%d" % (r, n))
    srv = App(interp, runtime, app, libdir)
    seen = {}
    try:
        status, headers, body = http_get(srv.port, "/")
        seen["index"] = (status, body)
        if app == "microdot":
            seen["index type"] = headers.get("content-type")
            seen["sync handler"] = http_get(srv.port, "/sync")[2]
        # 4 requests that each answer only once all 4 are in: a server that
        # handles one at a time never answers (the socket timeout fails it).
        seen["gate"] = in_threads(4, lambda: http_get(srv.port, q("gate", 4))[2])
        seen["many clients"] = in_threads(8, lambda: http_get(srv.port, "/")[2])
        seen["stream"] = in_threads(3, lambda: http_get(srv.port, q("stream", 5))[2])
        seen["ws"] = ws_echo(srv.port, "/ws", ["one", "two", "x" * 200])
        seen["shutdown"] = http_get(srv.port, "/shutdown")[2]
    except BaseException:
        srv.p.kill()
        print("server output:", srv.p.communicate())
        raise
    rc, out, err = srv.finish()
    seen["exit"] = (rc, out.split("\n")[-2:], err)
    try:
        connect(srv.port).close()
        seen["after shutdown"] = "still accepting"
    except OSError:
        seen["after shutdown"] = "refused"
    return seen


def expected(app):
    # What the routes must answer (tests/_realapp*.py), from their contract.
    hello = b"hello from " + app.encode()
    want = {
        "index": ("HTTP/1.0 200 OK", hello),
        "gate": [b"through 4"] * 4,
        "many clients": [hello] * 8,
        "stream": [b"".join(b"chunk %d\n" % i for i in range(1, 6))] * 3,
        "ws": [(1, "one"), (1, "two"), (1, "x" * 200)],
        "shutdown": b"bye",
        "exit": (0, ["stopped", ""], ""),
        "after shutdown": "refused",
    }
    if app == "microdot":
        want["index type"] = "text/plain; charset=UTF-8"
        want["sync handler"] = b"sync handler"
    return want


# Where stock asyncio itself falls short of the contract (zsync_mp.asyncio
# must not): stock MicroPython's Server.wait_closed() does not wait for the
# connections, so its asyncio.run() ends before microdot sends /shutdown's
# reply.
STOCK_SHORT = {("micropython", "microdot"): {"shutdown": b""}}


@pytest.mark.parametrize("app", sorted(LIBS))
@pytest.mark.parametrize("interp", sorted(INTERPS))
def test_real_app_on_zsync_and_stock(interp, app, libdir):
    want = expected(app)
    stock = scenario(interp, "stock", app, libdir)
    zsync = scenario(interp, "zsync", app, libdir)
    assert zsync == want
    assert stock == dict(want, **STOCK_SHORT.get((interp, app), {})), "stock asyncio changed: update STOCK_SHORT"


@pytest.mark.parametrize("script", ["_aio_stream_api", "_aio_tls"])
@pytest.mark.parametrize("interp", sorted(INTERPS))
def test_stream_api_script(interp, script):
    env = env_for(interp, ROOT)
    r = subprocess.run(INTERPS[interp] + [os.path.join(HERE, script + ".py")], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=60)
    with open(os.path.join(HERE, script + ".exp")) as f:
        assert (r.stdout, r.stderr) == (f.read(), "")
