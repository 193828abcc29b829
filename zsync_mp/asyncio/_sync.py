# zsync_mp.asyncio._sync: asyncio's Event, Lock, Semaphore, Condition and
# Queue on zsync_mp's primitives (same parking, FIFO handoff, no polling).
#
# They differ from zsync_mp's only where asyncio's API says so: wait() and
# acquire() return True, a Lock may be released by any task, Queue(0) is
# unbounded. Event.set(), Lock.release() are not IRQ-safe: use
# ThreadSafeFlag (zsync_mp.Flag) from an interrupt.
from ..sync import primitives as zsync
from ..kernel.core import _OP, _PARKED, WaitQueue, Cancelled, current_task


class Event(zsync.Event):
    def _op(self, t, arg):
        if self._set:
            return True
        self._q.park(t)
        return _PARKED

    def set(self):
        if not self._set:
            self._set = True
            q = self._q
            while q.head is not None:
                q.wake_one(True)


class Lock:
    """asyncio's Lock: FIFO; release() schedules the next waiter, which takes
    the lock when it resumes (if it is cancelled first, the next one does).
    Any task may release it."""

    def __init__(self):
        self._held = False
        self._next = None  # the woken waiter the lock is reserved for
        self._q = WaitQueue()

    def locked(self):
        return self._held

    async def acquire(self):
        if self._held or self._next is not None:
            t = current_task()
            try:
                await _OP.set(_PARK, self._q)
            except Cancelled:
                if self._next is t:  # cancelled while scheduled: pass it on
                    self._next = None
                    self._held = True
                    self.release()
                raise
        self._next = None
        self._held = True
        return True

    def release(self):
        if not self._held:
            raise RuntimeError("Lock not acquired")
        self._held = False
        self._next = self._q.wake_one()

    async def __aenter__(self):
        return await self.acquire()

    async def __aexit__(self, et, ev, tb):
        self.release()


class Semaphore(zsync.Semaphore):
    def _op(self, t, arg):
        if self._v > 0:
            self._v -= 1
            return True
        self._q.park(t)
        return _PARKED

    def release(self):
        if self._q.hand_one(True) is None:
            self._v += 1


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._max = value

    def release(self):
        if self._v >= self._max and self._q.head is None:
            raise ValueError("BoundedSemaphore released too many times")
        Semaphore.release(self)


class Condition(zsync.Condition):
    def __init__(self, lock=None):
        zsync.Condition.__init__(self, lock if lock is not None else zsync.Lock())

    async def wait(self):
        await zsync.Condition.wait(self)
        return True

    def notify_all(self):
        self.notify(1 << 30)


class QueueEmpty(Exception):
    pass


class QueueFull(Exception):
    pass


class _Park:
    # Park on the WaitQueue given as the argument.
    def _op(self, t, q):
        q.park(t)
        return _PARKED


_PARK = _Park()


class Queue:
    """A FIFO queue; maxsize 0 means unbounded. put()/get() wait,
    put_nowait()/get_nowait() raise QueueFull/QueueEmpty."""

    def __init__(self, maxsize=0):
        if not isinstance(maxsize, int) or isinstance(maxsize, bool):
            raise TypeError("Queue maxsize must be an int, got %r" % (maxsize,))
        self.maxsize = maxsize
        self._items = []
        self._get = WaitQueue()
        self._put = WaitQueue()
        self._unfinished = 0
        self._done = zsync.Event()
        self._done.set()

    def qsize(self):
        return len(self._items)

    def empty(self):
        return not self._items

    def full(self):
        return 0 < self.maxsize <= len(self._items)

    async def put(self, v):
        while self.full():
            try:
                await _OP.set(_PARK, self._put)
            except Cancelled:
                if not self.full():
                    self._put.wake_one()  # pass on a wakeup we may have taken
                raise
        self.put_nowait(v)

    def put_nowait(self, v):
        if self.full():
            raise QueueFull()
        self._items.append(v)
        self._unfinished += 1
        self._done.clear()
        self._get.wake_one()

    async def get(self):
        while not self._items:
            try:
                await _OP.set(_PARK, self._get)
            except Cancelled:
                if self._items:
                    self._get.wake_one()
                raise
        return self.get_nowait()

    def get_nowait(self):
        if not self._items:
            raise QueueEmpty()
        v = self._items.pop(0)
        self._put.wake_one()
        return v

    def task_done(self):
        if self._unfinished <= 0:
            raise ValueError("task_done() called too many times")
        self._unfinished -= 1
        if self._unfinished == 0:
            self._done.set()

    async def join(self):
        await self._done.wait()
