# A pure-Python pollable byte pipe for stream tests on every interpreter
# (WebAssembly has no sockets): non-blocking like a socket (read returns
# None when empty, b"" at EOF), readable while it holds bytes, always
# writable (it keeps what was written in tx); it counts the read calls a
# Stream makes on it.
import io


class Wire(io.IOBase):
    def __init__(self, rx=b""):
        self.rx = rx
        self.eof = False
        self.reads = 0  # read()/readinto() calls
        self.tx = b""  # what was written

    def feed(self, b):
        self.rx += b

    def ioctl(self, req, flags):
        if req == 3:  # MP_STREAM_POLL
            return (1 & flags if self.rx or self.eof else 0) | (4 & flags)
        return -22

    def read(self, n=-1):
        self.reads += 1
        if not self.rx:
            return b"" if self.eof else None
        k = len(self.rx) if n < 0 else n
        b = self.rx[:k]
        self.rx = self.rx[k:]
        return b

    def readinto(self, buf):
        b = self.read(len(buf))
        if b is None:
            return None
        buf[:len(b)] = b
        return len(b)

    def write(self, buf):
        self.tx += bytes(buf)
        return len(buf)

    def close(self):
        pass
