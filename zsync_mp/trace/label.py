# zsync_mp.trace.label: names for what tasks wait on, and for tasks.
#
# Contract
# - label(obj, text) names a primitive (and the wait queues it holds) in a
#   dict keyed by the object itself; the label lives as long as the object
#   is in that dict (labels are for long-lived primitives, not per message).
# - wait_label() and task_name() are for dumps and exports: they allocate
#   and are never called from the kernel's hooks on the hot path.
# - Not IRQ-safe.
from ..kernel import core

_labels = {}  # object -> label (primitives, wait queues, pollables)


def label(obj, text):
    """Name a primitive (Event, Lock, Flag, channel end, UART...) for dumps
    and traces: its wait queues are labelled too. Returns obj."""
    if not isinstance(text, str):
        raise TypeError("a trace label must be a str, got %r" % (text,))
    _labels[obj] = text
    _label_queues(obj, text, 2)
    return obj


def _label_queues(obj, text, depth):
    # Label the WaitQueues an object holds (Event._q, a channel's queues).
    try:
        items = obj.__dict__.items()
    except AttributeError:
        return
    for k, v in items:
        if isinstance(v, core.WaitQueue):
            _labels[v] = "%s (full)" % text if k == "sendq" else text
        elif depth > 1 and k == "_st":
            _label_queues(v, text, depth - 1)


def coro_name(c):
    # A coroutine's function name on both interpreters, else None.
    n = getattr(c, "__qualname__", None) or getattr(c, "__name__", None)
    if n is not None:
        return n
    r = repr(c)
    if r.startswith("<generator object '"):
        return r[19:r.find("'", 19)]
    return None


def task_name(t, s=None):
    """A task's display name: its name, else its coroutine's function name."""
    if t.name is not None:
        return t.name
    c = s.coro if s is not None else (t.coro if t.state != core.DONE else None)
    n = coro_name(c) if c is not None else None
    return n or "task"


def wait_label(obj, t=None):
    """What a parked task waits on, as text: a label(), else what the
    object is (`task X` for `await task`, the group for a TaskGroup exit,
    the pollable's type for I/O), else its type name."""
    if obj is None:
        return "?"
    text = _labels.get(obj)
    if text is not None:
        return text
    if isinstance(obj, core.TaskWaiters):
        return "task %s" % task_name(obj.task)
    if hasattr(obj, "rd") and hasattr(obj, "obj"):  # the kernel's I/O slot
        text = _labels.get(obj.obj)
        return text if text is not None else type(obj.obj).__name__
    owner = getattr(obj, "owner", None)  # a queue that knows its primitive
    if owner is not None:
        text = _labels.get(owner)
        return text if text is not None else type(owner).__name__
    s = t.scope if t is not None else None
    while s is not None:
        g = s._group
        if g is not None and getattr(g, "_done", None) is obj:
            return "its TaskGroup's children"
        s = s._parent
    return type(obj).__name__
