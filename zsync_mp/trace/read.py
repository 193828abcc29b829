# zsync_mp.trace.read: the trace ring read back as events, for events(),
# the exporters and stat(). Allocates freely: after the run. Not IRQ-safe.
#
# A step slot (its switch-in time set) is one task step: it reads as RUN at
# the switch-in time, then the events recorded during the step (written
# before the slot: the step's hook runs at its end), then the switch-out
# event that the task's state at the end names. Events recorded between
# steps carry _OUTSIDE, so they never move after a RUN; a SPAWN that the
# step's hook adds for a task first seen carries _PRE and reads before it.
from . import kinds as _tr
from ..kernel.port import trace_us

_PRE_SPAWN = _tr.SPAWN | _tr.PRE
_STEP_KIND = (_tr.YIELD, _tr.YIELD, _tr.PARK, _tr.SLEEP, _tr.YIELD, _tr.EXIT, _tr.YIELD, _tr.YIELD)


def slots(tr):
    # The ring's slots, oldest first: lists of the _W fields.
    W = _tr.SLOT
    r = tr.r
    end = tr.end
    start = tr.i if tr.full else 0
    n = end if tr.full else tr.i
    out = []
    for j in range(0, n, W):
        i = (start + j) % end
        if r[i + 2] is not None:
            out.append(r[i:i + W])
    return out


def expand(tr):
    # The newest tr.cap events, oldest first: (us, ms, kind, task, arg), us
    # as ticks_us.
    us = trace_us
    sl = slots(tr)
    out = []
    pending = []
    j = 0
    while j < len(sl):
        e = sl[j]
        j += 1
        kind = e[2]
        if e[5] is None:  # an event
            ev = (us(e[0]), e[1] or 0, kind & 31, e[3], e[4])
            if kind & _tr.OUTSIDE:
                out.extend(pending)
                pending = []
                out.append(ev)
            else:
                pending.append(ev)
            continue
        t = e[3]
        ms = e[1] or 0
        if j < len(sl) and sl[j][5] is None and sl[j][2] & ~_tr.OUTSIDE == _PRE_SPAWN and sl[j][3] is t:
            p = sl[j]  # the SPAWN of a task first seen at this step's end
            j += 1
            out.append((us(p[0]), p[1] or 0, _tr.SPAWN, t, p[4]))
        out.append((us(e[5]), ms, _tr.RUN, t, None))
        out.extend(pending)
        pending = []
        st = kind if 0 <= kind < len(_STEP_KIND) else 0
        k = _STEP_KIND[st]
        out.append((us(e[0]), ms, k, t, e[4] if k != _tr.YIELD else None))
    out.extend(pending)
    return out[-tr.cap:] if len(out) > tr.cap else out
