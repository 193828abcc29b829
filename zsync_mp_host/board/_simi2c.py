# _simi2c: machine.I2C and machine.SoftI2C on the simulated board.
#
# Contract
# - The board file's "i2c" entry wires devices to buses:
#   {"0": {"scl": PIN, "sda": PIN, "devices": {"0x48": DEVICE}}}. I2C(id)
#   (0 or 1, as on ESP32) is bus id; SoftI2C(scl, sda) is the bus wired to
#   those pins. A bus the board file does not list has no devices.
# - A DEVICE is a register file with a pointer that auto-increments, as
#   sensors and EEPROMs are: "regs" {"REG": [bytes from REG on]} gives its
#   power-on contents (0 elsewhere); "curves" {"REG": {"bytes": 1..4,
#   "points": [[t_ms, value], ...]}} makes REG.. a big-endian reading that
#   follows a piecewise-linear curve in board time; "addrsize" (8 or 16) is
#   its register address width; "nack" [{"at_ms", "for_ms"}] are windows in
#   which it does not answer. "commands" {"CMD": [bytes]} is for devices that
#   answer commands instead (HTU21D, SHT3x): writing CMD as the first byte
#   makes the next reads return those bytes from the start (0 past the end).
# - writeto sets the pointer from the first 1 or 2 bytes and writes the
#   rest; readfrom reads from the pointer; the *_mem calls set it first.
#   A device that does not answer raises OSError(ENODEV), as ESP32's driver
#   does; scan() lists the ones that answer now. Transfers take no board time.
# - Misuse (an address outside 0..127, a negative count, a bad addrsize)
#   raises ValueError naming it.
from _simhw import BoardError
from _simboard import curve_at, curve_points, windows
from _simperiph import _int

ENODEV = 19


def _reg(k, where):
    try:
        return int(k, 0) if isinstance(k, str) else int(k)
    except ValueError:
        raise BoardError("%s: %r is not a register address (\"0x10\" or \"16\")" % (where, k))


class _Device:
    def __init__(self, board, where, spec):
        if not isinstance(spec, dict):
            raise BoardError("%s must be an object" % where)
        for k in spec:
            if k not in ("regs", "curves", "addrsize", "nack", "commands"):
                raise BoardError("%s: unknown key %r (known: regs, curves, addrsize, nack, commands)" % (where, k))
        self.board = board
        self.addrsize = spec.get("addrsize", 8)
        if self.addrsize not in (8, 16):
            raise BoardError("%s.addrsize must be 8 or 16, got %r" % (where, self.addrsize))
        self.mem = {}
        for k, v in spec.get("regs", {}).items():
            for i, x in enumerate(_bytes(v, "%s.regs[%r]" % (where, k))):
                self.mem[_reg(k, where + ".regs") + i] = x
        self.commands = {}
        for k, v in spec.get("commands", {}).items():
            c = _reg(k, where + ".commands")
            if not 0 <= c <= 255:
                raise BoardError("%s.commands: %r must be one byte 0..255" % (where, k))
            self.commands[c] = _bytes(v, "%s.commands[%r]" % (where, k))
        self.answer = None  # [bytes, position] after a command
        self.curves = []
        for k, v in spec.get("curves", {}).items():
            w = "%s.curves[%r]" % (where, k)
            pts = curve_points(v, w, "value")
            n = v.get("bytes", 2)
            if n not in (1, 2, 3, 4):
                raise BoardError("%s.bytes must be 1..4, got %r" % (w, n))
            self.curves.append((_reg(k, w), n, pts))
        self.nack = [(at * 1000, (at + n) * 1000) for at, n in windows(spec.get("nack", []), where + ".nack")]
        self.ptr = 0  # an MCU reset leaves the device as it is

    def answers(self):
        t = self.board.us
        return not any(a <= t < b for a, b in self.nack)

    def _curve_byte(self, r):
        for base, n, pts in self.curves:
            if base <= r < base + n:
                v = curve_at(pts, self.board.us / 1000)
                x = int(v + 0.5 if v >= 0 else v - 0.5) & ((1 << (8 * n)) - 1)
                return (x >> (8 * (base + n - 1 - r))) & 0xFF
        return None

    def read(self, n):
        out = bytearray(n)
        a = self.answer
        if a is not None:  # a command's answer, then zeros
            part = a[0][a[1]:a[1] + n]
            out[:len(part)] = part
            a[1] += n
            return out
        for i in range(n):
            r = (self.ptr + i) & 0xFFFF
            c = self._curve_byte(r)
            out[i] = self.mem.get(r, 0) if c is None else c
        self.ptr = (self.ptr + n) & 0xFFFF
        return out

    def write(self, data, set_ptr):
        data = bytes(data)
        self.answer = None
        if set_ptr and data and data[0] in self.commands:
            self.answer = [self.commands[data[0]], 0]
            return
        if set_ptr:
            k = self.addrsize // 8
            if len(data) >= k:
                self.ptr = int.from_bytes(data[:k], "big")
                data = data[k:]
        for i, x in enumerate(data):
            self.mem[(self.ptr + i) & 0xFFFF] = x
        self.ptr = (self.ptr + len(data)) & 0xFFFF


def _bytes(v, where):
    if not isinstance(v, list) or not all(isinstance(x, int) and not isinstance(x, bool) and 0 <= x <= 255 for x in v):
        raise BoardError("%s must be a list of bytes 0..255" % where)
    return bytes(v)


def load_buses(board, spec):
    """The board file's "i2c" entry: {bus id: (scl, sda, {addr: _Device})}."""
    if spec is None:
        return {}
    if not isinstance(spec, dict):
        raise BoardError("i2c must be an object: {\"0\": {\"scl\": PIN, \"sda\": PIN, \"devices\": {...}}}")
    buses = {}
    for bid, bus in spec.items():
        w = "i2c[%r]" % (bid,)
        if not isinstance(bus, dict):
            raise BoardError("%s must be an object" % w)
        for k in bus:
            if k not in ("scl", "sda", "devices"):
                raise BoardError("%s: unknown key %r (known: scl, sda, devices)" % (w, k))
        scl = board.pin_hw(bus["scl"], w + ".scl").num if "scl" in bus else None
        sda = board.pin_hw(bus["sda"], w + ".sda").num if "sda" in bus else None
        devs = {}
        for a, d in bus.get("devices", {}).items():
            addr = _reg(a, w + ".devices")
            if not 0 <= addr <= 127:
                raise BoardError("%s.devices: address %r must be 0..127" % (w, a))
            devs[addr] = _Device(board, "%s.devices[%r]" % (w, a), d)
        buses[bid] = (scl, sda, devs)
    return buses


class I2C:
    """machine.I2C(id, *, scl, sda, freq, timeout) on the simulated board."""

    board = None

    def __init__(self, id, *, scl=None, sda=None, freq=400000, timeout=50000):
        _int(id, "I2C id", 0, 1)
        self._name = "I2C(%d, " % id
        self._bus = str(id)
        self.init(scl=scl, sda=sda, freq=freq, timeout=timeout)

    def __repr__(self):
        return "%sfreq=%d)" % (self._name, self._freq)

    def init(self, *, scl=None, sda=None, freq=400000, timeout=50000):
        self._freq = _int(freq, "I2C freq", 1)
        _int(timeout, "I2C timeout", 0)
        for p in (scl, sda):
            if p is not None:
                I2C.board.pin_hw(p)

    def deinit(self):
        pass

    def _devices(self):
        b = I2C.board
        b.sync()
        bus = b.i2c.get(self._bus)
        return {} if bus is None else bus[2]

    def _dev(self, addr):
        _int(addr, "I2C address", 0, 127)
        d = self._devices().get(addr)
        if d is None or not d.answers():
            I2C.board.note("%s: no answer from 0x%02x" % (self._name.split("(")[0], addr))
            raise OSError(ENODEV)
        return d

    def scan(self):
        return sorted(a for a, d in self._devices().items() if d.answers())

    def readfrom(self, addr, nbytes, stop=True):
        return bytes(self._dev(addr).read(_int(nbytes, "nbytes", 0)))

    def readfrom_into(self, addr, buf, stop=True):
        buf[:] = self._dev(addr).read(len(buf))

    def writeto(self, addr, buf, stop=True):
        self._dev(addr).write(buf, True)
        return len(buf)

    def writevto(self, addr, vector, stop=True):
        data = b"".join(bytes(v) for v in vector)
        self._dev(addr).write(data, True)
        return len(data)

    def _at(self, addr, memaddr, addrsize):
        if addrsize not in (8, 16):
            raise ValueError("invalid addrsize %r: use 8 or 16" % (addrsize,))
        d = self._dev(addr)
        d.ptr = _int(memaddr, "memaddr", 0, (1 << addrsize) - 1)
        d.answer = None
        return d

    def readfrom_mem(self, addr, memaddr, nbytes, *, addrsize=8):
        n = _int(nbytes, "nbytes", 0)
        return bytes(self._at(addr, memaddr, addrsize).read(n))

    def readfrom_mem_into(self, addr, memaddr, buf, *, addrsize=8):
        buf[:] = self._at(addr, memaddr, addrsize).read(len(buf))

    def writeto_mem(self, addr, memaddr, buf, *, addrsize=8):
        self._at(addr, memaddr, addrsize).write(buf, False)


class SoftI2C(I2C):
    """machine.SoftI2C(scl, sda, *, freq, timeout): the bus wired to those pins."""

    def __init__(self, scl, sda, *, freq=400000, timeout=50000):
        b = I2C.board
        s, d = b.pin_hw(scl).num, b.pin_hw(sda).num
        self._name = "SoftI2C(scl=%d, sda=%d, " % (s, d)
        self._bus = None
        for bid, (bs, bd, _) in b.i2c.items():
            if (bs, bd) == (s, d):
                self._bus = bid
        self.init(freq=freq, timeout=timeout)
