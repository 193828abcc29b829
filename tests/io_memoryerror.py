# A MemoryError while the kernel registers a new pollable (a full heap:
# its slot, the poller's table) fails only that wait, and the next wait on
# the same object works. Before the fix the slot was in the kernel's table
# before the object was registered, so the next wait found it and parked on
# an object nobody polled: it never woke. The failure is injected into the
# registration (the poller's, or the kernel's own table of pure-Python
# pollables where the unix port polls those itself).
import zsync_mp as zs
from zsync_mp.kernel import core
from _wire import Wire


class Fail:
    armed = True  # the next registration fails once


class FailDict(dict):
    def __setitem__(self, k, v):
        if Fail.armed:
            Fail.armed = False
            raise MemoryError("injected: no room to register")
        super().__setitem__(k, v)


class FailPoller:
    # The kernel's poller, whose next register() fails once.
    def __init__(self, p):
        self.p = p

    def register(self, obj, mask=1):
        if Fail.armed:
            Fail.armed = False
            raise MemoryError("injected: no room to register")
        self.p.register(obj, mask)

    def modify(self, obj, mask):
        self.p.modify(obj, mask)

    def unregister(self, obj):
        self.p.unregister(obj)

    def ipoll(self, timeout):
        return self.p.ipoll(timeout)


async def feed_later(w):
    await zs.sleep_ms(5)
    w.feed(b"x")


async def main():
    K = core._K
    K.poller = FailPoller(K.poller)
    K.soft = FailDict(K.soft)
    w = Wire()
    try:
        await zs.wait_readable(w)
        print("first wait: no error?!")
    except MemoryError as e:
        print("first wait: MemoryError:", e)
    async with zs.TaskGroup() as tg:
        tg.spawn(feed_later(w))
        with zs.move_on_after(1) as cs:
            await zs.wait_readable(w)
    print("second wait woke when the wire had a byte:", not cs.cancelled_caught)


zs.run(main())
