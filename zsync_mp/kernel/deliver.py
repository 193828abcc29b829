# zsync_mp.kernel.deliver: delivering cancellation, and throwing into a parked task.
#
# Contract (Trio's model; DESIGN.md "Cancellation")
# - Every task has a root scope, cancelled by Task.cancel(). A task's chain
#   runs through its own scopes, then its group's scope into the owner's
#   chain, and so on up: cancelling a task (its root scope) reaches every
#   child and grandchild of the groups it owns; a shielded scope stops the
#   walk, so what is inside it is not cancelled.
# - check_cancel(t) raises at a checkpoint if a cancelled scope or root is
#   reached before a shield; the kernel calls it only while _kernel.pending
#   says some cancellation is outstanding.
# - kick(t) takes a parked or sleeping task that is effectively cancelled off
#   its queue (t.data), so every primitive is cancellable without code of its
#   own; a task waiting in the run queue at a bare checkpoint (YIELDED:
#   yield_now(), a sleep that ended) gets the Cancelled there instead of the
#   wake-up, as Trio checks after its schedule point. throw(t, exc) raises
#   exc at the await of a parked task.
# - asyncio tasks (_cancel_once) are cancelled once per cancel() call, and only
#   their own cancel() counts: an asyncio parent's cancel() reaches its
#   children through its TaskGroup, as in asyncio.
# - A Cancelled that cannot be allocated (heap locked or full) is the
#   preallocated one: a cancellation never turns into a MemoryError.
# - No running loop (a coroutine closed after run() ended): nothing to do.
from . import core
from .core import PARKED, SLEEPING, THROW, YIELDED, KICKED, cancel_source, consume_cancel


def throw(t, exc):
    # Make a parked task ready; `exc` is raised at its await.
    if core._K is None:
        return
    unpark(t)
    t.data = exc
    core._K.push(t)
    t.state = THROW


def unpark(t):
    if t.state == PARKED:
        t.data.remove(t)
    elif t.state == SLEEPING:
        core._K.unsleep(t)


def kick(t):
    # Deliver a cancellation now to a task that waits (parked, sleeping, or
    # queued at a bare checkpoint) and is effectively cancelled. Running,
    # new, woken and handed tasks see it at their next checkpoint.
    st = t.state
    if (st != PARKED and st != SLEEPING and st != YIELDED) or core._K is None:
        return  # (no loop: a coroutine being closed after run() ended)
    if cancel_source(t) is None:
        return
    if t._cancel_once and t._cancel_requested:
        consume_cancel(t)
    # The Cancelled itself is made when the task runs (the loop turns KICKED
    # into cancelled_exc(t)): cancelling 10,000 tasks at once must not need
    # 10,000 exceptions at once.
    if st == YIELDED:  # already in the run queue: replace its wake-up
        t.state = THROW
        t.data = KICKED
    else:
        throw(t, KICKED)


def kick_inside(scope, task=None):
    # A cancellation reached `scope` (or, with `task`, that task's root):
    # kick the children of every open group inside it now, at any depth, as
    # Trio aborts the whole tree at once (not when each owner next runs).
    # Walks the kernel's open groups in entry order; allocates nothing.
    K = core._K
    if K is None:
        return
    g = K.groups.head
    while g is not None:
        s = g._scope
        while s is not None:
            if s is scope or s._owner is task:
                g._kids.each(kick)
                break
            s = s._parent
        g = g.next
