# zsync_mp.trace.export: the ring buffer as text, for `zsync-mp trace`.
#
# Format (line based, version 1; zsync_mp_host/tracetool.py reads it):
#     === zsync-mp trace begin ===        (only when written to the console)
#     zsync-mp-trace 1
#     clock virtual|real
#     ticks_us_period <N>
#     events <recorded> kept <in the file>
#     task <tid> <parent tid|-> <group owner tid|-> <name>
#     ev <us> <ms> <kind> <tid> <arg text, may be empty or contain spaces>
#     end
#     === zsync-mp trace end ===
# `us` is ticks_us (wraps; the reader unwraps it), `ms` the loop's clock.
# Arg text by kind: park -> what it waits on; sleep -> ms until its
# deadline; exit -> returned/raised/cancelled (+ exception type); overrun ->
# µs it ran; timeout -> the scope type; spawn -> parent tid.
# Allocates freely: call it after the run. Not IRQ-safe.
from . import kinds as _tr
from .stat import _Stat
from .label import task_name, wait_label
from ..kernel.port import ticks_add
from ..kernel.task import group_of

BEGIN = "=== zsync-mp trace begin ==="
END = "=== zsync-mp trace end ==="


def _tid(ids, order, t):
    i = ids.get(t)
    if i is None:
        i = ids[t] = len(order) + 1
        order.append(t)
    return i


def _arg(tr, kind, t, arg, ms, ids, order, gq):
    if kind == _tr.PARK:
        text = wait_label(arg, t)
        return "its TaskGroup's children" if arg in gq else text
    if kind == _tr.SLEEP:
        K = tr.kernel
        return str(K.clock.diff(arg, ms)) if K is not None and isinstance(arg, int) else ""
    if kind == _tr.EXIT:
        text = _tr.OUTCOMES[arg.out] if isinstance(arg, _Stat) else ""
        if text == "raised" and t.coro is not None:
            text += " " + type(t.coro).__name__
        return text
    if kind == _tr.OVERRUN:
        return str(arg)
    if kind == _tr.MARK:
        return str(arg).replace("\n", " ")
    if kind == _tr.TIMEOUT:
        return type(arg).__name__.lstrip("_")
    if kind == _tr.SPAWN and isinstance(arg, _Stat) and arg.parent is not None:
        return str(_tid(ids, order, arg.parent))
    return ""


def lines(tr):
    # The trace as a list of lines (without the console markers).
    ids = {}
    order = []
    evs = []
    gq = {}  # every traced group's exit queue (its owner waits there)
    events = tr._events()
    for e in events:
        t = e[3]
        g = None if t is None else group_of(t)
        if g is not None and getattr(g, "_done", None) is not None:
            gq[g._done] = 1
    for us, ms, k, t, arg in events:
        if t is None:
            continue
        tid = _tid(ids, order, t)
        a = _arg(tr, k, t, arg, ms, ids, order, gq)
        evs.append("ev %d %d %s %d %s" % (us, ms, _tr.KINDS[k], tid, a))
    out = ["zsync-mp-trace 1", "clock %s" % ("virtual" if tr.virtual else "real"),
           "ticks_us_period %d" % (ticks_add(0, -1) + 1),
           "events %d kept %d" % (tr.count, len(evs))]
    j = 0
    while j < len(order):  # order grows while parents are named
        t = order[j]
        st = tr.stat(t)
        parent = st.parent if st is not None else None
        g = group_of(t)
        owner = g._scope._owner if g is not None else None
        p = str(_tid(ids, order, parent)) if parent is not None else "-"
        o = str(_tid(ids, order, owner)) if owner is not None else "-"
        name = task_name(t, st).replace("\n", " ")
        out.append("task %d %s %s %s" % (ids[t], p, o, name))
        j += 1
    out.extend(evs)
    out.append("end")
    return out


def save(tr, dest=None):
    ls = lines(tr)
    if dest is None:
        print(BEGIN)
        for ln in ls:
            print(ln)
        print(END)
        return
    if isinstance(dest, str):
        with open(dest, "w") as f:
            for ln in ls:
                f.write(ln + "\n")
        return
    if not hasattr(dest, "write"):
        raise TypeError("trace.save() needs a path, a stream with write() or None, got %r" % (dest,))
    for ln in ls:
        dest.write(ln + "\n")
