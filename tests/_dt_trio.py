# Trio adapter for the differential-test language (tests/_dt_run.py): the
# oracle for zsync_mp. CPython only.
#
# Time: trio.testing.MockClock(autojump_threshold=0), seconds; the language
# speaks ms, so every wait is computed from the current whole ms
# (round(current_time()*1000) + ms) / 1000: equal deadlines are the same float
# and a run's times are exact integers of ms.
#
# Schedule points: zsync_mp completes an operation that can complete at once
# without a task switch, Trio always yields at a checkpoint. The adapter keeps
# zsync_mp's rule (see send/recv below) so that schedules can match; what is
# compared is Trio's cancellation model. A nursery's exit stays Trio's: it is
# always a schedule point, a zsync_mp TaskGroup with no child left exits
# without one, so a task woken at the same instant can run first in Trio only
# (make stress finds such programs: a known gap of this oracle, not a defect).
#
# Order of ready tasks: Trio reverses each scheduling batch at random (see
# trio/_core/_run.py, _ALLOW_DETERMINISTIC_SCHEDULING). We choose to make it
# deterministic in a documented way and sample it: with that flag set (what
# Trio's own Hypothesis plugin does) each batch is sorted by spawn order and
# shuffled by the module's `_r` Random, which we seed. run_orders() runs a
# program under several seeds; if the observations differ, the program's
# outcome depends on the order of tasks ready at the same instant (a tie that
# neither Trio nor zsync_mp promises to break one way), and the caller accepts
# any of Trio's observations instead of one. The generator (tests/_dt_gen.py)
# spreads wake times so that most programs have a single outcome.
#
# A task's "cancel by handle" is Trio's CancelScope around the task's body
# (the contract: Task.cancel() cancels the task's root scope); it is
# created at spawn time so a cancel before the task first runs still counts.
import json

import trio
import trio.testing
from trio._core import _run as _trio_run

import _dt_run


def _cancel_now():
    # Raise the pending Cancelled without a schedule point (zsync_mp's rule;
    # Trio's checkpoint yields first, then raises). A scope treats a Cancelled
    # made here like its own: it catches by cancel status, not by instance.
    if trio.current_effective_deadline() == float("-inf"):
        raise trio.Cancelled._create()


class _Handle:
    def __init__(self):
        self.cs = trio.CancelScope()


def _closed():
    return (trio.ClosedResourceError, trio.BrokenResourceError, trio.EndOfChannel)


class TrioAdapter(_dt_run.Adapter):
    cancelled_exc = trio.Cancelled
    timeout_exc = trio.TooSlowError
    closed_exc = _closed()

    def is_group(self, e):
        return isinstance(e, BaseExceptionGroup)

    def now_ms(self):
        return round(trio.current_time() * 1000)

    def _at(self, ms):
        return (self.now_ms() + ms) / 1000

    def channel(self, cap):
        return trio.open_memory_channel(cap)

    def lock(self):
        return trio.Lock()

    def event(self):
        return trio.Event()

    async def sleep(self, ms):
        _cancel_now()
        await trio.sleep_until(self._at(ms))

    async def check(self):
        _cancel_now()
        await trio.lowlevel.checkpoint()

    def group(self):
        return trio.open_nursery()

    def spawn(self, nursery, name, coro):
        h = _Handle()

        async def root():
            with h.cs:
                await coro

        nursery.start_soon(root, name=name)
        return h

    def cancel(self, h):
        h.cs.cancel()

    def cancel_group(self, nursery):
        nursery.cancel_scope.cancel()

    def scope(self, kind, ms, shield):
        if kind == "move":
            return _Scope(trio.move_on_at(self._at(ms), shield=shield))
        if kind == "fail":
            return _Scope(trio.fail_at(self._at(ms), shield=shield))
        return _Scope(trio.CancelScope(shield=shield))

    def caught(self, sc):
        return 1 if sc.cs.cancelled_caught else 0

    # zsync_mp's documented rule, kept here: an operation that can complete at
    # once (a message, a free lock, a set event, or a pending Cancelled) does
    # so without a schedule point; Trio's own calls always yield first.
    async def send(self, tx, v):
        _cancel_now()
        try:
            tx.send_nowait(v)
        except trio.WouldBlock:
            await tx.send(v)

    async def recv(self, rx):
        _cancel_now()
        try:
            return rx.receive_nowait()
        except trio.WouldBlock:
            return await rx.receive()

    async def acquire(self, lk):
        _cancel_now()
        try:
            lk.acquire_nowait()
        except trio.WouldBlock:
            await lk.acquire()

    async def wait(self, e):
        _cancel_now()
        if not e.is_set():
            await e.wait()


class _Scope:
    # trio.fail_at() is a context manager that yields its CancelScope; keep
    # the scope for cancelled_caught.
    def __init__(self, cm):
        self.cm = cm
        self.cs = None

    async def __aenter__(self):
        self.cs = self.cm.__enter__()
        return self

    async def __aexit__(self, et, ev, tb):
        return self.cm.__exit__(et, ev, tb)


def run(prog, seed=0):
    """One run of `prog` on Trio, batches shuffled with `seed`."""
    def run_main(main):
        old = _trio_run._ALLOW_DETERMINISTIC_SCHEDULING
        _trio_run._ALLOW_DETERMINISTIC_SCHEDULING = True
        state = _trio_run._r.getstate()
        _trio_run._r.seed(seed)
        try:
            trio.run(main, clock=trio.testing.MockClock(autojump_threshold=0), strict_exception_groups=True)
        finally:
            _trio_run._ALLOW_DETERMINISTIC_SCHEDULING = old
            _trio_run._r.setstate(state)

    return _dt_run.observe(TrioAdapter(), json.loads(json.dumps(prog)), run_main)


def run_orders(prog, seeds):
    """The distinct observations of `prog` over `seeds`, as JSON strings
    (in the order first seen)."""
    return _dt_run.orders(run, prog, seeds)
