# zsync_mp.io.greenfiber: the fiber backend for CPython, on greenlet.
# zsync-mp: host-only (never frozen, deployed or installed by mip: boards have _zsync_fiber)
#
# Contract: exactly the backend contract written at the top of _fiber.py
# (Fiber(func, stack_size=0), .switch(), .throw(), .done, .close(),
# suspend(), current()); _zsync_fiber implements the same in C for
# MicroPython, and the same tests run on both.
# - A fiber returns to whoever switched into it last: switch() re-parents the
#   greenlet to the caller, so suspend() and the fiber's end go back there.
# - A fiber that is running (the current one, or one waiting in its own
#   switch() for a fiber it started) cannot be switched into again.
# - stack_size is checked but ignored: greenlet copies stack slices on demand.
# - close() throws GeneratorExit (not GreenletExit) so `except GeneratorExit`
#   and `finally` behave the same on both backends.
# - Nothing here is IRQ-safe; a fiber belongs to the thread that created it.
from greenlet import greenlet, getcurrent

NEW = 0  # created, func not started
SUSPENDED = 1  # in suspend(), or started and waiting to be resumed
RUNNING = 2  # current, or inside its own switch() into a nested fiber
DONE = 3  # func returned or raised, or close() ended it


class _G(greenlet):
    # The greenlet of a Fiber; `fiber` finds the Fiber from getcurrent().
    fiber = None


class Fiber:
    """Fiber(func, stack_size=0): run func() on its own stack, switching in
    with switch()/throw() and out with suspend(). Not IRQ-safe."""

    def __init__(self, func, stack_size=0):
        if not callable(func):
            raise TypeError("Fiber needs a callable, got %r" % (func,))
        if not isinstance(stack_size, int) or isinstance(stack_size, bool) or stack_size < 0:
            raise ValueError("Fiber stack_size must be an int >= 0 (0: the port's default), got %r" % (stack_size,))
        self._g = _G(func)
        self._g.fiber = self
        self._back = None  # the greenlet that switched in last (g.parent)
        self._st = NEW

    @property
    def done(self):
        return self._st == DONE

    def switch(self, value=None):
        """Start func() or resume the fiber (its suspend() returns `value`).
        Returns what the fiber passed to suspend(), or func's result."""
        return self._enter(None, value)

    def throw(self, exc):
        """Resume the fiber raising `exc` at its suspend()."""
        if isinstance(exc, type):
            exc = exc()
        if not isinstance(exc, BaseException):
            raise TypeError("Fiber.throw needs an exception, got %r" % (exc,))
        return self._enter(exc, None)

    def _enter(self, exc, value):
        st = self._st
        if st == DONE:
            raise RuntimeError("fiber is done")
        if st == RUNNING:
            raise RuntimeError("fiber is already running")
        g = self._g
        cur = getcurrent()
        if self._back is not cur:
            g.parent = cur
            self._back = cur
        self._st = RUNNING
        try:
            if exc is not None:
                r = g.throw(exc)  # unstarted: ends at once, exc raised here
            elif st == NEW:
                r = g.switch()
            else:
                r = g.switch(value)
        except BaseException:
            self._ended()
            raise
        if g.dead:
            self._ended()
        else:
            self._st = SUSPENDED
        return r

    def _ended(self):
        self._st = DONE
        g = self._g
        if g is not None:
            g.fiber = None  # break the Fiber <-> greenlet cycle
            self._g = None
            self._back = None

    def close(self):
        """End a suspended fiber: GeneratorExit is raised at its suspend() so
        its finally blocks run, then its stack is freed. Idempotent."""
        st = self._st
        if st == DONE:
            return
        if st == RUNNING:
            raise RuntimeError("cannot close a running fiber")
        if st == NEW:
            self._ended()
            return
        try:
            self._enter(GeneratorExit(), None)
        except GeneratorExit:
            return
        if self._st != DONE:
            raise RuntimeError("fiber ignored GeneratorExit")


def suspend(value=None):
    """Switch back to whoever resumed the current fiber, passing `value`;
    returns the value of the next switch() (or raises what throw() sends)."""
    g = getcurrent()
    if getattr(g, "fiber", None) is None:
        raise RuntimeError("suspend() outside a fiber")
    return g.parent.switch(value)


def current():
    """The running Fiber, or None outside any fiber."""
    return getattr(getcurrent(), "fiber", None)
