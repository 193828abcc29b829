# _simboard: the board description (JSON) and the Board object (machine.board).
#
# Contract
# - load(path_or_dict) validates the whole description before using it and
#   raises BoardError naming the file and the bad entry; a loaded board starts
#   at board time 0, powered on, with every pin an input.
# - Scripted inputs ("inputs", "presses", "uart_inputs") are the outside
#   world: they keep their absolute times across resets. ADC curves are
#   piecewise-linear in board time.
# - Test hooks (drive, set_voltage, advance, use_virtual_time) are host-only
#   and are not part of MicroPython's machine API.
# - "network" (true/false) and "flash_fs_kb" (the filesystem's size in KiB,
#   0 = unlimited) are for the virtual board itself (zsync_mp_host/vboard.py): the
#   simulated machine checks them, as README documents them, and ignores them.
#   So is "heap_kb" (the KiB of heap the board's MCU gives MicroPython; absent:
#   not modelled), which zsync_mp_host/_heap.py turns into the unix port's heap.
# - "wifi" is the radio world of the simulated `network` (network.py),
#   checked here by _simnet.load_world; its "drops" are scripted inputs.
#   "i2c" wires devices to I2C buses (_simi2c.py).
import json

from _simhw import Core, BoardError, BoardReset, env_reset_cause
from _simirq import locks
from _simpin import Net, _PinHw, build_nets, update

_KEYS = ("name", "pin_count", "pins", "wires", "pulls", "inputs", "presses", "adc", "uarts", "uart_inputs", "log", "unique_id", "freq", "rtc", "network",
         "flash_fs_kb", "heap_kb", "wifi", "i2c")


def _num(v, what, lo=None):
    if not isinstance(v, (int, float)) or isinstance(v, bool) or (lo is not None and v < lo):
        raise BoardError("%s must be a number%s, got %r" % (what, "" if lo is None else " >= %s" % lo, v))
    return v


def curve_points(spec, where, unit):
    """A board file's {"points": [[t_ms, value], ...]}, checked and sorted."""
    if not isinstance(spec, dict) or not isinstance(spec.get("points"), list) or not spec["points"]:
        raise BoardError("%s needs \"points\": [[t_ms, %s], ...]" % (where, unit))
    pts = []
    for i, pt in enumerate(spec["points"]):
        if not isinstance(pt, list) or len(pt) != 2:
            raise BoardError("%s.points[%d] must be [t_ms, %s], got %r" % (where, i, unit, pt))
        pts.append((_num(pt[0], where + " time", 0), _num(pt[1], "%s %s" % (where, unit))))
    pts.sort()
    return pts


def windows(v, where):
    """A board file's [{"at_ms": A, "for_ms": F}, ...] as [(A, F)], checked."""
    if not isinstance(v, list):
        raise BoardError("%s must be a list" % where)
    out = []
    for i, e in enumerate(v):
        w = "%s[%d]" % (where, i)
        if not isinstance(e, dict):
            raise BoardError("%s must be an object with at_ms and for_ms" % w)
        out.append((_num(e.get("at_ms"), w + ".at_ms", 0), _num(e.get("for_ms"), w + ".for_ms", 0)))
    return out


def curve_at(pts, t):
    """A piecewise-linear curve [(t_ms, value), ...] (sorted) at t_ms; flat
    before its first point and after its last."""
    if t <= pts[0][0]:
        return pts[0][1]
    for i in range(1, len(pts)):
        t1, v1 = pts[i]
        if t <= t1:
            t0, v0 = pts[i - 1]
            return v0 + (v1 - v0) * (t - t0) / (t1 - t0)
    return pts[-1][1]


class _Script:
    # The scripted outside world: (t_us, action, arg, value) in time order.
    world = True
    _seq = 0

    def __init__(self, board, items):
        self.board = board
        self.items = sorted(items, key=lambda e: e[0])
        self.i = 0

    def start(self):
        if self.i < len(self.items):
            self.board.schedule(self, self.items[self.i][0])

    def _due(self, t):
        items = self.items
        while self.i < len(items) and items[self.i][0] <= t:
            _, act, arg, v = items[self.i]
            self.i += 1
            act(arg, v)
        self.start()


class Board(Core):
    """The simulated board behind `machine` (machine.board). Host-only."""

    BoardError = BoardError
    BoardReset = BoardReset

    def __init__(self):
        super().__init__()
        self.locks = locks()
        self.load(None)

    def load(self, desc=None):
        """Load a board description: a JSON file path, a dict, or None for
        the default board (48 unwired pins). Restarts the board at time 0."""
        where = "board"
        if isinstance(desc, str):
            where = "board file %s" % desc
            try:
                with open(desc) as f:
                    desc = json.load(f)
            except OSError as e:
                raise BoardError("%s: cannot read it (%s)" % (where, e))
            except ValueError as e:
                raise BoardError("%s: not valid JSON (%s)" % (where, e))
        if desc is None:
            desc = {}
        if not isinstance(desc, dict):
            raise BoardError("%s: must be a JSON object, got %r" % (where, type(desc).__name__))
        prev = getattr(self, "desc", {})
        try:
            self._load(desc)
        except BoardError as e:
            self._load(prev)  # a bad file leaves the previous board in place
            raise BoardError("%s: %s" % (where, e.args[0]))
        return self

    def _load(self, d):
        for k in d:
            if k not in _KEYS:
                raise BoardError("unknown key %r (known: %s)" % (k, ", ".join(_KEYS)))
        Core.__init__(self)
        self.desc = d
        self.name = d.get("name", "default")
        n = d.get("pin_count", 48)
        if not isinstance(n, int) or n < 1:
            raise BoardError("pin_count must be a positive int, got %r" % (n,))
        self.pin_count = n
        net = d.get("network", False)
        if not isinstance(net, bool):
            raise BoardError("network must be true or false, got %r" % (net,))
        kb = d.get("flash_fs_kb", 0)
        if not isinstance(kb, int) or isinstance(kb, bool) or kb < 0:
            raise BoardError("flash_fs_kb must be a whole number of KiB >= 0, got %r" % (kb,))
        heap = d.get("heap_kb")
        if heap is not None and (not isinstance(heap, int) or isinstance(heap, bool) or heap < 1):
            raise BoardError("heap_kb must be a whole number of KiB >= 1 (the heap the MCU gives MicroPython), "
                             "got %r" % (heap,))
        names = d.get("pins", {})
        if not isinstance(names, dict):
            raise BoardError("pins must map names to pin numbers")
        self.names = {}
        for k, v in names.items():
            if not isinstance(v, int) or not 0 <= v < n:
                raise BoardError("pins[%r] must be a pin number 0..%d, got %r" % (k, n - 1, v))
            self.names[k] = v
        rev = {}
        for k, v in self.names.items():
            rev.setdefault(v, k)
        self._hw = []
        for i in range(n):
            hw = _PinHw(self, i, rev.get(i, str(i)))
            hw.net = Net(hw.name)
            hw.net.pins.append(hw)
            self._hw.append(hw)
        wires = d.get("wires", [])
        pulls = d.get("pulls", {})
        if not isinstance(wires, list) or not isinstance(pulls, dict):
            raise BoardError("wires must be a list and pulls an object")
        build_nets(self, wires, pulls)
        self._adc = {}
        for p, spec in d.get("adc", {}).items():
            self._adc[self.pin_hw(p, "adc").num] = self._curve(p, spec)
        self.cause = env_reset_cause()
        self.freq_hz = _num(d.get("freq", 160000000), "freq", 1)
        uid = d.get("unique_id", "5a53594e4331")
        try:
            self.uid = bytes(int(uid[i:i + 2], 16) for i in range(0, len(uid), 2))
        except (TypeError, ValueError):
            raise BoardError("unique_id must be a hex string, got %r" % (uid,))
        self._rtc = None  # RTC time (µs since 2000) at board time _rtc_at
        self._rtc_at = 0
        self.rtc_base = d.get("rtc", [2000, 1, 1, 5, 0, 0, 0, 0])
        if not isinstance(self.rtc_base, list) or len(self.rtc_base) != 8:
            raise BoardError("rtc must be an 8-item datetime list [y, m, d, weekday, h, min, s, subsec]")
        self.log_to(d.get("log"))
        self._periph = []  # objects with power_off(): Timers, UARTs, PWMs, the WDT
        self.uart_links = {}
        import _simuart

        _simuart.load_links(self, d.get("uarts", {}))
        import _simi2c
        import _simnet

        self.i2c = _simi2c.load_buses(self, d.get("i2c"))
        self.wifi, drops = _simnet.load_world(self, d.get("wifi"))
        self.radio = None  # the simulated network's WLAN radio, made on first use
        self._script = _Script(self, self._script_items(d) + drops)
        self._script.start()

    def _curve(self, p, spec):
        pts = curve_points(spec, "adc[%r]" % (p,), "volts")
        return (pts, _num(spec.get("vref", 3.3), "adc[%r].vref" % (p,), 0.001))

    def _script_items(self, d):
        items = []
        for i, e in enumerate(d.get("inputs", [])):
            w = "inputs[%d]" % i
            if not isinstance(e, dict):
                raise BoardError("%s must be an object" % w)
            lv = e.get("level")
            if lv not in (0, 1, None):
                raise BoardError("%s.level must be 0, 1 or null (released), got %r" % (w, lv))
            items.append((int(_num(e.get("at_ms"), w + ".at_ms", 0) * 1000), self._drive, self.pin_hw(e.get("pin"), w), lv))
        for i, e in enumerate(d.get("presses", [])):
            items.extend(self._press(e, "presses[%d]" % i))
        for i, e in enumerate(d.get("uart_inputs", [])):
            w = "uart_inputs[%d]" % i
            if not isinstance(e, dict) or not isinstance(e.get("data"), str):
                raise BoardError("%s needs \"uart\" and \"data\" (a string)" % w)
            import _simuart

            hw = _simuart.uart_hw(self, e.get("uart"), w)
            items.append((int(_num(e.get("at_ms"), w + ".at_ms", 0) * 1000), _simuart.inject, hw, e["data"].encode()))
        return items

    # A button press: active level at at_ms for hold_ms, released after;
    # `bounces` extra flips 1 ms (bounce_ms) apart at each transition.
    def _press(self, e, w):
        if not isinstance(e, dict):
            raise BoardError("%s must be an object" % w)
        hw = self.pin_hw(e.get("pin"), w)
        at = int(_num(e.get("at_ms"), w + ".at_ms", 0) * 1000)
        hold = int(_num(e.get("hold_ms", 100), w + ".hold_ms", 0) * 1000)
        act = e.get("active", 0)
        if act not in (0, 1):
            raise BoardError("%s.active must be 0 or 1, got %r" % (w, act))
        rel = e.get("release", None)
        nb = int(_num(e.get("bounces", 0), w + ".bounces", 0))
        bms = int(_num(e.get("bounce_ms", 1), w + ".bounce_ms", 0) * 1000)
        out = []
        for t0, a, b in ((at, act, rel), (at + hold, rel, act)):
            out.append((t0, self._drive, hw, a))
            for k in range(nb):
                out.append((t0 + (2 * k + 1) * bms, self._drive, hw, b))
                out.append((t0 + (2 * k + 2) * bms, self._drive, hw, a))
        return out

    def _drive(self, hw, v):
        hw.net.ext = v
        update(self, hw.net)

    def pin_hw(self, id, where=None):
        # A pin number or name to its _PinHw, or ValueError naming the pin.
        n = id
        if isinstance(id, str):
            n = self.names.get(id)
            if n is None and where is not None and id.isdigit():
                n = int(id)  # JSON object keys are strings
        elif hasattr(id, "_hw"):
            return id._hw
        if not isinstance(n, int) or isinstance(n, bool) or not 0 <= n < self.pin_count:
            known = ", ".join(sorted(self.names)) or "none"
            msg = "invalid pin %r: use 0..%d or a name from the board (%s)" % (id, self.pin_count - 1, known)
            if where is not None:
                raise BoardError("%s: %s" % (where, msg))
            raise ValueError(msg)
        return self._hw[n]

    def volts(self, hw):
        # The voltage an ADC sees on a pin now.
        c = self._adc.get(hw.num)
        if c is None:
            return hw.net.level * 3.3, 3.3
        pts, vref = c
        return curve_at(pts, self.us / 1000), vref

    # Test hooks (host only).
    def drive(self, pin, level):
        """Drive a pin's net from outside (1, 0, or None to release)."""
        self.sync()
        self._drive(self.pin_hw(pin), level)

    def set_voltage(self, pin, volts, vref=3.3):
        """Make an ADC on `pin` read a constant voltage."""
        self._adc[self.pin_hw(pin).num] = ([(0, volts)], vref)

    def level(self, pin):
        """The level on a pin's net now."""
        self.sync()
        return self.pin_hw(pin).net.level

    def power_cycle(self, cause):
        # Every peripheral to its power-on state, then raise BoardReset.
        for p in self._periph:
            p.power_off()
        self._periph = []
        for hw in self._hw:
            hw.power_on()
        for hw in self._hw:
            update(self, hw.net)
        self._pending = []
        self._irq_off = 0
        self.reset(cause)
