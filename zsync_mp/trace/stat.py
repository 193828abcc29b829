# zsync_mp.trace.stat: one task's trace record, kept on the task (t._trace_record)
# so the tracer's per-step hook touches no dict. Hot counters are raw adds;
# sync() folds them into the public fields (µs) when a reader asks.
from ..kernel.port import TRACE_PER_US

_WRAP = 0x3FFFFFFF  # counters wrap here: still small ints on a 32-bit board


class _Stat:
    # One task's record: made at spawn (or first step), kept on the task (t._trace_record).
    def __init__(self, tr, t, parent, now, ms, seq):
        self.tr = tr
        self.task = t
        self.seq = seq  # spawn order (dicts do not keep it on MicroPython)
        self.coro = t.coro  # for the name once the task is done (coro is then its result)
        self.parent = parent  # the task that spawned it
        self.since = now  # raw clock when it last switched out (park time)
        self.since_ms = ms  # the same on a virtual clock (loop ms)
        self.raw = 0  # CPU time not yet folded into cpu_s / cpu_us (raw clock units)
        self.n = 0  # switches (step() counts; folded into .switches by sync())
        self.hi = 0  # step() calls slow() past this: min(longest, budget)
        self.mx = 0  # longest run between checkpoints (raw)
        self.cpu_s = 0
        self.cpu_us = 0  # < 1_000_000
        self.cpu_f = 0  # CPU time below a second, raw (cpu_us is it in µs)
        self.switches = 0
        self.max_us = 0
        self.overruns = 0
        self.out = 0  # how it ended (OUTCOMES index)

    def sync(self):
        # Fold the hot counters into the public fields (µs); returns self.
        self._fold()
        self.switches = self.n & _WRAP
        self.max_us = self.mx // TRACE_PER_US
        return self

    def _fold(self):
        c = self.cpu_f + self.raw
        self.raw = 0
        self.cpu_s += c // (1000000 * TRACE_PER_US)
        c %= 1000000 * TRACE_PER_US
        self.cpu_us = c // TRACE_PER_US
        self.cpu_f = c


class _NoTask:
    coro = None


# The stand-in record of a task the installed Tracer never saw (t._trace_record is
# None): its hi of -1 sends step() to slow(), which makes one.
_NOREC = _Stat(None, _NoTask(), None, 0, 0, 0)
_NOREC.hi = -1
