"""Run an app on a board through the raw REPL (zsync-mp run --port, sim).

run_app() soft-resets the board, checks that zsync_mp imports when the app
uses it, uploads the app's source (byte progress on a terminal), streams its
output and returns its exit status; past `limit` seconds it interrupts the
app (Ctrl-C) and raises DeployError (status 1).
"""
import codecs
import sys
import time

from mpremote.transport import TransportError, TransportExecError

from zsync_mp_host.deploy import DeployError, close, connect
from zsync_mp_host._progress import Progress


class _Stream:
    """Board output to a host text stream: \\r\\n becomes \\n, EOF markers vanish."""

    def __init__(self, out):
        self.out = out
        self.cr = False
        self.dec = codecs.getincrementaldecoder("utf-8")(errors="replace")

    def __call__(self, b):
        b = b.replace(b"\x04", b"")
        if self.cr:
            b = b"\r" + b
        self.cr = b.endswith(b"\r")
        if self.cr:
            b = b[:-1]
        text = self.dec.decode(b.replace(b"\r\n", b"\n"))
        if text:
            self.out.write(text)
            self.out.flush()


# The source sent to the raw REPL, with a Progress of the bytes written.
def _upload(t, source, progress):
    write = t.serial.write
    sent = [0]

    def counting(b):
        n = write(b)
        sent[0] = min(len(source), sent[0] + len(b))
        progress(sent[0], len(source))
        return n

    t.serial.write = counting
    try:
        t.exec_raw_no_follow(source)
    finally:
        t.serial.write = write
    progress(len(source), len(source))


class _Overrun(Exception):
    """The app ran past its time limit."""


# Like mpremote's follow(): (output, error output) of the running exec, output
# streamed to `consumer`; past `limit` seconds (None: no limit) _Overrun, even
# while the app keeps printing.
def _follow(t, consumer, limit, timeout):
    end = None if limit is None else time.monotonic() + limit
    t.serial.timeout = 0.2
    while True:
        if end is not None and time.monotonic() >= end:
            raise _Overrun()
        chunk = t.serial.read(max(1, t.serial.in_waiting))
        i = chunk.find(b"\x04")
        consumer(chunk if i < 0 else chunk[:i])
        if i >= 0:
            break
    err = chunk[i + 1:]
    if not err.endswith(b"\x04"):
        t.serial.timeout = timeout
        err += t.read_until(1, b"\x04", timeout=timeout)
    return err.partition(b"\x04")[0]


def run_app(port, app, out=None, err=None, timeout=10, needs=None, limit=None):
    """Run app's source on the board via the raw REPL; returns an exit status.
    limit: seconds the app may run; past it the app is interrupted (Ctrl-C)
    and DeployError (status 1) says so."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        with open(app, "rb") as f:
            source = f.read()
    except OSError as e:
        raise DeployError("cannot read app %s: %s" % (app, e.strerror), 2)
    if needs is None:
        needs = ["zsync_mp"] if b"zsync_mp" in source else []
    t = connect(port, timeout)
    try:
        t.serial.timeout = 0.2
        t.enter_raw_repl(soft_reset=True, timeout_overall=timeout)
        t.serial.timeout = timeout
        for mod in needs:
            try:
                t.exec("import " + mod)
            except TransportExecError as e:
                text = e.error_output.decode(errors="replace") if isinstance(e.error_output, bytes) else str(e.error_output or "")
                text = text.strip()
                if "ImportError" not in text:  # it is there but fails to load (MemoryError on a small heap...)
                    raise DeployError("board at %s: import %s failed: %s" % (port, mod, text.splitlines()[-1] if text else e))
                raise DeployError("board at %s has no %s: run `zsync-mp deploy --port %s` first" % (port, mod, port))
        _upload(t, source, Progress(err, app, "uploading"))
        try:
            error = _follow(t, _Stream(out), limit, timeout)
        except (KeyboardInterrupt, _Overrun) as e:
            t.serial.write(b"\x03")
            _, error = t.follow(timeout=timeout, data_consumer=_Stream(out))
            if isinstance(e, _Overrun):
                raise DeployError("%s still running after %gs on %s: interrupted (--timeout)" % (app, limit, port))
            err.write(error.decode(errors="replace").replace("\r\n", "\n"))
            return 130
        if error:
            err.write(error.decode(errors="replace").replace("\r\n", "\n"))
            return 1
        return 0
    except TransportError as e:
        raise DeployError("board at %s failed while running %s: %s" % (port, app, e))
    finally:
        close(t)
