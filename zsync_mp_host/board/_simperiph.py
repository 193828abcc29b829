# _simperiph: machine.Timer, ADC, PWM, WDT and RTC on the simulated board.
#
# Contract
# - Timer callbacks fire at start + k * period exactly (no drift; k counts
#   from 1); a callback that is late (board time jumped) still fires once per
#   period, in order. hard=True runs it heap-locked like a Pin IRQ.
# - ADC reads the board's scripted voltage on the pin (a curve over board
#   time), or the pin's digital level times 3.3 V without a curve.
# - PWM records what was set (board.note and PWM.state()); it draws no
#   waveform on the pin's net.
# - WDT: if feed() is not called within `timeout` ms the board resets with
#   WDT_RESET at exactly the expiry time. It cannot be stopped, as on boards.
# - RTC counts from the board file's "rtc" datetime at board time 0.
# - IRQ-safe: PWM.duty_u16/duty_ns, WDT.feed, ADC.read_u16/read_uv.
from _simhw import WDT_RESET
from _simirq import unlocked

_UNSET = object()


def _int(v, what, lo, hi=None):
    if not isinstance(v, int) or isinstance(v, bool) or v < lo or (hi is not None and v > hi):
        rng = ">= %d" % lo if hi is None else "%d..%d" % (lo, hi)
        raise ValueError("invalid %s %r: use an int %s" % (what, v, rng))
    return v


class Timer:
    ONE_SHOT = 0
    PERIODIC = 1
    board = None
    world = False
    _seq = 0
    handler = None

    def __init__(self, id=-1, **kw):
        _int(id, "Timer id", -1)
        self._id = id
        if kw:
            self.init(**kw)

    def __repr__(self):
        return "Timer(%d)" % self._id

    def init(self, *, mode=PERIODIC, freq=-1, period=-1, callback=None, hard=False, tick_hz=1000):
        if mode not in (0, 1):
            raise ValueError("invalid Timer mode %r: use Timer.ONE_SHOT or Timer.PERIODIC" % (mode,))
        if callback is not None and not callable(callback):
            raise TypeError("Timer callback must be callable or None, got %r" % (callback,))
        if period != -1:
            _int(period, "Timer period", 1)
            self._num, self._den = period * 1000000, _int(tick_hz, "Timer tick_hz", 1)
        elif freq != -1:
            if not isinstance(freq, (int, float)) or isinstance(freq, bool) or not 0 < freq <= 1000000:
                raise ValueError("invalid Timer freq %r: use a number of Hz in (0, 1000000]" % (freq,))
            self._num, self._den = 1000000, freq
        else:
            raise ValueError("Timer needs period= (ms) or freq= (Hz)")
        b = Timer.board
        self.deinit()
        self._mode = mode
        self.handler = callback
        self._hard = bool(hard)
        self._t0 = b.us
        self._k = 1
        b._periph.append(self)
        b.schedule(self, self._at(1))

    def _at(self, k):
        return self._t0 + int(k * self._num / self._den + 0.5)

    def _due(self, t):
        b = Timer.board
        if self._mode == 1:
            self._k += 1
            b.schedule(self, self._at(self._k))
        if self.handler is not None:
            b.irq(self.handler, self, self._hard, self)

    def deinit(self):
        b = Timer.board
        b.sync()
        b.cancel(self)
        self.handler = None
        if self in b._periph:
            b._periph.remove(self)

    power_off = deinit


class ADC:
    ATTN_0DB = 0
    ATTN_2_5DB = 1
    ATTN_6DB = 2
    ATTN_11DB = 3
    board = None

    def __init__(self, pin, *, atten=None, sample_ns=None):
        self._hw = ADC.board.pin_hw(pin)

    def __repr__(self):
        return "ADC(%r)" % (self._hw,)

    def _volts(self):
        b = ADC.board
        if b.hard and b.locks:
            return unlocked(ADC._v, self, None)
        return self._v(None)

    def _v(self, _):
        b = ADC.board
        b.sync()
        return b.volts(self._hw)

    def read_u16(self):
        v, vref = self._volts()
        x = int(v / vref * 65535 + 0.5)
        return 0 if x < 0 else 65535 if x > 65535 else x

    def read_uv(self):
        v, _ = self._volts()
        x = int(v * 1000000 + 0.5)
        return x if x > 0 else 0

    def read(self):
        return self.read_u16() >> 4


class PWM:
    board = None

    def __init__(self, dest, *, freq=5000, duty_u16=32768, duty_ns=None, invert=False):
        b = PWM.board
        self._hw = b.pin_hw(dest)
        self._freq = _int(freq, "PWM freq", 1, 40000000)
        self._duty = _int(duty_u16, "PWM duty_u16", 0, 65535)
        if duty_ns is not None:
            self._duty = self._ns_to_u16(_int(duty_ns, "PWM duty_ns", 0))
        self._inv = bool(invert)
        self._on = True
        b._periph.append(self)
        self._note()

    def __repr__(self):
        return "PWM(%r, freq=%d, duty_u16=%d)" % (self._hw, self._freq, self._duty)

    def _note(self):
        b = PWM.board
        b.sync()
        b.note("PWM %s freq=%d duty_u16=%d%s" % (self._hw.name, self._freq, self._duty, " inverted" if self._inv else ""))

    def _ns_to_u16(self, ns):
        x = ns * self._freq * 65536 // 1000000000
        return 65535 if x > 65535 else x

    def freq(self, value=_UNSET):
        if value is _UNSET:
            return self._freq
        self._freq = _int(value, "PWM freq", 1, 40000000)
        self._note()

    def _set(self, v):
        self._duty = v
        self._note()

    def duty_u16(self, value=_UNSET):
        if value is _UNSET:
            return self._duty
        _int(value, "PWM duty_u16", 0, 65535)
        b = PWM.board
        if b.hard and b.locks:
            return unlocked(PWM._set, self, value)
        self._set(value)

    def duty_ns(self, value=_UNSET):
        if value is _UNSET:
            return self._duty * 1000000000 // (self._freq * 65536)
        self.duty_u16(self._ns_to_u16(_int(value, "PWM duty_ns", 0)))

    def state(self):
        """Host-only: (freq, duty_u16, running) as last set."""
        return (self._freq, self._duty, self._on)

    def deinit(self):
        if self._on:
            self._on = False
            PWM.board.note("PWM %s off" % self._hw.name)

    power_off = deinit


class WDT:
    board = None
    world = False
    _seq = 0

    def __init__(self, id=0, timeout=5000):
        _int(id, "WDT id", 0, 0)
        b = WDT.board
        b.sync()
        self._ms = _int(timeout, "WDT timeout (ms)", 1)
        for p in list(b._periph):
            if isinstance(p, WDT):  # one watchdog per board: re-init replaces it
                p.power_off()
                b._periph.remove(p)
        b._periph.append(self)
        b.note("WDT started, timeout %d ms" % self._ms)
        self._arm(None)

    def _arm(self, _):
        b = WDT.board
        b.sync()
        if self in b._periph:
            b.schedule(self, b.us + self._ms * 1000)

    def feed(self):
        b = WDT.board
        if b.hard and b.locks:
            return unlocked(WDT._arm, self, None)
        self._arm(None)

    def _due(self, t):
        b = WDT.board
        b.note("WDT expired: not fed for %d ms" % self._ms)
        b.power_cycle(WDT_RESET)

    def power_off(self):
        WDT.board.cancel(self)


_MDAYS = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _leap(y):
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


def _days(y, m, d):
    # Days since 2000-01-01.
    n = 0
    for yy in range(2000, y):
        n += 366 if _leap(yy) else 365
    for mm in range(1, m):
        n += 29 if mm == 2 and _leap(y) else _MDAYS[mm - 1]
    return n + d - 1


def _civil(n):
    y = 2000
    while True:
        ylen = 366 if _leap(y) else 365
        if n < ylen:
            break
        n -= ylen
        y += 1
    m = 1
    while True:
        mlen = 29 if m == 2 and _leap(y) else _MDAYS[m - 1]
        if n < mlen:
            break
        n -= mlen
        m += 1
    return y, m, n + 1


class RTC:
    board = None

    def __init__(self, id=0, datetime=None):
        if datetime is not None:
            self.init(datetime)

    def init(self, datetime):
        self.datetime(datetime)

    def datetime(self, dt=None):
        """(year, month, day, weekday, hours, minutes, seconds, subseconds µs);
        weekday 0 is Monday. Set it with the same tuple (weekday ignored)."""
        b = RTC.board
        b.sync()
        if dt is None:
            base = b._rtc
            if base is None:
                base = self._to_us(b.rtc_base, "board rtc")
                b._rtc = base
                b._rtc_at = 0
            t = base + b.us - b._rtc_at
            secs, sub = divmod(t, 1000000)
            days, s = divmod(secs, 86400)
            y, m, d = _civil(days)
            return (y, m, d, (5 + days) % 7, s // 3600, s // 60 % 60, s % 60, sub)
        b._rtc = self._to_us(dt, "RTC.datetime")
        b._rtc_at = b.us

    def _to_us(self, dt, what):
        if not isinstance(dt, (tuple, list)) or len(dt) not in (7, 8):
            raise ValueError("%s needs (year, month, day, weekday, hours, minutes, seconds[, subseconds]), got %r" % (what, dt))
        y, m, d, _, hh, mi, ss = dt[:7]
        sub = dt[7] if len(dt) == 8 else 0
        if not 2000 <= y <= 2099 or not 1 <= m <= 12 or not 1 <= d <= 31 or not 0 <= hh < 24 or not 0 <= mi < 60 or not 0 <= ss < 60:
            raise ValueError("%s: date/time out of range: %r" % (what, dt))
        return ((_days(y, m, d) * 86400) + hh * 3600 + mi * 60 + ss) * 1000000 + sub
