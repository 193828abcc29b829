# Test devices for the Io tests: a pure-Python pollable "UART" with a sensor
# behind it (runs on CPython and MicroPython alike), and the SKIP guard for
# interpreters without a fiber backend.
import io
import sys


def need_fibers():
    # No fiber backend (MicroPython firmware without _zsync_fiber): SKIP.
    from zsync_mp.io import fiber as _fiber

    if _fiber.backend() is None:
        print("SKIP")
        sys.exit(0)


class SensorUart(io.IOBase):
    # Answers b"M\r" with a 4-byte reading and b"L\r" with a line. Reads hand
    # out at most 2 bytes and writes take at most 3, so Io loops are exercised.
    # Readable while it has bytes to send; always writable (ioctl(3) poll).
    def __init__(self, log, reading=b"2301"):
        self.log = log
        self.rx = b""
        self.cmd = b""
        self.reading = reading
        self.eof = False

    def ioctl(self, req, flags):
        if req == 3:  # MP_STREAM_POLL
            r = 4 & flags
            if self.rx or self.eof:
                r |= 1 & flags
            return r
        return -22

    def write(self, buf):
        b = bytes(buf[:3])
        self.log.append("uart <- %r" % b)
        self.cmd += b
        while b"\r" in self.cmd:
            i = self.cmd.index(b"\r")
            c = self.cmd[:i]
            self.cmd = self.cmd[i + 1:]
            if c == b"M":
                self.rx += self.reading
            elif c == b"L":
                self.rx += b"line one\nline two\n"
            elif c == b"Q":
                self.rx += b"ab"
                self.eof = True
        return len(b)

    def read(self, n=-1):
        if not self.rx:
            return b"" if self.eof else None
        k = 2 if n < 0 or n > 2 else n
        b = self.rx[:k]
        self.rx = self.rx[k:]
        self.log.append("uart -> %r" % b)
        return b

    def readline(self):
        if not self.rx:
            return b"" if self.eof else None
        i = self.rx.find(b"\n")
        k = len(self.rx) if i < 0 else i + 1
        b = self.rx[:k]
        self.rx = self.rx[k:]
        self.log.append("uart -> line %r" % b)
        return b

    def close(self):
        pass
