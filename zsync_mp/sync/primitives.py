# zsync_mp.sync.primitives: Event, Flag, Lock, Semaphore, BoundedSemaphore, Condition, Barrier.
#
# Contract
# - Every blocking call parks on a WaitQueue through the kernel's one park
#   path, so cancellation and timeouts apply to all of them.
# - Event.wait/set, Flag.wait/set, Lock and Semaphore acquire/release
#   allocate nothing: they return the kernel's preallocated awaitable.
# - Locks and semaphores hand off to the longest waiter (FIFO, no barging).
# - Only Flag.set() may be called from an interrupt handler (hard or soft);
#   everything else must run in a task.
import io

from ..kernel import core
from ..kernel.core import WaitQueue, current_task, kernel, irq_msg, wake, _OP, _POP, _PARKED, _DONE
from ..scopes.cancel import CancelScope


_IRQ_SET = irq_msg("Event.set()")
_IRQ_CLEAR = irq_msg("Event.clear()")
_IRQ_SEM = irq_msg("Semaphore.try_acquire()/release()")


class Event:
    """A level-triggered event: wait() returns once set() was called, until
    clear(). Not IRQ-safe (use Flag from interrupts)."""

    def __init__(self):
        self._set = False
        self._q = WaitQueue()

    def is_set(self):
        return self._set

    def set(self):
        if core.irq:
            raise RuntimeError(_IRQ_SET)
        if not self._set:
            self._set = True
            self._q.wake_all()

    def clear(self):
        if core.irq:
            raise RuntimeError(_IRQ_CLEAR)
        self._set = False

    def wait(self):
        if self._set:
            o = _OP  # _OP.set() inlined: a call less on a hot path
            o.prim = self
            o.arg = None
            return o
        o = _POP  # not set: park on self._q at once (no _op(), no park() call)
        o.prim = self
        return o

    def _op(self, t, arg):
        if self._set:
            return None
        self._q.park(t)
        return _PARKED


class Flag(io.IOBase):
    """An interrupt-safe, auto-clearing flag with one waiter (MicroPython's
    ThreadSafeFlag). set() is IRQ-safe (hard and soft) and allocates nothing;
    wait() returns once set() was called since the last wait, and clears it."""

    def __init__(self):
        self._s = 0

    def ioctl(self, req, flags):
        if req == 3:  # MP_STREAM_POLL
            return self._s * flags
        return -22

    def set(self):
        self._s = 1
        _notify()

    def clear(self):
        self._s = 0

    def is_set(self):
        return self._s == 1

    def wait(self):
        o = _OP  # _OP.set() inlined: a call less on a hot path
        o.prim = self
        o.arg = None
        return o

    def _op(self, t, arg):
        if self._s:
            self._s = 0
            return None
        kernel().io_wait(t, self, False, True)
        return _PARKED


from ..kernel.port import notify as _notify  # noqa: E402 (here, beside Flag, its only user)


class Lock:
    """A FIFO mutex owned by the task that acquired it. `async with lock:`.
    Not reentrant. Not IRQ-safe."""

    def __init__(self):
        self._owner = None
        self._q = WaitQueue()

    def locked(self):
        return self._owner is not None

    def try_acquire(self):
        """Take the lock if it is free; returns True/False, never blocks."""
        if self._owner is None:
            self._owner = current_task()
            return True
        return False

    def acquire(self):
        return _OP.set(self, None)

    def _op(self, t, arg):
        if self._owner is None:
            self._owner = t
            return None
        if self._owner is t:
            raise RuntimeError("Lock.acquire(): this task already holds the lock (it is not reentrant)")
        self._q.park(t)
        return _PARKED

    def release(self):
        t = current_task()
        if self._owner is not t:
            raise RuntimeError("Lock.release(): the lock is %s" % ("not held" if self._owner is None else "held by another task (%r)" % self._owner))
        self._owner = self._q.hand_one()  # hand off to the longest waiter

    __aenter__ = acquire

    def __aexit__(self, et, ev, tb):
        self.release()
        return _DONE


class Semaphore:
    """A counting semaphore with FIFO handoff. `async with sem:`. Not IRQ-safe."""

    def __init__(self, value=1):
        if not isinstance(value, int) or isinstance(value, bool):
            raise TypeError("Semaphore value must be an int, got %r" % (value,))
        if value < 0:
            raise ValueError("Semaphore value must be >= 0, got %r" % value)
        self._v = value
        self._q = WaitQueue()

    @property
    def value(self):
        return self._v

    def locked(self):
        return self._v == 0

    def try_acquire(self):
        if core.irq:
            raise RuntimeError(_IRQ_SEM)
        if self._v > 0:
            self._v -= 1
            return True
        return False

    def acquire(self):
        return _OP.set(self, None)

    def _op(self, t, arg):
        if self._v > 0:
            self._v -= 1
            return None
        self._q.park(t)
        return _PARKED

    def release(self):
        if core.irq:
            raise RuntimeError(_IRQ_SEM)
        if self._q.hand_one() is None:
            self._v += 1

    __aenter__ = acquire

    def __aexit__(self, et, ev, tb):
        self.release()
        return _DONE


class BoundedSemaphore(Semaphore):
    """A Semaphore whose release() raises ValueError above its initial value."""

    def __init__(self, value=1):
        Semaphore.__init__(self, value)
        self._max = value

    def release(self):
        if self._v >= self._max:
            raise ValueError("BoundedSemaphore released more times than acquired")
        Semaphore.release(self)


class Condition:
    """wait()/notify() under a Lock (a new one unless given). Not IRQ-safe."""

    def __init__(self, lock=None):
        if lock is not None and not isinstance(lock, Lock):
            raise TypeError("Condition needs a zs.Lock, got %r" % (lock,))
        self._lock = lock if lock is not None else Lock()
        self._q = WaitQueue()
        self.locked = self._lock.locked
        self.acquire = self._lock.acquire
        self.release = self._lock.release
        self.try_acquire = self._lock.try_acquire

    def __aenter__(self):
        return self._lock.acquire()

    def __aexit__(self, et, ev, tb):
        self._lock.release()
        return _DONE

    def _op(self, t, arg):
        self._q.park(t)
        return _PARKED

    async def wait(self):
        """Release the lock, wait for notify(), re-acquire the lock (also when
        cancelled), then return."""
        t = current_task()
        if self._lock._owner is not t:
            raise RuntimeError("Condition.wait() needs the lock held by this task")
        self._lock.release()
        try:
            await _OP.set(self, None)
        finally:
            with CancelScope(shield=True):
                await self._lock.acquire()

    async def wait_for(self, predicate):
        r = predicate()
        while not r:
            await self.wait()
            r = predicate()
        return r

    def notify(self, n=1):
        if self._lock._owner is not current_task():
            raise RuntimeError("Condition.notify() needs the lock held by this task")
        while n > 0 and self._q.wake_one() is not None:
            n -= 1

    def notify_all(self):
        self.notify(1 << 30)


class _BarrierQueue(WaitQueue):
    # The waiters and their count. The kernel takes a cancelled waiter off
    # through remove(), so it leaves the count at once, not when it next runs.
    def __init__(self):
        WaitQueue.__init__(self)
        self.n = 0

    def remove(self, t):
        WaitQueue.remove(self, t)
        self.n -= 1


class Barrier:
    """await barrier.wait() blocks until `parties` tasks wait, then releases
    them all; it returns the arrival index (0..parties-1, each once per
    round, in arrival order). Reusable. A waiter cancelled while waiting
    leaves the count at once. A checkpoint. Not IRQ-safe."""

    def __init__(self, parties):
        if not isinstance(parties, int) or isinstance(parties, bool) or parties < 1:
            raise ValueError("Barrier needs parties >= 1, got %r" % (parties,))
        self.parties = parties
        self._q = _BarrierQueue()

    @property
    def n_waiting(self):
        return self._q.n

    def wait(self):
        return _OP.set(self, None)

    def _op(self, t, arg):
        q = self._q
        if q.n + 1 < self.parties:
            q.park(t)
            q.n += 1
            return _PARKED
        # The last party: the waiters get 0..n-1 in arrival order, it gets n.
        i = 0
        while q.head is not None:
            wake(q._pop(), i)
            i += 1
        q.n = 0
        return i
