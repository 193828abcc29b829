# zsync_mp adapter for the differential-test language (tests/_dt_run.py).
# Portable: runs on CPython and MicroPython under zs.VirtualClock() (ticks
# are ms). `zs.run(seed=None)`: zsync_mp's own FIFO order.
#
#   micropython tests/_dt_zs.py progs.jsonl   one JSON program per line in,
#                                            one JSON result per line out
import sys

import zsync_mp as zs
import _dt_run


class _Scope:
    # An async-with wrapper around zsync_mp's (sync) cancel scopes: entering
    # and leaving it never yields, like the `with` it stands for.
    def __init__(self, cs):
        self.cs = cs

    async def __aenter__(self):
        self.cs.__enter__()
        return self

    async def __aexit__(self, et, ev, tb):
        return self.cs.__exit__(et, ev, tb)


class ZsAdapter(_dt_run.Adapter):
    cancelled_exc = zs.Cancelled
    timeout_exc = zs.TimeoutError
    closed_exc = zs.ChannelClosed

    def is_group(self, e):
        return isinstance(e, zs.TaskGroupError)

    def now_ms(self):
        return zs.ticks_ms()

    def channel(self, cap):
        return zs.channel(cap)

    def lock(self):
        return zs.Lock()

    def event(self):
        return zs.Event()

    def sleep(self, ms):
        return zs.sleep_ms(ms)

    def check(self):
        return zs.yield_now()

    def group(self):
        return zs.TaskGroup()

    def spawn(self, tg, name, coro):
        return tg.spawn(coro, name=name)

    def cancel(self, t):
        t.cancel()

    def cancel_group(self, tg):
        tg.cancel()

    def scope(self, kind, ms, shield):
        if kind == "move":
            cs = zs.move_on_after(ms / 1000, shield=shield)
        elif kind == "fail":
            cs = zs.fail_after(ms / 1000, shield=shield)
        else:
            cs = zs.CancelScope(shield=shield)
        return _Scope(cs)

    def caught(self, sc):
        return 1 if sc.cs.cancelled_caught else 0

    def send(self, tx, v):
        return tx.send(v)

    def recv(self, rx):
        return rx.recv()


def run(prog, seed=None):
    """prog on zsync_mp under a VirtualClock (seed: zs.run's seeded order)."""
    return _dt_run.observe(ZsAdapter(), prog, lambda main: zs.run(main(), clock=zs.VirtualClock(), seed=seed))


if __name__ == "__main__":
    _dt_run.serve(sys.argv[1], run)
