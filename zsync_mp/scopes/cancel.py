# zsync_mp.scopes.cancel: cancel scopes, timeouts and cancel tokens.
#
# Contract
# - A CancelScope is entered by one task; scopes nest through _parent, and a
#   task spawned in a TaskGroup continues its chain at the group's scope, so
#   cancelling an outer scope reaches the children at their next checkpoint.
# - A scope catches only the Cancelled caused by its own cancellation; a
#   shielded scope hides every outer cancellation until it exits.
# - A deadline is a timer entry in the kernel's heap; nothing polls.
# - Nothing here is IRQ-safe: from a guarded interrupt handler
#   (zsync_mp.board.irq) a call that changes state raises RuntimeError first.
from ..kernel import core
from ..kernel.core import Cancelled, WaitQueue, current_task, irq_msg, is_cancelled, _OP, _PARKED
from ..kernel.deliver import kick, kick_inside
from ..kernel.timing import to_ms
from ..kernel.port import TimeoutBase


_IRQ_SCOPE = irq_msg("CancelScope.cancel()/deadline")
_IRQ_TOKEN = irq_msg("CancelToken.cancel()/child()")


class TimeoutError(TimeoutBase):
    """Raised by fail_after()/fail_at() when the deadline passes."""


class Deadline:
    # An object with at most one live entry in the kernel's timer heap
    # (CancelScope, asyncio.timeout): _due() runs when that entry fires.
    _armed = None  # the deadline our live timer entry is for

    def _set_timer(self, key):
        core._K.add_timer(key, self)  # first: a MemoryError leaves nothing armed
        self._armed = key

    def _disarm(self):
        if self._armed is not None:
            self._armed = None
            core._K.live -= 1

    def _timer_live(self, key):
        return self._armed == key

    def _timer(self, key):
        if self._armed == key:
            self._due()


class CancelScope(Deadline):
    """with CancelScope(deadline=None, shield=False) as scope: ...

    `deadline` is absolute, in zs.ticks_ms() ticks (None: no deadline).
    cancel() cancels everything inside, including TaskGroup children; after
    exit `cancelled_caught` says whether the scope swallowed its Cancelled.
    Not IRQ-safe."""

    _group = None

    def __init__(self, deadline=None, shield=False):
        if deadline is not None and (not isinstance(deadline, int) or isinstance(deadline, bool)):
            raise TypeError("deadline must be int ticks (zs.ticks_ms()) or None, got %r" % (deadline,))
        self._deadline = deadline
        self._rel = None  # relative ms, turned into a deadline on entry
        self.shield = bool(shield)
        self._cancel_called = False
        self._parent = None
        self._owner = None
        self._active = False
        self.cancelled_caught = False

    def __enter__(self):
        t = current_task()
        if self._owner is not None:
            raise RuntimeError("a CancelScope can be entered only once")
        self._owner = t
        self._parent = t.scope
        t.scope = self
        self._active = True
        if self._cancel_called:
            core.pending += 1
        if self._rel is not None:
            c = core._K.clock
            self._deadline = c.add(c.now(), self._rel + c.slack)
        if self._deadline is not None:
            self._arm_entered()
        return self

    def _arm_entered(self):
        # (Apart from __enter__, whose frame then fits MicroPython's stack.)
        try:
            self._arm()
        except MemoryError:  # no room for the timer entry
            self._unenter()
            raise

    def _unenter(self):
        # Entering failed for lack of memory: leave the task's chain as it
        # was, so the MemoryError is what the enclosing code sees.
        self._owner.scope = self._parent
        self._disarm()
        self._active = False
        if self._cancel_called:
            core.pending -= 1

    def __exit__(self, et, ev, tb):
        t = self._owner
        if t.scope is not self:
            raise RuntimeError("cancel scopes must be exited in the reverse order they were entered")
        t.scope = self._parent
        self._disarm()
        self._active = False
        if self._cancel_called:
            core.pending -= 1
        # Ours only if no enclosing scope (or the task's root) is cancelled
        # too and visible from here: then that one catches it (Trio's rule).
        if et is not None and issubclass(et, Cancelled) and self._cancel_called and (self.shield or not is_cancelled(t)):
            self.cancelled_caught = True
            return True
        return False

    def cancel(self):
        """Cancel the scope; idempotent. Safe before entry and after exit."""
        if core.irq:
            raise RuntimeError(_IRQ_SCOPE)
        if self._cancel_called:
            return
        self._cancel_called = True
        if self._active:
            core.pending += 1
            self._disarm()
            kick(self._owner)
            kick_inside(self)

    @property
    def cancel_called(self):
        return self._cancel_called

    @property
    def deadline(self):
        return self._deadline

    @deadline.setter
    def deadline(self, value):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise TypeError("deadline must be int ticks or None, got %r" % (value,))
        if core.irq:
            raise RuntimeError(_IRQ_SCOPE)
        self._disarm()
        self._deadline = value
        self._rel = None
        if self._active and value is not None:
            self._arm()

    def _arm(self):
        # A deadline at or before now cancels at once (fail_after(0) and
        # move_on_at(<past>) included): the next checkpoint raises.
        if self._cancel_called:
            return
        c = core._K.clock
        if self._rel == 0 or c.diff(self._deadline, c.now()) <= 0:
            self.cancel()
        else:
            self._set_timer(self._deadline)

    def _due(self):
        if core.trace_hook is not None:
            core.trace_hook.timeout(self)
        self.cancel()


def move_on_at(deadline, shield=False):
    """A CancelScope that cancels its body at `deadline` (ticks) and goes on."""
    return CancelScope(deadline, shield)


def move_on_after(seconds, shield=False):
    """A CancelScope that cancels its body after `seconds` and goes on;
    check scope.cancelled_caught to know whether it timed out. An infinite
    `seconds` sets no deadline."""
    s = CancelScope(None, shield)
    s._rel = to_ms(seconds, "move_on_after")
    return s


class _FailScope(CancelScope):
    def __exit__(self, et, ev, tb):
        r = CancelScope.__exit__(self, et, ev, tb)
        if self.cancelled_caught:
            raise TimeoutError("deadline exceeded")
        return r


def fail_at(deadline, shield=False):
    """Like move_on_at() but raises zs.TimeoutError when the deadline passes."""
    return _FailScope(deadline, shield)


def fail_after(seconds, shield=False):
    """Like move_on_after() but raises zs.TimeoutError when it times out
    (an infinite `seconds` sets no deadline)."""
    s = _FailScope(None, shield)
    s._rel = to_ms(seconds, "fail_after")
    return s


class _TokenScope(CancelScope):
    def __init__(self, token):
        CancelScope.__init__(self)
        self._token = token

    def __enter__(self):
        CancelScope.__enter__(self)
        if self._token.cancelled:
            self.cancel()
        else:
            try:
                self._token._scopes.append(self)
            except MemoryError:
                self._unenter()
                raise
        return self

    def __exit__(self, et, ev, tb):
        try:
            self._token._scopes.remove(self)
        except ValueError:
            pass
        return CancelScope.__exit__(self, et, ev, tb)


class CancelToken:
    """A cancellation signal to pass around. cancel() cancels this token and
    every child (never the parent); `with token.scope():` cancels a block when
    the token is cancelled; `await token.wait()` waits for it.

    `with root.child() as tok:` (or tok.close()) detaches a child from its
    parent when its user is done with it, so a long-lived root with one
    child per request stays flat; a child that is cancelled detaches too.
    A detached token no longer follows its parent. Not IRQ-safe."""

    prev = None  # links among its parent's children
    next = None

    def __init__(self):
        self.cancelled = False
        self._parent = None
        self._kids = None  # a WaitQueue chaining the children, once there is one
        self._scopes = []
        self._waiters = None  # a WaitQueue of tasks in wait(), once there is one

    def child(self):
        if core.irq:
            raise RuntimeError(_IRQ_TOKEN)
        c = CancelToken()
        if self.cancelled:
            c.cancelled = True
        else:
            if self._kids is None:
                self._kids = WaitQueue()
            self._kids.append(c)
            c._parent = self
        return c

    def close(self):
        """Detach from the parent (idempotent); children stay attached to
        this token."""
        p = self._parent
        if p is not None:
            self._parent = None
            p._kids.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, et, ev, tb):
        self.close()

    def cancel(self):
        if core.irq:
            raise RuntimeError(_IRQ_TOKEN)
        if self.cancelled:
            return
        self.cancelled = True
        self.close()
        for s in self._scopes:
            s.cancel()
        q = self._kids
        if q is not None:
            c = q.head  # in creation order
            q.head = q.tail = None
            while c is not None:
                n = c.next
                c._parent = None
                c.next = c.prev = None
                c.cancel()
                c = n
        if self._waiters is not None:
            self._waiters.wake_all()

    def scope(self):
        return _TokenScope(self)

    def wait(self):
        return _OP.set(self, None)

    def _op(self, t, arg):  # the kernel's park protocol (kernel/core.py _Op)
        if self.cancelled:
            return None
        if self._waiters is None:
            self._waiters = WaitQueue()
        self._waiters.park(t)
        return _PARKED
