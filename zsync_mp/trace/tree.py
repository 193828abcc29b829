# zsync_mp.trace.tree: zs.dump(), the task tree of a running loop.
#
# Contract
# - Reads the kernel and the tracer, changes nothing; allocates freely (it
#   is a debugging aid, never on a hot path). Not IRQ-safe.
# - The tree: TaskGroup children under the task that owns the group (one
#   "group" line per group), detached tasks under the task that spawned them
#   when tracing knows it, else at the top. Without tracing only the main
#   task and detached tasks are known (groups keep no global registry).
# - Times: park durations in the loop's clock (ms, virtual in simulation);
#   CPU figures in real µs (times=False leaves them out for stable output).
# - Async stacks: CPython's cr_await/cr_frame chain; MicroPython exposes no
#   frames, so there the stack line names the park site (what it waits on).
import sys

from ..kernel import core
from . import kinds as _tr
from .label import task_name, wait_label
from ..kernel.port import ticks_diff, trace_clock, trace_us
from ..kernel.task import group_of

_STATES = ("READY", "RUNNING", "PARKED", "SLEEPING", "CANCELLING", "DONE", "HANDED", "YIELDED")


def _clock_now(K):
    return K.clock.now() if K is not None else None


def _stack(coro):
    # CPython: the chain of awaited coroutines, outermost first.
    out = []
    c = coro
    while c is not None:
        f = getattr(c, "cr_frame", None) or getattr(c, "gi_frame", None)
        if f is None:
            break
        code = f.f_code
        path = code.co_filename.replace("\\", "/").split("/")[-1]
        out.append("%s (%s:%d)" % (code.co_name, path, f.f_lineno))
        c = getattr(c, "cr_await", None) or getattr(c, "gi_yieldfrom", None)
    return out


def _scopes(t, K, stop):
    # The task's own cancel scopes, innermost first, up to (not into) `stop`.
    out = []
    s = t.scope
    while s is not None and s is not stop:
        parts = []
        if s._group is not None:
            parts.append("TaskGroup")
        if s._deadline is not None and K is not None:
            d = K.clock.diff(s._deadline, K.clock.now())
            parts.append("deadline in %d ms" % d if d >= 0 else "deadline passed %d ms ago" % -d)
        if s.shield:
            parts.append("shielded")
        if s._cancel_called:
            parts.append("cancelled")
        out.append("%s(%s)" % (type(s).__name__.lstrip("_"), ", ".join(parts)))
        s = s._parent
    return out


def _held(st, K, now):
    # " for N ms": since the task last switched out.
    if st is None or K is None:
        return ""
    if K.clock.virtual:
        return " for %d ms" % K.clock.diff(now, st.since_ms)
    return " for %d ms" % (ticks_diff(trace_us(trace_clock()), trace_us(st.since)) // 1000)


def _state_text(t, st, K, now):
    state = t.state
    text = _STATES[state] if 0 <= state < len(_STATES) else str(state)
    held = _held(st, K, now)
    if state == core.PARKED:
        return "PARKED on %s%s" % (wait_label(t.data, t), held)
    if state == core.SLEEPING:
        if K is not None and isinstance(t.data, int):
            return "SLEEPING%s, wakes in %d ms" % (held, K.clock.diff(t.data, now))
        return "SLEEPING" + held
    if state == core.DONE:
        return "DONE (%s)" % _tr.OUTCOMES[t.data & ~core.SEEN]
    return text


def _times(st):
    if st is None:
        return ""
    st.sync()
    cpu = st.cpu_s * 1000000 + st.cpu_us
    return "  cpu %d us, %d switches, longest %d us%s" % (
        cpu, st.switches, st.max_us, ", %d overruns" % st.overruns if st.overruns else "")


def collect(tracer):
    # Every task known: (kernel, tasks, stats).
    K = core._K
    stats = tracer.stats if tracer is not None else {}
    if K is None and tracer is not None:
        K = tracer.kernel
    tasks = []
    seen = {}

    def add(t):
        if t is not None and t not in seen:
            seen[t] = 1
            tasks.append(t)

    if K is not None:
        add(K.main)
        for t in K.detached.order():
            if t not in stats:
                add(t)
    for st in sorted(stats.values(), key=_seq):
        add(st.task)
    return K, tasks, stats


def _seq(st):
    return st.seq


def parent_of(t, stats, known):
    # (parent task, group) for the tree.
    g = group_of(t)
    if g is not None:
        owner = g._scope._owner
        if owner in known:
            return owner, g
    st = stats.get(t)
    if st is not None and st.parent in known:
        return st.parent, None
    return None, None


def dump(tracer, file=None, stacks=True, times=True):
    out = file or sys.stdout
    K, tasks, stats = collect(tracer)
    now = _clock_now(K)
    known = {}
    for t in tasks:
        known[t] = 1
    kids = {}
    roots = []
    for t in tasks:
        p, g = parent_of(t, stats, known)
        if p is None:
            roots.append(t)
        else:
            kids.setdefault(p, []).append((g, t))
    where = "no loop" if K is None else ("%d ms (%s clock)" % (now, "virtual" if K.clock.virtual else "real"))
    if core._K is None and K is not None:
        where += ", loop stopped"
    print("zsync_mp dump: %d task%s at %s, tracing %s" % (
        len(tasks), "" if len(tasks) == 1 else "s", where, "on" if core.trace_hook is not None else "off"), file=out)

    def show(t, depth, stop):
        pad = "  " * depth
        st = stats.get(t)
        mark = " <- running" if t is core._cur else ""
        how = " (detached)" if group_of(t) is None and depth else ""
        print("%s%s%s: %s%s%s" % (pad, task_name(t, st), how, _state_text(t, st, K, now), _times(st) if times else "", mark), file=out)
        sc = _scopes(t, K, stop)
        if sc:
            print("%s  scopes: %s" % (pad, " < ".join(sc)), file=out)
        if stacks and t.state != core.DONE:
            frames = _stack(t.coro)
            if frames:
                print("%s  stack: %s" % (pad, " > ".join(frames)), file=out)
            elif t.state == core.PARKED:
                print("%s  stack: (no frames on this interpreter) parked at %s" % (pad, wait_label(t.data, t)), file=out)
        last_g = None
        for g, c in kids.get(t, ()):
            if g is not None and g is not last_g:
                print("%s  group (%d running):" % (pad, g._kids.n), file=out)
            last_g = g
            show(c, depth + 2 if g is not None else depth + 1, g._scope if g is not None else None)

    for t in roots:
        g = group_of(t)
        show(t, 0, g._scope if g is not None else None)
    if tracer is None:
        print("(TaskGroup children are listed only with zsync_mp.trace.enable())", file=out)


async def serve(key, stream, last):
    # trace.serve_dump(): see its docstring.
    from ..io.stream import wait_readable

    s = stream if stream is not None else sys.stdin
    raw = getattr(s, "buffer", s)
    while True:
        await wait_readable(s)
        b = _read1(s, raw)
        if not b:
            return  # the console input is closed: nobody can ask any more
        if b[0] == key:
            print("=== zsync-mp dump begin ===")
            dump(last())
            print("=== zsync-mp dump end ===")


def _read1(s, raw):
    # One byte, without blocking (the stream was just reported readable).
    try:
        import os

        return os.read(s.fileno(), 1)
    except (ImportError, AttributeError, OSError):
        return raw.read(1)
