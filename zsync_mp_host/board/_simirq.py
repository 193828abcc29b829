# _simirq: how the simulated board runs interrupt handlers.
#
# Contract
# - Handlers run synchronously at the edge (or timer expiry), in the order the
#   edges happened; an edge raised inside a handler runs after it returns
#   (handlers do not nest, as with one IRQ priority). disable_irq() defers
#   them until enable_irq().
# - A hard handler runs with micropython.heap_lock() held on MicroPython, so
#   allocating raises MemoryError as on a board. CPython cannot lock its heap:
#   there hard handlers only run at the same point. Simulated register writes
#   called from a hard handler (Pin.value...) unlock around themselves via
#   unlocked(), since on a board they allocate nothing.
# - Every handler runs under zsync_mp's interrupt guard (zsync_mp/board/irq.py)
#   when zsync_mp is importable: a zsync_mp call that is not IRQ-safe raises
#   RuntimeError naming it, which a board would not tell you.
# - An exception in a handler is printed to stderr ("Uncaught exception in
#   IRQ callback handler"), recorded in irq_errors, and the handler is
#   disabled, as MicroPython does. A reset (SystemExit) passes through.
import sys

try:
    import micropython

    _lock = micropython.heap_lock
    _unlock = micropython.heap_unlock
except (ImportError, AttributeError):
    _lock = _unlock = None

try:
    from zsync_mp.board.irq import call as _run
except ImportError:  # the simulated machine without zsync_mp

    def _run(h, arg):
        h(arg)


if sys.implementation.name == "micropython":
    print_exception = sys.print_exception
else:
    import traceback

    def print_exception(e, file=None):
        traceback.print_exception(type(e), e, e.__traceback__, file=file)


class IrqDispatch:
    # Mixed into the board core; needs note() and ms().
    hard = 0  # depth of hard handlers running (heap locked)
    _dispatching = False
    _irq_off = 0

    # An IRQ fired: run its handler now (after the one running, if any).
    def irq(self, handler, arg, hard, owner):
        self._pending.append((handler, arg, hard, owner))
        if self._dispatching or self._irq_off:
            return
        self.dispatch()

    def dispatch(self):
        self._dispatching = True
        try:
            p = self._pending
            while p and not self._irq_off:
                h, arg, hard, owner = p.pop(0)
                if owner.handler is h:  # still enabled
                    self._call(h, arg, hard, owner)
        finally:
            self._dispatching = False

    def _call(self, h, arg, hard, owner):
        err = None
        if hard and _lock is not None:
            self.hard += 1
            _lock()
            try:
                _run(h, arg)
            except BaseException as e:  # noqa: B902 (reported below, unlocked)
                err = e
            _unlock()
            self.hard -= 1
        else:
            try:
                _run(h, arg)
            except BaseException as e:
                err = e
        if err is None:
            return
        if isinstance(err, (SystemExit, KeyboardInterrupt)):
            raise err
        owner.handler = None
        self.irq_errors.append((self.ms(), owner, repr(err)))
        self.note("irq error in %s: %r (handler disabled)" % (owner, err))
        print("Uncaught exception in IRQ callback handler", file=sys.stderr)
        print_exception(err, sys.stderr)

    def disable_irq(self):
        self._irq_off += 1
        return self._irq_off

    def enable_irq(self, state=0):
        self._irq_off = 0 if state <= 1 else state - 1
        if not self._irq_off and self._pending and not self._dispatching:
            self.dispatch()

# Run f(a, b) from inside a hard handler with the heap unlocked: simulated
# register writes must not fail where a board's would not allocate.
def unlocked(f, a, b):
    _unlock()
    try:
        return f(a, b)
    finally:
        _lock()


def locks():
    return _lock is not None
