# zsync_mp.kernel.poll: the kernel's I/O waits. A task parks on an _IoSlot (one
# reader and one writer per pollable object); the loop polls with the
# interpreter's poller (_port.new_poller) only while some slot has a waiter,
# and blocks in poll() when nothing else is due, so the CPU idles between
# events. Slots are keyed by the object itself (id() would allocate). Not
# IRQ-safe: an interrupt reaches a task through a Flag, which is pollable.
from . import core
from .port import SOFT_POLL, is_soft, sleep_ms as sleep_real, POLLIN, POLLOUT


class _IoSlot:
    # One registered pollable object: the tasks waiting to read and to write.
    def __init__(self, obj):
        self.obj = obj
        self.rd = None
        self.wr = None
        self.on = 0
        self.flag = False
        self.soft = False  # polled by ioctl here, not by select.poll (SOFT_POLL)

    def mask(self):
        return (POLLIN if self.rd is not None else 0) | (POLLOUT if self.wr is not None else 0)

    def remove(self, t):
        if self.rd is t:
            self.rd = None
        if self.wr is t:
            self.wr = None
        core._K.io_update(self)


class IoPoller:
    # Mixed into Kernel; __init__ there sets poller, io, io_waiting.
    # I/O: park the current task until obj is readable (POLLIN) or writable.
    def io_wait(self, t, obj, write, flag=False):
        slot = self.io.get(obj)
        if slot is None:
            slot = self._slot(obj, flag)
        if (slot.wr if write else slot.rd) is not None:
            raise RuntimeError("another task is already waiting to %s this %s (one waiter per direction)" % ("write" if write else "read", type(obj).__name__))
        if write:
            slot.wr = t
        else:
            slot.rd = t
        t.state = core.PARKED
        t.data = slot
        self.io_update(slot)

    def _slot(self, obj, flag):
        # A new slot, registered before the loop can find it: a MemoryError
        # part way leaves nothing the loop would wait on for ever (the next
        # wait registers again; registering twice only sets the mask).
        slot = _IoSlot(obj)
        slot.flag = flag  # a Flag: clear it when its waiter is woken
        if SOFT_POLL and is_soft(obj):
            self.soft[obj] = slot
            slot.soft = True
        else:
            self.poller.register(obj, 0)
        self.io[obj] = slot
        return slot

    def io_update(self, slot):
        m = slot.mask()
        on = 1 if m else 0
        if slot.soft:
            self.soft_waiting += on - slot.on
        else:
            self.poller.modify(slot.obj, m)
        self.io_waiting += on - slot.on
        slot.on = on

    def io_forget(self, obj):
        # The stream is closing: wake its waiters (they will see it closed).
        slot = self.io.pop(obj, None)
        if slot is None:
            return
        for t in (slot.rd, slot.wr):
            if t is not None:
                core.wake(t)
        slot.rd = slot.wr = None
        self.io_update(slot)
        if slot.soft:
            self.soft.pop(obj, None)
        else:
            self.poller.unregister(obj)

    # The loop's per-pass calls (_poll, _polled) keep their frames within
    # MicroPython's 11 words, so a call allocates nothing (tools/frames.py).
    def _poll(self, timeout):
        if self.soft_waiting:
            timeout = self._poll_soft(timeout)
            if timeout < 0:
                return  # nothing else to poll: slept already
        for r in self.poller.ipoll(timeout):
            self._polled(r)

    def _poll_soft(self, timeout):
        # Pure-Python pollables, asked directly (see _port.SOFT_POLL). Returns
        # the timeout left for select.poll, or -1 if there is nothing to poll.
        if self._ask_all():
            timeout = 0
        elif timeout < 0 or timeout > 1:
            timeout = 1  # look at them again in 1 ms, as MicroPython's poll does
        if self.io_waiting == self.soft_waiting:
            if timeout:
                sleep_real(timeout)  # nothing else to poll
            return -1
        return timeout

    def _ask_all(self):
        ready = 0
        for obj in self.soft:  # the keys: iterating them allocates nothing
            ready += self._ask(obj)
        return ready

    def _ask(self, obj):
        # A soft pollable's events through its ioctl; 1 if it woke a waiter.
        slot = self.soft[obj]
        m = slot.mask()
        if m:
            ev = obj.ioctl(3, m)
            if ev:
                self._ready(slot, obj, ev)
                return 1
        return 0

    def _polled(self, r):
        # One (object, events) pair from ipoll (a tuple it reuses: read now).
        obj = r[0]
        slot = self.io.get(obj)
        if slot is not None:
            self._ready(slot, obj, r[1])

    def _ready(self, slot, obj, ev):
        # Wake the waiters `ev` (poll bits) lets through.
        if ev & ~POLLOUT and slot.rd is not None:  # readable, error or hang-up
            t = slot.rd
            slot.rd = None
            if slot.flag:
                obj.clear()  # a Flag's wait consumes the set() it woke for
            core.wake(t)
        if ev & ~POLLIN and slot.wr is not None:
            t = slot.wr
            slot.wr = None
            core.wake(t)
        self.io_update(slot)

    def close(self):
        # Forget every registered pollable (the loop is over).
        for s in self.io.values():
            try:
                if not s.soft:
                    self.poller.unregister(s.obj)
            except Exception:
                pass
        self.io = {}
        self.soft = {}
        self.io_waiting = 0
        self.soft_waiting = 0
