# The virtual board's MicroPython child and what the relay knows about its REPL.
#
# Child: one MicroPython unix process on a private pty in raw mode (no echo, no
# signals, no output processing), started as `micropython -i _vboard_boot.py`,
# normally inside the sandbox (_vboard_sandbox.py).
# Ctrl-C is delivered as SIGINT by the relay, never by the tty: a Ctrl-C byte
# that reaches the tty just before execution starts is lost (measured). But
# after its first execution the unix port leaves SIGINT at SIG_DFL between
# runs, so a SIGINT then kills it: interrupt() sends one only while the
# process catches SIGINT (/proc/PID/status SigCgt), checked and sent while
# the process is stopped so it cannot change that in between, and reports
# whether it did.
#
# ReplTracker follows the REPL from both directions so the relay knows whether
# the child is waiting for input (INPUT), inside a raw-paste transfer (PASTE),
# booting (BOOT) or running code (BUSY):
#
#     BOOT --prompt--> INPUT --\r (friendly) / \x04 (raw)--> BUSY --prompt--> INPUT
#                        |  \x05A\x01 + "R\x01"                  ^
#                        +-------------------> PASTE --\x04------+
#
# A raw exec also counts as ended at its last \x04 when the host speaks before
# the ">" arrives (mpremote does not wait for it).
# Prompts: ">>> ", "... " + auto-indent, "=== " (friendly), "raw REPL; CTRL-B to exit\r\n>"
# and "\x04>" (raw). Deliberately not done: parsing program output, so a program
# that prints a prompt-shaped string can make one Ctrl-C go to its stdin.
import os
import signal
import subprocess
import time
import tty

BOOT, INPUT, PASTE, BUSY = "BOOT", "INPUT", "PASTE", "BUSY"
FRIENDLY, RAW = "friendly", "raw"
RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
FRIENDLY_PROMPTS = (b">>>", b"...", b"===")  # then spaces (auto-indent)
SPECIAL = b"\r\x01\x02\x03\x04\x05"


class ReplTracker:
    """Where the child's REPL is; fed every byte in both directions."""

    def __init__(self):
        self.state = BOOT
        self.mode = FRIENDLY
        self.tail = b""
        self.paste_req = False
        self.eofs_seen = 0
        self.eofs_expected = 0

    # Host bytes: returns (bytes to forward, number of Ctrl-C to turn into SIGINT).
    def from_host(self, data):
        if not any(c in data for c in SPECIAL):
            return data, 0
        if self.state == BUSY and self.mode == RAW and 0 < self.eofs_expected <= self.eofs_seen:
            # The exec has ended; only its ">" is still on the way. A host (mpremote)
            # need not wait for it, and what it sends now is read at that prompt.
            self.state = INPUT
        out = bytearray()
        interrupts = 0
        for c in data:
            if c == 3 and self.state in (BUSY, BOOT):
                interrupts += 1
                continue
            out.append(c)
            self._host_byte(c)
        return bytes(out), interrupts

    def _host_byte(self, c):
        if self.state == PASTE:
            if c == 4:
                self._busy(3)  # ack \x04, then stdout \x04 stderr \x04
        elif self.state != INPUT:
            return
        elif self.mode == FRIENDLY:
            if c == 13 or c == 1:
                self._busy(0)
        elif c == 4:
            self._busy(2)
        elif c == 2:
            self.mode = FRIENDLY
            self._busy(0)
        elif c == 5:
            self.paste_req = True

    def _busy(self, eofs):
        self.state = BUSY
        self.eofs_seen = 0
        self.eofs_expected = eofs
        self.tail = b""

    # Child bytes: updates the state from prompts.
    def from_child(self, data):
        if self.state == BUSY:
            self.eofs_seen += data.count(b"\x04")
        if self.paste_req:
            if b"R\x01" in data:
                self.paste_req = False
                self.state = PASTE
            elif b"R\x00" in data:
                self.paste_req = False
        tail = (self.tail + data)[-40:]
        self.tail = tail
        if tail.endswith(RAW_BANNER):
            self.mode = RAW
            self.state = INPUT
            self.paste_req = False
        elif self.mode == RAW:
            if self.state in (BUSY, PASTE) and tail.endswith(b"\x04>"):
                self.state = INPUT
        elif self.state in (BUSY, BOOT) and tail[-1:] == b" " and tail.rstrip(b" ").endswith(FRIENDLY_PROMPTS):
            self.state = INPUT

    # What a host waiting in raw mode still needs to see to finish its exec.
    def unfinished_exec(self, message):
        if self.mode != RAW or self.state != BUSY or self.eofs_expected == 0:
            return b""
        missing = self.eofs_expected - self.eofs_seen
        if missing <= 0:
            return b">"
        if missing == 1:
            return message + b"\x04>"
        return b"\x04" * (missing - 1) + message + b"\x04>"


class LineEndings:
    """Turns the unix port's lone \\n into \\r\\n, as a board's stdout does."""

    def __init__(self):
        self.last_cr = False

    def convert(self, data):
        if not data:
            return data
        out = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        if self.last_cr and data[:1] == b"\n":
            out = out[1:]
        self.last_cr = data[-1:] == b"\r"
        return out


class Child:
    """A MicroPython process on its own pty, read and written by the relay.

    make_argv(status_fd) gives the command: status_fd is None for a plain
    process; for a sandboxed one it is a pipe the launcher inside writes its
    child's real exit status to ("exit N" / "signal N"), and the process that
    SIGINT must reach is the launcher's child, found through /proc."""

    def __init__(self, make_argv, env, confined=False):
        self.make_argv = make_argv
        self.env = env
        self.confined = confined
        self.proc = None
        self.fd = -1
        self.pending = b""
        self._status = -1
        self._mp_pid = None

    def start(self):
        master, slave = os.openpty()
        tty.setraw(slave)
        pass_fds = ()
        w = None
        if self.confined:
            self._status, w = os.pipe()
            pass_fds = (w,)
        try:
            self.proc = subprocess.Popen(
                self.make_argv(w), stdin=slave, stdout=slave, stderr=slave,
                env=self.env, start_new_session=True, close_fds=True, pass_fds=pass_fds)
        finally:
            os.close(slave)
            if w is not None:
                os.close(w)
        os.set_blocking(master, False)
        self.fd = master
        self.pending = b""
        self._mp_pid = None if self.confined else self.proc.pid

    # Bytes from the child, b"" if none now, None once it has gone.
    def read(self):
        try:
            data = os.read(self.fd, 65536)
        except BlockingIOError:
            return b""
        except OSError:
            return None
        return data if data else None

    # Queue bytes for the child; flush() writes what its tty accepts.
    def write(self, data):
        self.pending += data
        self.flush()

    def flush(self):
        while self.pending:
            try:
                n = os.write(self.fd, self.pending)
            except (BlockingIOError, OSError):
                return
            self.pending = self.pending[n:]

    # SIGINT if the child catches it now (it is running code); False if not yet.
    # Checking SigCgt then sending would race: the code can end and set SIGINT
    # back to the default in between, and the signal would kill the child. So
    # the child is stopped (SIGSTOP cannot be caught) while we look: what we
    # read is the disposition the SIGINT meets when SIGCONT lets it run.
    def interrupt(self):
        if self.proc is None or self.proc.poll() is not None:
            return True
        pid = self._micropython_pid()
        if pid is None:
            return False
        try:
            os.kill(pid, signal.SIGSTOP)
        except OSError:
            return True
        try:
            stopped = _wait_stopped(pid)
            if stopped is None:
                return True  # gone
            if stopped and _catches_sigint(pid):
                os.kill(pid, signal.SIGINT)
                return True
            return False
        except OSError:
            return True
        finally:
            try:
                os.kill(pid, signal.SIGCONT)
            except OSError:
                pass

    # Confined: bwrap -> launcher (pid 1 in the sandbox) -> MicroPython, by host pid.
    def _micropython_pid(self):
        if self._mp_pid is None:
            pid = self.proc.pid
            for _ in range(2):
                try:
                    with open("/proc/%d/task/%d/children" % (pid, pid)) as f:
                        kids = f.read().split()
                except OSError:
                    return None
                if not kids:
                    return None
                pid = int(kids[0])
            self._mp_pid = pid
        return self._mp_pid

    # Reap the process and close its pty; returns its exit status.
    def close(self, timeout=2.0):
        code = None
        if self.proc is not None:
            try:
                code = self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                code = self.proc.wait()
        if self.fd >= 0:
            os.close(self.fd)
            self.fd = -1
        if self._status >= 0:
            code = self._real_status(code)
        return code

    # The launcher's report; without one (it was killed, or bwrap failed) bwrap's 128+N.
    def _real_status(self, code):
        try:
            os.set_blocking(self._status, False)
            report = os.read(self._status, 64).split()
        except OSError:
            report = []
        os.close(self._status)
        self._status = -1
        if len(report) == 2 and report[1].isdigit():
            n = int(report[1])
            return -n if report[0] == b"signal" else n
        if code is not None and 128 < code < 128 + 65:
            return 128 - code
        return code

    def kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
        return self.close()


# Wait (briefly) for a SIGSTOP to take: True once stopped, False if it has not
# yet (then nothing is sent, and the relay asks again), None if pid has gone.
def _wait_stopped(pid, tries=200):
    for i in range(tries):
        try:
            with open("/proc/%d/stat" % pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return None
        if state in ("T", "t"):
            return True
        if state in ("Z", "X"):
            return None
        time.sleep(0.0002 if i < 50 else 0.002)
    return False


def _catches_sigint(pid):
    with open("/proc/%d/status" % pid) as f:
        caught = [line for line in f if line.startswith("SigCgt:")]
    return bool(caught) and bool(int(caught[0].split()[1], 16) & (1 << (signal.SIGINT - 1)))


# How a child exit status reads to a person.
def describe_exit(code):
    if code is None:
        return "vanished"
    if code < 0:
        try:
            return "killed by " + signal.Signals(-code).name
        except ValueError:
            return "killed by signal %d" % -code
    return "exited with code %d" % code
