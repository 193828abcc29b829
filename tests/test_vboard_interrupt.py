# The virtual board's Ctrl-C is a SIGINT sent only while the child catches it.
# Checking /proc and then sending cannot be atomic: the child may end its code
# and put SIGINT back to the default in between, and the signal then kills it
# (test_vboard.py::test_garbage_does_not_wedge failed ~1 run in 12 that way).
# Here the child flips its SIGINT disposition between a handler and the
# default as fast as it can: every interrupt() that says it sent must reach the
# handler, and none may kill the process. Waits are hang guards.
import os
import random
import select
import sys
import time

from zsync_mp_host import _vboard_child as vc

# The C-level handler writes a byte per SIGINT to the wakeup fd (stdout): the
# count is exact, whatever the Python-level handler misses.
# Its handler is in place before "ready": CPython's default one raises
# KeyboardInterrupt, which would end the child by SIGINT too. (CPython
# reports a SIGINT whose Python handler is gone by the time it runs as
# "ignored due to race condition" on stderr: /dev/null, not the pty.)
FLIPPER = r"""
import os, signal
caught = lambda sig, frame: None
signal.signal(signal.SIGINT, caught)
os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
os.set_blocking(1, False)
signal.set_wakeup_fd(1)
os.write(1, b"ready\n")
while True:
    signal.signal(signal.SIGINT, caught)
    for i in range(20):
        pass
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    for i in range(20):
        pass
"""


# What the child writes within seconds, or until it has written `until`.
def _read_for(child, seconds, until=None):
    out = b""
    end = time.monotonic() + seconds
    while time.monotonic() < end and not (until and until in out):
        select.select([child.fd], [], [], 0.01)
        data = child.read()
        if data is None:
            break
        out += data
    return out


def test_interrupt_never_kills_a_child_that_resets_sigint():
    child = vc.Child(lambda fd: [sys.executable, "-c", FLIPPER], dict(os.environ))
    child.start()
    rng = random.Random(1)
    try:
        assert b"ready" in _read_for(child, 10, b"ready")
        sent = 0
        for _ in range(300):
            time.sleep(rng.random() / 1000)  # land at a different point each time
            if child.interrupt():
                sent += 1
                # Each SIGINT sent reaches the handler before the next try (two
                # pending SIGINTs would merge into one).
                assert _read_for(child, 10, b"\x02") == b"\x02"
            assert child.proc.poll() is None, "a SIGINT met the default disposition: %s" % vc.describe_exit(child.proc.poll())
        assert 0 < sent < 300  # both dispositions were met
        assert _read_for(child, 0.2) == b""
    finally:
        child.kill()


def test_interrupt_waits_while_the_child_does_not_catch_sigint():
    child = vc.Child(lambda fd: [sys.executable, "-c", "import os, signal, time\n"
                                 "signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
                                 "os.write(1, b'ready\\n')\ntime.sleep(60)\n"], dict(os.environ))
    child.start()
    try:
        assert b"ready" in _read_for(child, 10, b"ready")
        assert child.interrupt() is False
        assert child.proc.poll() is None  # not killed, and not left stopped:
        with open("/proc/%d/stat" % child.proc.pid) as f:
            assert f.read().rsplit(")", 1)[1].split()[0] in ("S", "R")
    finally:
        child.kill()
