# CPython's own asyncio on virtual time: the oracle for zsync_mp.asyncio in
# tests/test_diff_asyncio.py. CPython only.
#
# How: VirtualLoop is a SelectorEventLoop whose time() is a number it keeps.
# Its selector is wrapped: when the loop would block for `timeout`, the clock
# jumps to the earliest timer instead (Trio's autojump) and the real selector
# is polled with timeout 0, so nothing sleeps in real time. Nothing ready and
# no timer is a deadlock: RuntimeError. The clock holds whole ms (a timer's
# deadline is rounded to the ms it belongs to), so 0.001 + 0.009 and 0.01 are
# the same instant, as they are for zsync_mp's integer ticks.
#
# Order: asyncio runs call_soon callbacks in order (documented), but timers
# due at the same time have no promised order (a heap). With a seed, timers
# that fall due at the same instant are moved to the ready queue in a seeded
# random order (the wrapper takes them off the heap itself, as _run_once
# would, before _run_once looks); cpython_orders() runs several seeds and
# returns every result seen. Uses BaseEventLoop's _scheduled/_ready (stable
# since 3.4). Tasks are the pure-Python Task with 3.13's uncancel() (below).
import asyncio
import heapq
import json
import random

import _dt_aio
import _dt_run


class _Selector:
    def __init__(self, loop, real):
        self._loop = loop
        self._real = real

    def __getattr__(self, name):
        return getattr(self._real, name)

    def select(self, timeout=None):
        loop = self._loop
        if timeout is None or timeout > 0:
            while loop._scheduled and loop._scheduled[0]._cancelled:
                heapq.heappop(loop._scheduled)._scheduled = False
                loop._timer_cancelled_count -= 1
            if not loop._scheduled:
                raise RuntimeError("deadlock: every task waits and no timer is set")
            loop._vms = max(loop._vms, round(loop._scheduled[0]._when * 1000))
        events = self._real.select(0)
        loop._move_due()
        return events


class _Task(asyncio.tasks._PyTask):
    # CPython 3.11's uncancel() leaves _must_cancel set when the count drops
    # to 0, so a TaskGroup whose child failed while the parent was ready
    # cancels the parent again at its next await, after the group is over;
    # 3.13 clears it. The oracle takes the 3.13 rule.
    def uncancel(self):
        n = super().uncancel()
        if n == 0:
            self._must_cancel = False
        return n


class VirtualLoop(asyncio.SelectorEventLoop):
    def __init__(self, seed=None):
        super().__init__()
        self.set_task_factory(lambda loop, coro, **kw: _Task(coro, loop=loop, **kw))
        self._vms = 0  # whole ms: float sums (0.001 + 0.009) must not order equal deadlines
        self._rng = random.Random(seed) if seed is not None else None
        self._selector = _Selector(self, self._selector)

    def time(self):
        return self._vms / 1000

    def _move_due(self):
        # Due timers to the ready queue, ties in seeded order.
        if self._rng is None:
            return
        due = []
        end = self.time() + self._clock_resolution  # as _run_once: a float sum a hair late is due
        while self._scheduled and self._scheduled[0]._when < end:
            h = heapq.heappop(self._scheduled)
            h._scheduled = False
            if h._cancelled:
                self._timer_cancelled_count -= 1
            else:
                due.append(h)
        due.sort(key=lambda h: (round(h._when * 1000), self._rng.random()))
        self._ready.extend(due)


def run(prog, seed=None):
    """prog on CPython's asyncio with virtual time."""
    holder = []

    def now_ms():
        return round(holder[0].time() * 1000)

    def run_main(main):
        with asyncio.Runner(loop_factory=lambda: VirtualLoop(seed)) as r:
            holder.append(r.get_loop())
            r.run(main())

    return _dt_run.observe(_dt_aio.AioAdapter(asyncio, now_ms), json.loads(json.dumps(prog)), run_main)


def cpython_orders(prog, seeds=range(4)):
    """The distinct results of prog over seeds, as JSON strings."""
    return _dt_run.orders(run, prog, seeds)
