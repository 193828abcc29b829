# zsync_mp._deliver: delivering cancellation, and throwing into a parked task.
#
# Contract
# - check_cancel(t) raises at a checkpoint if an unshielded enclosing scope of
#   t was cancelled, or cancel() was called on it; the kernel calls it only
#   while _kernel.pending says some cancellation is outstanding.
# - kick(t) unparks a parked or sleeping task that is effectively cancelled,
#   through the queue it waits on (t.data), so every primitive is cancellable
#   without code of its own; throw(t, exc) raises exc at its await.
# - A Cancelled that cannot be allocated (heap locked or full) is the
#   preallocated one: a cancellation never turns into a MemoryError.
# - No running loop (a coroutine closed after run() ended): nothing to do.
from . import _kernel as k
from ._kernel import Cancelled, PARKED, SLEEPING, THROW


def check_cancel(t):
    # Raise Cancelled if t is effectively cancelled: an unshielded enclosing
    # scope was cancelled, or cancel() was called on the task.
    s = t.scope
    while s is not None:
        if s._cc:
            raise cancelled_exc(t)
        if s.shield:
            return
        s = s._parent
    if t._creq:
        if t._edge:
            consume_cancel(t)
        raise cancelled_exc(t)


_CANCELLED = Cancelled()  # raised when the heap has no room for a new one


def cancelled_exc(t):
    # A new Cancelled of the task's kind; under heap_lock or exhaustion the
    # preallocated one, so a cancellation is never turned into a MemoryError.
    try:
        return t._cexc()
    except MemoryError:
        return _CANCELLED


def consume_cancel(t):
    # An edge-triggered (asyncio) cancel() request is delivered: forget it.
    t._creq = False
    k.pending -= 1


def is_cancelled(t):
    try:
        check_cancel(t)
    except Cancelled:
        return True
    return False


def throw(t, exc):
    # Make a parked task ready; `exc` is raised at its await.
    if k._K is None:
        return
    unpark(t)
    t.data = exc
    k._K.push(t)
    t.state = THROW


def unpark(t):
    if t.state == PARKED:
        t.data.remove(t)
    elif t.state == SLEEPING:
        k._K.unsleep(t)


def kick(t):
    # Unpark t with Cancelled if it is effectively cancelled and parked.
    # Ready and running tasks see the cancellation at their next checkpoint.
    st = t.state
    if (st != PARKED and st != SLEEPING) or k._K is None:
        return  # (no loop: a coroutine being closed after run() ended)
    if is_cancelled(t):
        if t._edge and t._creq:
            consume_cancel(t)
        throw(t, cancelled_exc(t))
