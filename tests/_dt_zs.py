# zsync_mp adapter for the differential-test language (tests/_dt_run.py).
# Portable: runs on CPython and MicroPython under zs.VirtualClock() (ticks
# are ms). `zs.run(seed=None)`: zsync_mp's own FIFO order.
#
#   micropython tests/_dt_zs.py progs.jsonl   one JSON program per line in,
#                                            one JSON result per line out
import json
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


class ZsAdapter:
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

    def close(self, end):
        end.close()

    def acquire(self, lk):
        return lk.acquire()

    def release(self, lk):
        lk.release()

    def set(self, e):
        e.set()

    def wait(self, e):
        return e.wait()


def run(prog, seed=None):
    ad = ZsAdapter()
    w = []

    async def main():
        w.append(_dt_run.World(ad, prog))
        await _dt_run.main_body(w[0], prog)

    try:
        zs.run(main(), clock=zs.VirtualClock(), seed=seed)
    except (Exception, zs.Cancelled) as e:  # noqa: B902 (main's outcome is recorded; a run failure is kept)
        if not w or "main" not in w[0].out:
            return {"run": "%s: %s" % (type(e).__name__, e)}
    return w[0].result()


def main(path):
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                print(json.dumps(run(json.loads(line))))


if __name__ == "__main__":
    main(sys.argv[1])
