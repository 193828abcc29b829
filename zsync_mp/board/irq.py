# zsync_mp.board.irq: the interrupt guard.
#
# Contract
# - Only zs.Flag.set() (and reading: ticks, is_set(), done()) is IRQ-safe. An
#   interrupt can land between any two bytecodes of a task, in the middle of
#   a queue update, so any other call from a handler can corrupt the
#   scheduler on a board without a sign.
# - Inside a guarded handler (core.irq > 0) every call that changes scheduler
#   state raises RuntimeError naming the call, before it changes anything.
# - The awaitable factories (wait(), sleep(), acquire(), send(), recv()...)
#   configure the kernel's shared awaitable, which the interrupted task may be
#   half-way through configuring: they are not checked on their hot path;
#   instead the guard puts the awaitable back as it found it and raises.
# - The simulated board guards every handler, hard and soft. On a board,
#   wrap a handler with zs.irq_guard() while developing. A guarded call
#   allocates nothing, so it works in a heap-locked (hard) handler.
from ..kernel import core

_AWAIT = core.irq_msg("an awaitable (a zsync_mp wait/sleep/acquire/send/recv...)")
_OPS = (core._OP, core._NOCHECK, core._YOP, core._POP)  # the shared awaitables (see core.resched)
_N = 2 * len(_OPS)
_saved = [None] * _N  # their (prim, arg) at entry


# call(), _save() and _restore() run in every guarded handler: each keeps
# its frame within MicroPython's 11 words, or a soft handler would allocate
# it at every interrupt (tools/frames.py).
def call(handler, arg):
    """Run handler(arg) as a guarded interrupt handler."""
    if core.irq == 0:
        _save()
    core.irq += 1
    touched = False
    try:
        handler(arg)
    finally:
        core.irq -= 1
        if core.irq == 0:
            touched = _restore()
    if touched:
        raise RuntimeError(_AWAIT)


def _save():
    # The shared awaitables' (prim, arg) at entry, into _saved.
    i = 0
    while i < _N:
        o = _OPS[i >> 1]
        _saved[i] = o.prim
        _saved[i + 1] = o.arg
        i += 2


def _restore():
    # Put the shared awaitables back; True if the handler had changed them.
    touched = False
    i = 0
    while i < _N:
        o = _OPS[i >> 1]
        if o.prim is not _saved[i] or o.arg is not _saved[i + 1]:
            touched = True
        o.prim = _saved[i]
        o.arg = _saved[i + 1]
        _saved[i] = _saved[i + 1] = None
        i += 2
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
