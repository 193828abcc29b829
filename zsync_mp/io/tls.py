# zsync_mp.io.tls: TLS for streams, with the port's own ssl module.
#
# Contract
# - The port's `ssl` module (or `tls`, the name newer MicroPython firmware
#   may have alone) does the TLS; a port with neither gets an ImportError
#   naming them when ssl= is used, and nothing is imported before.
# - wrap() returns a non-blocking stream object for Stream: MicroPython's
#   SSLSocket already is one (read/write return None when they would block,
#   and poll() sees decrypted bytes it holds); CPython's SSLSocket is
#   wrapped in _TlsSock, whose pending() makes Stream read held bytes
#   without waiting for the socket, and whose handshake is driven by
#   handshake() (MicroPython's runs inside read/write).
from .stream import _Sock, wait_readable, wait_writable


def module():
    for name in ("ssl", "tls"):
        try:
            return __import__(name)
        except ImportError:
            pass
    raise ImportError("ssl= needs the port's ssl (or tls) module, which this interpreter lacks")


def client_context(ssl):
    # ssl=True: the port's default client context (certificates checked).
    if ssl is True:
        m = module()
        if hasattr(m, "create_default_context"):
            return m.create_default_context()
        return m.SSLContext(m.PROTOCOL_TLS_CLIENT)
    if not hasattr(ssl, "wrap_socket"):
        raise TypeError("open_connection's ssl= needs True or an SSLContext, got %r" % (ssl,))
    return ssl


def wrap(ctx, sock, server_side, hostname):
    if server_side:
        w = ctx.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
    else:
        w = ctx.wrap_socket(sock, server_hostname=hostname, do_handshake_on_connect=False)
    if hasattr(w, "pending") and hasattr(w, "do_handshake"):
        return _TlsSock(w)
    w.setblocking(False)
    return w


class _TlsSock(_Sock):
    # CPython's SSLSocket with MicroPython's stream methods: want-read and
    # want-write mean "would block" (None).
    def __init__(self, s):
        import ssl

        _Sock.__init__(self, s)
        self.blocked = (ssl.SSLWantReadError, ssl.SSLWantWriteError, BlockingIOError)
        self.want_read = ssl.SSLWantReadError

    def pending(self):
        return self.s.pending()

    def read(self, n=-1):
        try:
            return self.s.recv(n if n > 0 else 4096)
        except self.blocked:
            return None

    def readinto(self, buf):
        try:
            return self.s.recv_into(buf)
        except self.blocked:
            return None

    def write(self, buf):
        try:
            return self.s.send(buf)
        except self.blocked:
            return None

    def handshake(self):
        # None: done; False: wait readable; True: wait writable.
        try:
            self.s.do_handshake()
        except self.want_read:
            return False
        except self.blocked:
            return True
        return None


async def handshake(s):
    step = getattr(s, "handshake", None)
    if step is None:  # MicroPython: the handshake runs inside read/write
        return
    while True:
        w = step()
        if w is None:
            return
        if w:
            await wait_writable(s)
        else:
            await wait_readable(s)
