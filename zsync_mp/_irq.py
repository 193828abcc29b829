# zsync_mp._irq: the interrupt guard.
#
# Contract
# - Only zs.Flag.set() (and reading: ticks, is_set(), done()) is IRQ-safe. An
#   interrupt can land between any two bytecodes of a task, in the middle of
#   a queue update, so any other call from a handler can corrupt the
#   scheduler on a board without a sign.
# - Inside a guarded handler (k.irq > 0) every call that changes scheduler
#   state raises RuntimeError naming the call, before it changes anything.
# - The awaitable factories (wait(), sleep(), acquire(), send(), recv()...)
#   configure the kernel's shared awaitable, which the interrupted task may be
#   half-way through configuring: they are not checked on their hot path;
#   instead the guard puts the awaitable back as it found it and raises.
# - The simulated board guards every handler, hard and soft. On a board,
#   wrap a handler with zs.irq_guard() while developing. A guarded call
#   allocates nothing, so it works in a heap-locked (hard) handler.
from . import _kernel as k

_AWAIT = k.irq_msg("an awaitable (a zsync_mp wait/sleep/acquire/send/recv...)")
_saved = [None] * 6  # the shared awaitables' state at entry


def call(handler, arg):
    """Run handler(arg) as a guarded interrupt handler."""
    s = _saved
    if k.irq == 0:
        s[0] = k._OP.prim
        s[1] = k._OP.arg
        s[2] = k._NOCHECK.prim
        s[3] = k._NOCHECK.arg
        s[4] = k._YOP.prim  # (yield_now's and Event.wait's own _Ops)
        s[5] = k._POP.prim
    k.irq += 1
    touched = False
    try:
        handler(arg)
    finally:
        k.irq -= 1
        if k.irq == 0:
            touched = _restore(s)
    if touched:
        raise RuntimeError(_AWAIT)


def _restore(s):
    # Put the shared awaitables back; True if the handler had changed them.
    o = k._OP
    n = k._NOCHECK
    y = k._YOP
    p = k._POP
    touched = o.prim is not s[0] or o.arg is not s[1] or n.prim is not s[2] or n.arg is not s[3] or y.prim is not s[4] or p.prim is not s[5]
    o.prim = s[0]
    o.arg = s[1]
    n.prim = s[2]
    n.arg = s[3]
    y.prim = s[4]
    p.prim = s[5]
    s[0] = s[1] = s[2] = s[3] = s[4] = s[5] = None
    return touched


def irq_guard(handler):
    """Wrap an interrupt handler (`pin.irq(zs.irq_guard(h))`): a zsync_mp
    call in it that is not IRQ-safe raises RuntimeError naming the call
    instead of corrupting the scheduler. Costs a call and a try/finally per
    interrupt; allocates nothing."""
    if not callable(handler):
        raise TypeError("irq_guard() needs a callable handler, got %r" % (handler,))

    def guarded(arg):
        call(handler, arg)

    return guarded
