# asyncio adapter for the differential-test language (tests/_dt_run.py): one
# adapter for CPython's asyncio (the oracle, tests/_dt_vloop.py gives it
# virtual time) and for zsync_mp.asyncio (CPython and MicroPython, on a
# zs.VirtualClock kernel). The asyncio subset of the language
# (tests/_dt_gen.py, asyncio_subset=True): no shields, no plain scopes, no
# group cancel, no channel close. Mapping: group -> asyncio.TaskGroup, spawn ->
# tg.create_task (cancel by handle: Task.cancel()), "move" -> asyncio.timeout
# with its TimeoutError caught, "fail" -> asyncio.timeout, channel ->
# asyncio.Queue(max(cap, 1)) (a queue has no rendezvous), lock -> Lock,
# event -> Event, checkpoint -> sleep(0).
# Not compared: wait_for (CPython 3.11's swallows a cancellation that lands
# as the awaited task completes, fixed in 3.12; zsync_mp.asyncio follows
# MicroPython's wait_for on purpose, DESIGN.md) and a task cancelling itself.
#
#   micropython tests/_dt_aio.py progs.jsonl   (zsync_mp.asyncio: one JSON
#                                               result per program line)
import sys

import _dt_run


class _NoClose(Exception):
    pass  # asyncio programs never close a queue


class _Timeout:
    # asyncio.timeout(ms), optionally swallowing its TimeoutError (move_on).
    def __init__(self, ad, ms, swallow):
        self.cm = ad.aio.timeout(ms / 1000)
        self.ad = ad
        self.swallow = swallow
        self.caught = 0

    async def __aenter__(self):
        await self.cm.__aenter__()
        return self

    async def __aexit__(self, et, ev, tb):
        try:
            return await self.cm.__aexit__(et, ev, tb)
        except self.ad.timeout_exc:
            if not self.swallow:
                raise
            self.caught = 1
            return True


class AioAdapter(_dt_run.Adapter):
    closed_exc = _NoClose

    def __init__(self, aio, now_ms):
        self.aio = aio
        self.now_ms = now_ms
        self.cancelled_exc = aio.CancelledError
        self.timeout_exc = getattr(aio, "TimeoutError", None) or TimeoutError
        try:
            self.groups = BaseExceptionGroup
        except NameError:
            from zsync_mp import TaskGroupError

            self.groups = TaskGroupError

    def is_group(self, e):
        return isinstance(e, self.groups)

    def channel(self, cap):
        q = self.aio.Queue(max(cap, 1))
        return q, q

    def lock(self):
        return self.aio.Lock()

    def event(self):
        return self.aio.Event()

    def sleep(self, ms):
        return self.aio.sleep(ms / 1000)

    def check(self):
        return self.aio.sleep(0)

    def group(self):
        return self.aio.TaskGroup()

    def spawn(self, tg, name, coro):
        return tg.create_task(coro)

    def cancel(self, t):
        # A task cancelling itself is not compared: MicroPython's asyncio (and
        # so zsync_mp.asyncio) refuses it with "can't cancel self" on purpose.
        if t is not self.aio.current_task():
            t.cancel()

    def scope(self, kind, ms, shield):
        if shield or kind not in ("move", "fail"):
            raise ValueError("asyncio has no %s scope (shield=%r)" % (kind, shield))
        return _Timeout(self, ms, kind == "move")

    def caught(self, sc):
        return sc.caught

    def send(self, q, v):
        return q.put(v)

    def recv(self, q):
        return q.get()


def run_zs(prog):
    """prog on zsync_mp.asyncio, with a VirtualClock kernel under its loop
    (the loop's own kernel would use the real clock)."""
    import zsync_mp as zs
    import zsync_mp.asyncio as aio
    from zsync_mp.kernel import loop as _loop

    loop = aio.new_event_loop()
    K = _loop.Kernel(zs.VirtualClock())
    K.exc_handler = loop._failed
    K.wait_forever = False  # a deadlock raises instead of idling for ever
    K.stopping = loop._stopping
    loop._k = K
    aio.set_event_loop(loop)
    return _dt_run.observe(AioAdapter(aio, zs.ticks_ms), prog, lambda main: aio.run(main()))


if __name__ == "__main__":
    _dt_run.serve(sys.argv[1], run_zs)
