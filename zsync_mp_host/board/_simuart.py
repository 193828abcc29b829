# _simuart: machine.UART on the simulated board.
#
# Contract
# - A UART's state lives in the board (one _UartHw per id); UART objects are
#   handles. The board description links UARTs: "uarts": {"1": {"peer": 2}}
#   (a crossed pair, both directions) or {"1": {"peer": "loopback"}};
#   unlinked, what is written is paced out and logged, and nothing arrives.
# - Bytes are paced by the sender's framing: one char takes
#   (1 + bits + parity + stop) / baudrate seconds; byte k of a burst arrives
#   at the receiver at the end of its char time. Both ends must use the same
#   baudrate, or the bytes are lost (logged as framing errors).
# - write() queues what fits in a txbuf-sized FIFO (bytes still on the wire
#   count), waiting up to `timeout` ms for room, and returns the count queued
#   (None if nothing fit: the stream convention, so zs.Stream's drain()
#   waits for POLLOUT and writes the rest). read()/readline() wait up to
#   `timeout` ms for the first byte and `timeout_char` ms between bytes
#   (0: return at once), and return None if nothing came. An overflowing rx
#   buffer drops bytes (counted in `dropped`, logged once).
# - Pollable: ioctl(MP_STREAM_POLL=3, mask) gives POLLIN when bytes wait and
#   POLLOUT when the tx FIFO has room, so select.poll on MicroPython and
#   zsync_mp's poller wait on it without busy loops.
# - Nothing here is IRQ-safe.
import io

from _simhw import BoardError

_POLLIN = 1
_POLLOUT = 4


class _Line:
    # One direction of a link: bytes in flight towards `dest` (a _UartHw).
    world = False
    _seq = 0

    def __init__(self, board, src, dest):
        self.board = board
        self.src = src  # the sending _UartHw, None for the outside world
        self.dest = dest
        self.times = []
        self.data = bytearray()
        self.end = 0  # when the line is free (µs)

    def send(self, data, baud, bits):
        b = self.board
        t = b.us if self.end < b.us else self.end
        for i in range(len(data)):
            self.times.append(t + ((i + 1) * bits * 1000000 + baud - 1) // baud)
        self.data.extend(data)
        self.end = self.times[-1]
        if self._seq == 0:
            b.schedule(self, self.times[0])

    def _due(self, t):
        n = 0
        while n < len(self.times) and self.times[n] <= t:
            n += 1
        chunk = bytes(self.data[:n])
        del self.times[:n]
        self.data = self.data[n:]  # MicroPython's bytearray has no slice del
        if self.dest is not None:
            self.dest.arrive(chunk, self.src)
        if self.times:
            self.board.schedule(self, self.times[0])

    def power_off(self):
        self.board.cancel(self)
        self.times = []
        self.data = bytearray()
        self.end = 0


class _UartHw:
    def __init__(self, board, uid):
        self.board = board
        self.id = uid
        self.peer = None  # the _UartHw our tx reaches (self for loopback)
        self.line = _Line(board, self, None)
        self.ext = _Line(board, None, self)  # scripted input from outside
        self.ext.world = True
        self.power_off()

    def power_off(self):
        self.on = False
        self.baud = 9600
        self.bits = 10
        self.rx = bytearray()
        self.rxbuf = 256
        self.txbuf = 256
        self.timeout = 0
        self.timeout_char = 0
        self.dropped = 0  # bytes lost to rx overflow
        self.garbled = 0  # bytes lost to framing errors
        self.line.power_off()

    def arrive(self, chunk, src):
        b = self.board
        if not self.on:
            return
        if src is not None and (src.baud != self.baud or src.bits != self.bits):
            if not self.garbled:
                b.note("UART%s: framing errors, bytes lost (sender %d baud, receiver %d)" % (self.id, src.baud, self.baud))
            self.garbled += len(chunk)
            return
        room = self.rxbuf - len(self.rx)
        if len(chunk) > room:
            if not self.dropped:
                b.note("UART%s: rx overflow (rxbuf %d), bytes dropped" % (self.id, self.rxbuf))
            self.dropped += len(chunk) - room
            chunk = chunk[:room]
        self.rx.extend(chunk)


def uart_hw(board, uid, where=None):
    # The _UartHw for id `uid` (an int, or a string of one in board files).
    if isinstance(uid, str) and uid.isdigit():
        uid = int(uid)
    if not isinstance(uid, int) or isinstance(uid, bool) or not 0 <= uid < 16:
        msg = "invalid UART id %r: use 0..15" % (uid,)
        if where is not None:
            raise BoardError("%s: %s" % (where, msg))
        raise ValueError(msg)
    hw = board.uart_links.get(uid)
    if hw is None:
        hw = board.uart_links[uid] = _UartHw(board, uid)
    return hw


def load_links(board, spec):
    if not isinstance(spec, dict):
        raise BoardError("uarts must be an object: {\"1\": {\"peer\": 2 | \"loopback\"}}")
    for k, v in spec.items():
        a = uart_hw(board, k, "uarts")
        peer = v.get("peer") if isinstance(v, dict) else None
        if peer == "loopback":
            b = a
        elif peer is None:
            raise BoardError("uarts[%r] needs \"peer\": another UART id or \"loopback\"" % (k,))
        else:
            b = uart_hw(board, peer, "uarts[%r].peer" % (k,))
        a.peer = b
        b.peer = a
        a.line.dest = b
        b.line.dest = a


# A scripted uart_inputs entry: the outside world sends data at the UART's baudrate.
def inject(hw, data):
    hw.ext.send(data, hw.baud, hw.bits)


class UART(io.IOBase):
    board = None  # set by machine

    def __init__(self, id, baudrate=9600, bits=8, parity=None, stop=1, **kw):
        self._hw = uart_hw(UART.board, id)
        self.init(baudrate, bits, parity, stop, **kw)

    def __repr__(self):
        hw = self._hw
        return "UART(%s, baudrate=%d)" % (hw.id, hw.baud)

    def init(self, baudrate=9600, bits=8, parity=None, stop=1, *, tx=None, rx=None, rts=None, cts=None, txbuf=256, rxbuf=256, timeout=0, timeout_char=0, invert=0, flow=0):
        if not isinstance(baudrate, int) or isinstance(baudrate, bool) or not 50 <= baudrate <= 5000000:
            raise ValueError("invalid UART baudrate %r: use an int from 50 to 5000000" % (baudrate,))
        if bits not in (5, 6, 7, 8, 9):
            raise ValueError("invalid UART bits %r: use 5..9" % (bits,))
        if parity not in (None, 0, 1):
            raise ValueError("invalid UART parity %r: use None, 0 (even) or 1 (odd)" % (parity,))
        if stop not in (1, 2):
            raise ValueError("invalid UART stop %r: use 1 or 2" % (stop,))
        for name, v in (("txbuf", txbuf), ("rxbuf", rxbuf), ("timeout", timeout), ("timeout_char", timeout_char)):
            if not isinstance(v, int) or v < 0:
                raise ValueError("invalid UART %s %r: use an int >= 0" % (name, v))
        b = UART.board
        b.sync()
        hw = self._hw
        hw.baud = baudrate
        hw.bits = 1 + bits + (0 if parity is None else 1) + stop
        hw.txbuf = txbuf if txbuf > 0 else 1
        hw.rxbuf = rxbuf if rxbuf > 0 else 1
        hw.timeout = timeout
        hw.timeout_char = timeout_char
        hw.dropped = hw.garbled = 0
        if not hw.on:
            hw.on = True
            b._periph.append(hw)

    def deinit(self):
        UART.board.sync()
        self._hw.power_off()

    def _live(self):
        hw = self._hw
        if not hw.on:
            raise OSError("UART%s is not initialised (deinit() or a reset)" % hw.id)
        UART.board.sync()
        return hw

    def any(self):
        return len(self._live().rx)

    # Wait (advancing board time) until `want` bytes or a newline are there.
    def _wait(self, want, line):
        hw = self._live()
        b = UART.board
        if not hw.rx and hw.timeout:
            b.block_until(b.us + hw.timeout * 1000, lambda: len(hw.rx) > 0)
        while hw.rx and hw.timeout_char and (want is None or len(hw.rx) < want):
            if line and b"\n" in hw.rx:
                break
            n = len(hw.rx)
            if not b.block_until(b.us + hw.timeout_char * 1000, lambda: len(hw.rx) > n):
                break
        return hw

    def read(self, nbytes=None):
        hw = self._wait(nbytes, False)
        n = len(hw.rx) if nbytes is None else min(nbytes, len(hw.rx))
        if n == 0:
            return None
        out = bytes(hw.rx[:n])
        hw.rx = hw.rx[n:]
        return out

    def readinto(self, buf, nbytes=None):
        want = len(buf) if nbytes is None else min(nbytes, len(buf))
        data = self.read(want)
        if data is None:
            return None
        buf[: len(data)] = data
        return len(data)

    def readline(self):
        hw = self._wait(None, True)
        i = hw.rx.find(b"\n")
        n = len(hw.rx) if i < 0 else i + 1
        if n == 0:
            return None
        out = bytes(hw.rx[:n])
        hw.rx = hw.rx[n:]
        return out

    def write(self, buf):
        if isinstance(buf, str):
            buf = buf.encode()
        if not isinstance(buf, (bytes, bytearray, memoryview)):
            raise TypeError("UART.write needs bytes, bytearray or str, got %r" % (type(buf).__name__,))
        hw = self._live()
        b = UART.board
        data = bytes(buf)
        if hw.peer is None:
            b.note("UART%s tx %r" % (hw.id, data))
        line = hw.line
        until = b.us + hw.timeout * 1000
        i = 0
        while i < len(data):
            room = hw.txbuf - len(line.data)
            if room <= 0:
                if b.us >= until:
                    break
                t = line.times[0]
                b.block_until(t if t < until else until, None)
                continue
            chunk = data[i : i + room]
            line.send(chunk, hw.baud, hw.bits)
            i += len(chunk)
        if i < len(data):
            b.note("UART%s tx FIFO full: wrote %d of %d bytes" % (hw.id, i, len(data)))
        return i if i or not data else None

    # CPython's IOBase.__del__ calls close(): a handle going away must not deinit the UART.
    def close(self):
        pass

    def flush(self):
        hw = self._live()
        if hw.line.times:
            UART.board.block_until(hw.line.end, None)

    def txdone(self):
        return not self._live().line.times

    def sendbreak(self):
        UART.board.note("UART%s break" % self._live().id)

    def ioctl(self, req, arg):
        if req == 3:  # MP_STREAM_POLL
            hw = self._live()
            m = 0
            if hw.rx:
                m |= _POLLIN
            if len(hw.line.data) < hw.txbuf:
                m |= _POLLOUT
            return m & arg
        if req == 1:  # MP_STREAM_FLUSH
            self.flush()
            return 0
        if req == 4:  # MP_STREAM_CLOSE
            self.deinit()
            return 0
        return -22  # EINVAL
