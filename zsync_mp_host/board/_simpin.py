# _simpin: GPIO nets, machine.Pin and machine.Signal for the simulated board.
#
# Contract
# - A pin number's state lives in the board (one _PinHw per number); Pin
#   objects are handles, so Pin(2) made twice is the same pin, as on a board.
# - Pins joined by wires form a net. A net's level: the pins driving it
#   (OUT, or OPEN_DRAIN at 0) and a scripted input; two drivers that disagree
#   are contention (logged, level 0); undriven, an external or internal pull
#   decides; floating, it keeps its last level.
# - A level change is an edge: the irq handler of every pin on the net whose
#   trigger matches runs at once (see _simhw for hard/soft rules), so an
#   output wired to an input measures zero ISR latency.
# - IRQ-safe (allocate nothing on a board, so the simulation unlocks the heap
#   for them): Pin.value/on/off/toggle/__call__, Signal.value/on/off.
from _simhw import BoardError
from _simirq import unlocked

IN = 1
OUT = 3
OPEN_DRAIN = 7
PULL_UP = 2
PULL_DOWN = 1
IRQ_RISING = 1
IRQ_FALLING = 2
_MODES = {IN: "IN", OUT: "OUT", OPEN_DRAIN: "OPEN_DRAIN"}
_UNSET = object()


class Net:
    def __init__(self, name):
        self.name = name
        self.pins = []  # _PinHw
        self.ext = None  # scripted / test-driven level, None: not driven
        self.pull = None  # external pull: 1 up, 0 down, None
        self.level = 0
        self.fight = False

    def resolve(self):
        drv = self.ext
        fight = False
        for hw in self.pins:
            if hw.mode == OUT:
                v = hw.out
            elif hw.mode == OPEN_DRAIN and hw.out == 0:
                v = 0
            else:
                continue
            if drv is None:
                drv = v
            elif drv != v:
                fight = True
        if drv is not None:
            return 0 if fight else drv, fight
        if self.pull is not None:
            return self.pull, False
        for hw in self.pins:
            if hw.pull == PULL_UP:
                return 1, False
            if hw.pull == PULL_DOWN:
                return 0, False
        return self.level, False


class _PinHw:
    def __init__(self, board, num, name):
        self.board = board
        self.num = num
        self.name = name
        self.net = None
        self.power_on()

    def power_on(self):
        self.mode = IN
        self.pull = None
        self.out = 0
        self.handler = None
        self.trigger = 0
        self.hard = False
        self.irq_pin = None
        self.flags = 0

    def __repr__(self):
        return "Pin(%s)" % self.name


# Recompute a net's level; log it and run the irq handlers on an edge.
def update(board, net):
    v, fight = net.resolve()
    if fight and not net.fight:
        board.note("%s contention: outputs disagree (level forced 0)" % net.name)
    net.fight = fight
    if v == net.level:
        return
    net.level = v
    board.note("%s=%d" % (net.name, v))
    edge = IRQ_RISING if v else IRQ_FALLING
    for hw in net.pins:
        if hw.handler is not None and hw.trigger & edge:
            hw.flags = edge
            board.irq(hw.handler, hw.irq_pin, hw.hard, hw)


class _Irq:
    # What Pin.irq() returns.
    def __init__(self, hw):
        self._hw = hw

    def trigger(self, t=None):
        if t is not None:
            self._hw.trigger = t
        return self._hw.trigger

    def flags(self):
        return self._hw.flags


def _check_mode(mode):
    if mode not in _MODES:
        raise ValueError("invalid pin mode %r: use Pin.IN, Pin.OUT or Pin.OPEN_DRAIN" % (mode,))


def _check_pull(pull):
    if pull is not None and pull not in (PULL_UP, PULL_DOWN):
        raise ValueError("invalid pin pull %r: use None, Pin.PULL_UP or Pin.PULL_DOWN" % (pull,))


class Pin:
    IN = IN
    OUT = OUT
    OPEN_DRAIN = OPEN_DRAIN
    PULL_UP = PULL_UP
    PULL_DOWN = PULL_DOWN
    IRQ_RISING = IRQ_RISING
    IRQ_FALLING = IRQ_FALLING
    board = None  # set by machine

    def __init__(self, id, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        b = Pin.board
        b.sync()
        self._hw = b.pin_hw(id)
        self._id = id
        if mode != -1 or pull != -1 or value is not None:
            self.init(mode, pull, value=value)

    def __repr__(self):
        return repr(self._hw)

    def init(self, mode=-1, pull=-1, *, value=None, drive=None, alt=None):
        hw = self._hw
        if mode != -1:
            _check_mode(mode)
        if pull != -1:
            _check_pull(pull)
        b = hw.board
        b.sync()
        if value is not None:
            hw.out = 1 if value else 0
        if mode != -1:
            hw.mode = mode
        if pull != -1:
            hw.pull = pull
        update(b, hw.net)

    def _value(self, v):
        hw = self._hw
        b = hw.board
        b.sync()
        if v is _UNSET:
            return hw.net.level
        hw.out = 1 if v else 0
        if hw.mode != IN:
            update(b, hw.net)
        return None

    def value(self, v=_UNSET):
        if Pin.board.hard and Pin.board.locks:
            return unlocked(Pin._value, self, v)
        return self._value(v)

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)

    def toggle(self):
        self.value(1 - self._hw.out)

    def mode(self, mode=None):
        if mode is None:
            return self._hw.mode
        self.init(mode)

    def pull(self, pull=-1):
        if pull == -1:
            return self._hw.pull
        self.init(-1, pull)

    def irq(self, handler=_UNSET, trigger=IRQ_FALLING | IRQ_RISING, *, priority=1, wake=None, hard=False):
        hw = self._hw
        hw.board.sync()
        if handler is _UNSET:
            return _Irq(hw)
        if handler is not None and not callable(handler):
            raise TypeError("irq handler must be callable or None, got %r" % (handler,))
        if not isinstance(trigger, int) or trigger & ~(IRQ_RISING | IRQ_FALLING):
            raise ValueError("invalid irq trigger %r: use Pin.IRQ_RISING and/or Pin.IRQ_FALLING" % (trigger,))
        hw.handler = handler
        hw.trigger = trigger if handler is not None else 0
        hw.hard = bool(hard)
        hw.irq_pin = self
        return _Irq(hw)


class Signal:
    """Signal(pin, invert=False) or Signal(pin_id, mode, ..., invert=False):
    a pin whose logical value may be inverted (active-low LEDs, buttons)."""

    def __init__(self, pin, *args, invert=False, **kw):
        if not isinstance(pin, Pin):
            pin = Pin(pin, *args, **kw)
        elif args or kw:
            pin.init(*args, **kw)
        self._pin = pin
        self._inv = 1 if invert else 0

    def value(self, v=_UNSET):
        if v is _UNSET:
            return self._pin.value() ^ self._inv
        self._pin.value((1 if v else 0) ^ self._inv)
        return None

    __call__ = value

    def on(self):
        self.value(1)

    def off(self):
        self.value(0)


# Join pins into nets from the board description's "wires" and "pulls".
def build_nets(board, wires, pulls):
    for i, w in enumerate(wires):
        if not isinstance(w, list) or len(w) < 2:
            raise BoardError("wires[%d] must be a list of two or more pins, got %r" % (i, w))
        hws = [board.pin_hw(p, "wires[%d]" % i) for p in w]
        net = hws[0].net
        for hw in hws[1:]:
            other = hw.net
            if other is net:
                continue
            for h in other.pins:
                h.net = net
                net.pins.append(h)
            net.name = net.name + "+" + other.name
    for p, v in pulls.items():
        hw = board.pin_hw(p, "pulls")
        if v not in ("up", "down", None):
            raise BoardError("pulls[%r] must be \"up\", \"down\" or null, got %r" % (p, v))
        hw.net.pull = None if v is None else (1 if v == "up" else 0)
        hw.net.level, _ = hw.net.resolve()
