"""The device under test: MicroPython's raw REPL over a serial port.

One Dut talks to one board (a real one over pyserial, a virtual board's pty,
QEMU's `-serial pty`). It speaks the raw REPL itself, not through mpremote,
so every wait has a deadline and every failure can show what the board said
last:

    exec(code)         run code, return its stdout; raise on an exception
    run(script)        run a scenario (a path or source); it must print one
                       `Test OK` line as its last line; returns the rest
    start(code)        begin running code and return at once; then
    expect(regex)      wait for output matching regex (consumed up to it)
    expect_exact(s)    the same for a plain string
    wait_done()        wait for the running code to finish; its stdout tail
    write(data)        raw bytes/str to the board
    reset()            clean soft reset back to the raw REPL prompt

Failures are DutError subclasses whose message ends with the board's last
output: DutTimeout (nothing matched in time; the board got Ctrl-C),
DutReset (the board rebooted under the test), DutVanished (the serial port
went away), ScenarioFailed (no `Test OK`, or an exception on the board).
Deliberately not done: friendly-REPL interaction (tests use raw mode only).
"""
import os
import re
import time

import serial

RAW_BANNER = b"raw REPL; CTRL-B to exit\r\n>"
TEST_OK = "Test OK"
TAIL = 2000  # bytes of board output kept for error messages
# Signs that the board rebooted underneath a running exec (soft reboot, the
# virtual board's reset report, an ESP32 ROM boot line, a fresh banner).
# The simulated machine prints `machine: reset (CAUSE)` before it resets.
RESET_SIGNS = re.compile(rb"soft reboot|vboard: [^\r\n]*board reset|machine: reset \(|rst:0x|MicroPython [^\r\n]+ on \d{4}-\d\d-\d\d; ")


class DutError(Exception):
    """A failure talking to the board; the message ends with its last output."""


class DutTimeout(DutError):
    pass


class DutReset(DutError):
    pass


class DutVanished(DutError):
    pass


class ScenarioFailed(DutError):
    pass


# Board bytes as readable text: \r\n -> \n, other control bytes escaped.
def show(data):
    text = data.decode("utf-8", "replace").replace("\r\n", "\n")
    return "".join(c if c in "\n\t" or " " <= c else "\\x%02x" % ord(c) for c in text)


class Dut:
    """A raw-REPL connection to one board; see the module docstring."""

    def __init__(self, port, baudrate=115200, name=None):
        self.port = port
        self.name = name or port
        self.rx = bytearray()  # received and not yet consumed
        self.tail = bytearray()  # everything received lately, for messages
        self.running = False
        try:
            self.ser = serial.serial_for_url(port, baudrate=baudrate, timeout=0.05,
                                             exclusive=not port.startswith("/dev/pts/"))
        except (serial.SerialException, OSError) as e:
            raise DutVanished("cannot open serial port %s: %s" % (port, e))

    def close(self):
        try:
            self.ser.close()
        except (serial.SerialException, OSError):
            pass

    # The tail without the raw REPL's framing (\x04 between stdout and stderr).
    def last_output(self):
        return show(bytes(self.tail[-TAIL:]).replace(b"\x04>", b"").replace(b"\x04", b"\n")).strip("\n")

    def _fail(self, cls, msg):
        raise cls("%s (board %s)\n--- board's last output ---\n%s\n---" % (msg, self.name, self.last_output()))

    def write(self, data):
        """Send raw bytes (or str, UTF-8) to the board."""
        if isinstance(data, str):
            data = data.encode()
        try:
            self.ser.write(data)
            self.ser.flush()
        except (serial.SerialException, OSError) as e:
            self._fail(DutVanished, "serial port %s vanished while writing: %s" % (self.port, e))

    # Read what has arrived (waiting at most `wait` s for the first byte).
    def _pump(self, wait):
        try:
            t = 0.05 if wait >= 0.05 else 0.01  # pyserial reconfigures the tty on every change
            if self.ser.timeout != t:
                self.ser.timeout = t
            data = self.ser.read(max(1, self.ser.in_waiting))
        except (serial.SerialException, OSError, TypeError) as e:
            self._fail(DutVanished, "serial port %s vanished: %s" % (self.port, e))
        if data:
            self.rx += data
            self.tail += data
            if len(self.tail) > 4 * TAIL:
                del self.tail[:-TAIL]
        return data

    # Wait until rx matches; returns the match (rx not consumed). check_reset
    # fails fast when the board reboots instead.
    def _wait(self, pattern, timeout, what, check_reset=False):
        end = time.monotonic() + timeout
        pos = 0
        while True:
            m = pattern.search(bytes(self.rx))  # a copy: the match outlives _consume
            if m:
                return m
            if check_reset:
                r = RESET_SIGNS.search(self.rx, pos)
                if r:
                    self._grace(0.3)
                    self.running = False
                    self._fail(DutReset, "board reset while waiting for %s" % what)
                pos = max(0, len(self.rx) - 80)
            left = end - time.monotonic()
            if left <= 0:
                self._fail(DutTimeout, "timed out after %.1f s waiting for %s" % (timeout, what))
            self._pump(left)

    # Collect a little more output so the message shows the whole reset.
    def _grace(self, seconds):
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._pump(end - time.monotonic())

    def _consume(self, n):
        data = bytes(self.rx[:n])
        del self.rx[:n]
        return data

    def _drain(self, seconds=0.1):
        self._grace(seconds)
        self.rx = bytearray()

    def raw_mode(self, timeout=5):
        """Interrupt whatever runs and enter the raw REPL."""
        self.write(b"\r\x03\x03")
        self._drain(0.2)
        for attempt in range(3):
            self.write(b"\r\x01")
            try:
                m = self._wait(re.compile(re.escape(RAW_BANNER)), timeout / 3, "the raw REPL prompt")
            except DutTimeout:
                self.write(b"\r\x03\x03")
                continue
            self._consume(m.end())
            self.running = False
            return
        self._fail(DutTimeout, "board did not enter the raw REPL within %.0f s" % timeout)

    def reset(self, timeout=15):
        """Soft reset: interrupt, raw REPL, Ctrl-D, wait for the fresh raw prompt."""
        self.raw_mode(timeout=min(timeout, 6))
        self.write(b"\x04")
        m = self._wait(re.compile(rb"soft reboot\r\n"), timeout, "'soft reboot' after Ctrl-D")
        self._consume(m.end())
        m = self._wait(re.compile(re.escape(RAW_BANNER)), timeout, "the raw REPL prompt after the soft reboot")
        self._consume(m.end())

    def start(self, code, timeout=10):
        """Send code to the raw REPL and return once the board has accepted it."""
        if self.running:
            raise DutError("start(): the previous code is still running; call wait_done() first")
        if isinstance(code, str):
            code = code.encode()
        self.rx = bytearray()
        self.write(b"\x05A\x01")
        m = self._wait(re.compile(rb"R[\x00\x01]|raw REPL; CTRL-B to exit\r\n>"), timeout, "the raw-paste answer")
        if m.group(0) == b"R\x01":
            self._consume(m.end())
            self._paste(code, timeout)
        else:
            self._consume(m.end())
            for i in range(0, len(code), 256):
                self.write(code[i:i + 256])
                time.sleep(0.01)
            self.write(b"\x04")
            m = self._wait(re.compile(rb"OK"), timeout, "OK after sending the code")
            self._consume(m.end())
        self.running = True
        self.tail = bytearray(self.rx)  # from here on, the last output is this code's

    # Raw-paste with the board's flow control: \x01 grants one more window.
    def _paste(self, code, timeout):
        while len(self.rx) < 2:
            self._wait(re.compile(rb"[\s\S]{2}"), timeout, "the raw-paste window size")
        window = self.rx[0] | self.rx[1] << 8
        self._consume(2)
        remain = window
        i = 0
        while i < len(code):
            while remain == 0 or self.rx:
                if not self.rx:
                    self._wait(re.compile(rb"[\s\S]"), timeout, "raw-paste flow control")
                c = self._consume(1)
                if c == b"\x01":
                    remain += window
                elif c == b"\x04":
                    self.write(b"\x04")
                    self._fail(ScenarioFailed, "board aborted the raw-paste transfer")
                else:
                    self._fail(DutError, "unexpected %r during raw-paste" % c)
            chunk = code[i:i + remain]
            self.write(chunk)
            remain -= len(chunk)
            i += len(chunk)
        self.write(b"\x04")
        m = self._wait(re.compile(rb"\x04"), timeout, "the end-of-paste acknowledgement")
        self._consume(m.end())

    def expect(self, regex, timeout=10):
        """Wait for board output matching regex (str or bytes); consume up to
        its end and return the match (on the raw bytes)."""
        pat = regex if hasattr(regex, "search") else re.compile(regex.encode() if isinstance(regex, str) else regex)
        if isinstance(pat.pattern, str):
            pat = re.compile(pat.pattern.encode(), pat.flags & ~re.UNICODE)
        m = self._wait(pat, timeout, "output matching %r" % pat.pattern.decode(), check_reset=self.running)
        self._consume(m.end())
        return m

    def expect_exact(self, text, timeout=10):
        """Wait for text to appear in the board output; consume up to it."""
        data = text.encode() if isinstance(text, str) else text
        return self.expect(re.compile(re.escape(data)), timeout)

    def wait_done(self, timeout=30):
        """Wait for the running code to end: returns (stdout, stderr) text.
        On timeout the board gets Ctrl-C and DutTimeout is raised; a board
        that reset under the code raises DutReset."""
        try:
            m = self._wait(re.compile(rb"\x04([\s\S]*?)\x04>"), timeout, "the code to finish", check_reset=True)
        except DutTimeout as e:
            self._interrupt()
            raise DutTimeout(str(e).replace("waiting for the code to finish",
                                            "waiting for the code to finish (hung? sent Ctrl-C)", 1))
        out = self._consume(m.start())
        err = m.group(1)
        self._consume(m.end() - m.start())
        self.running = False
        if RESET_SIGNS.search(out) or RESET_SIGNS.search(err):
            self._grace(0.3)
            self._fail(DutReset, "board reset while running code: %s" % show(err or out).strip().split("\n")[-1])
        return show(out), show(err)

    # Ctrl-C a hung exec and wait briefly for the prompt; the next reset cleans up.
    def _interrupt(self):
        self.running = False
        try:
            self.write(b"\x03")
            self._wait(re.compile(rb"\x04>"), 3, "the prompt after Ctrl-C")
        except DutError:
            pass

    def exec(self, code, timeout=30):
        """Run code; return its stdout. An exception on the board raises
        ScenarioFailed with the board's traceback."""
        self.start(code, timeout=min(timeout, 10))
        out, err = self.wait_done(timeout)
        if err:
            self._fail(ScenarioFailed, "exception on the board:\n%s" % err.rstrip())
        return out

    def run(self, script, params=None, timeout=60, trailer=None):
        """Run a scenario (a file path or source text). `params` becomes the
        global PARAMS; `trailer` is appended (e.g. print('Test OK')). The
        output's last line must be `Test OK`, exactly once; returns the
        output before it."""
        if "\n" not in script and os.path.exists(script):
            with open(script) as f:
                source = f.read()
            name = os.path.basename(script)
        else:
            source, name = script, "<scenario>"
        head = "PARAMS = %r\n" % (params,) if params is not None else ""
        tail = "\n" + trailer + "\n" if trailer else ""
        out = self.exec(head + source + tail, timeout=timeout)
        lines = out.rstrip("\n").split("\n")
        oks = [line for line in lines if line.strip() == TEST_OK]
        if lines[-1:] != [TEST_OK] or len(oks) != 1:
            self._fail(ScenarioFailed, "scenario %s did not end with one '%s' line (%d found, last line %r)"
                       % (name, TEST_OK, len(oks), lines[-1] if lines else ""))
        return "\n".join(lines[:-1]) + ("\n" if len(lines) > 1 else "")
