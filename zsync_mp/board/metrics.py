# zsync_mp.board.metrics: counters, gauges and histograms with a pull API.
#
# Contract
# - Updates (Counter.inc, Gauge.set/inc/dec, Histogram.observe/observe_us)
#   allocate nothing on MicroPython for int values (tests/metrics_heap.py):
#   every field is a small int, counters wrap at 2**30 like ticks (a reader
#   takes differences), a histogram keeps one count per bucket in a
#   preallocated list and its sum as 2**30-carry pairs. Floats allocate on
#   MicroPython (boxed): pass ints (µs, mV, bytes) on a device.
# - Reading is pull-only: collect() returns every metric's current value,
#   render() the same as text (Prometheus exposition style); both allocate,
#   call them from a reporting task, never from a hot path.
# - Metrics register by name at creation (a second one with the same name
#   is an error); a Registry groups them (default: the module's registry).
# - Updates are plain attribute stores, not atomic: call them from tasks, or
#   from a soft IRQ handler (micropython.schedule), not from a hard IRQ that
#   may interrupt another update of the same metric.
from ..kernel.port import ticks_us, ticks_diff

_WRAP = 0x3FFFFFFF
_CARRY = 0x40000000


def _check_name(name):
    if not isinstance(name, str) or not name:
        raise TypeError("a metric name must be a non-empty str, got %r" % (name,))
    for c in name:
        if not (c.isalpha() or c.isdigit() or c in "_:."):
            raise ValueError("metric name %r: use letters, digits, '_', ':' or '.'" % (name,))


def _check_int(v, what):
    if not isinstance(v, int) or isinstance(v, bool):
        raise TypeError("%s must be an int, got %r" % (what, v))


class Registry:
    """A set of metrics, read together with collect() / render()."""

    def __init__(self):
        self._m = []
        self._names = {}

    def _add(self, m):
        if m.name in self._names:
            raise ValueError("a metric named %r already exists in this registry" % (m.name,))
        self._names[m.name] = m
        self._m.append(m)

    def get(self, name):
        """The metric called name (KeyError names it if there is none)."""
        m = self._names.get(name)
        if m is None:
            raise KeyError("no metric named %r" % (name,))
        return m

    def collect(self):
        """[(name, kind, value)] in creation order; a histogram's value is a
        dict: count, sum, buckets [(upper bound or "+Inf", cumulative count)]."""
        return [(m.name, m.kind, m.read()) for m in self._m]

    def render(self):
        """Every metric as text lines: `name value`, histograms as
        name_bucket{le="b"} / name_count / name_sum. Allocates."""
        out = []
        for m in self._m:
            if m.help:
                out.append("# HELP %s %s" % (m.name, m.help))
            out.append("# TYPE %s %s" % (m.name, m.kind))
            v = m.read()
            if m.kind == "histogram":
                for le, n in v["buckets"]:
                    out.append('%s_bucket{le="%s"} %d' % (m.name, le, n))
                out.append("%s_count %d" % (m.name, v["count"]))
                out.append("%s_sum %s" % (m.name, v["sum"]))
            else:
                out.append("%s %s" % (m.name, v))
        return "\n".join(out) + "\n"

    def reset(self):
        """Zero every metric (after a report, if you want deltas)."""
        for m in self._m:
            m.reset()


default = Registry()


class _Metric:
    kind = "?"

    def __init__(self, name, help=None, registry=None):
        _check_name(name)
        if help is not None and not isinstance(help, str):
            raise TypeError("metric help must be a str, got %r" % (help,))
        self.name = name
        self.help = help
        self.reset()
        (registry if registry is not None else default)._add(self)


class Counter(_Metric):
    """A count that only goes up: inc(n=1). Wraps at 2**30. Allocates
    nothing for int n; see the module contract for IRQ use."""

    kind = "counter"

    def reset(self):
        self.value = 0

    def inc(self, n=1):
        self.value = (self.value + n) & _WRAP

    def read(self):
        return self.value


class Gauge(_Metric):
    """A value that goes up and down: set(v), inc(n=1), dec(n=1). Allocates
    nothing for int values."""

    kind = "gauge"

    def reset(self):
        self.value = 0

    def set(self, v):
        self.value = v

    def inc(self, n=1):
        self.value += n

    def dec(self, n=1):
        self.value -= n

    def read(self):
        return self.value


class Histogram(_Metric):
    """Counts observations into buckets: observe(v) adds v to the first
    bucket whose upper bound is >= v (else the +Inf bucket). `bounds` are
    increasing ints. observe_us(t0) observes the µs since ticks_us() t0.
    Allocates nothing for int values."""

    kind = "histogram"

    def __init__(self, name, bounds, help=None, registry=None):
        if not isinstance(bounds, (list, tuple)) or not bounds:
            raise TypeError("histogram bounds must be a non-empty list of ints, got %r" % (bounds,))
        for i, b in enumerate(bounds):
            _check_int(b, "histogram bound")
            if i and b <= bounds[i - 1]:
                raise ValueError("histogram bounds must increase, got %r" % (bounds,))
        self.bounds = tuple(bounds)
        self.nb = len(bounds)
        _Metric.__init__(self, name, help, registry)

    def reset(self):
        self.counts = [0] * (self.nb + 1)  # the last one is +Inf
        self.count = 0
        self.sum_lo = 0  # sum = sum_hi * 2**30 + sum_lo (small ints only)
        self.sum_hi = 0

    def observe(self, v):
        b = self.bounds
        i = 0
        n = self.nb
        while i < n and v > b[i]:
            i += 1
        c = self.counts
        c[i] = (c[i] + 1) & _WRAP
        self.count = (self.count + 1) & _WRAP
        s = self.sum_lo + v
        while s >= _CARRY:
            s -= _CARRY
            self.sum_hi += 1
        while s < 0:
            s += _CARRY
            self.sum_hi -= 1
        self.sum_lo = s

    def observe_us(self, t0):
        self.observe(ticks_diff(ticks_us(), t0))

    def read(self):
        cum = 0
        buckets = []
        for i in range(self.nb + 1):
            cum += self.counts[i]
            buckets.append((self.bounds[i] if i < self.nb else "+Inf", cum))
        return {"count": self.count, "sum": self.sum_hi * _CARRY + self.sum_lo, "buckets": buckets}


def counter(name, help=None, registry=None):
    """A new Counter registered under name."""
    return Counter(name, help, registry)


def gauge(name, help=None, registry=None):
    """A new Gauge registered under name."""
    return Gauge(name, help, registry)


def histogram(name, bounds, help=None, registry=None):
    """A new Histogram registered under name."""
    return Histogram(name, bounds, help, registry)


def collect():
    """Every metric of the default registry: see Registry.collect()."""
    return default.collect()


def render():
    """The default registry as text: see Registry.render()."""
    return default.render()
