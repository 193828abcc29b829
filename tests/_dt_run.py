# The differential-test language and its one interpreter (issue 15, "The oracle").
#
# A program is plain data (JSON): {"cap": [c0, c1], "main": [op, ...]}, the
# body of the main task. Ops (JSON arrays; names and values are unique,
# assigned by tests/_dt_gen.py):
#   ["sleep", ms]                     sleep ms (0: a checkpoint)
#   ["check"]                         a bare checkpoint (yield_now / trio checkpoint)
#   ["group", [[name, ops], ...], ops]  open a TaskGroup, spawn the named
#                                     children into it, run the body ops, exit
#   ["cancel", name]                  cancel that task by handle (no-op if not spawned yet)
#   ["cancel_group"]                  cancel the innermost group this task opened
#   ["scope", kind, ms, shield, ops]  kind "move" (move_on_after), "fail"
#                                     (fail_after), "none" (a plain CancelScope)
#   ["send", ch, v] ["recv", ch] ["close_tx", ch] ["close_rx", ch]   channel ch (0/1),
#                                     shared handles; a closed-channel error is an event
#   ["lock", l, hold_ms]              acquire lock l, sleep hold_ms, release
#   ["set", e] ["wait", e]            Event e
#   ["raise"]                         raise Boom
#   ["try", ops]                      run ops, catching any Exception as an event
# The main task body runs inside an outer move_on_after(LIMIT_MS), so a
# program that would block for ever ends at LIMIT_MS on every target.
#
# Observable result: {"ev": {task: [[ms, event], ...]}, "out": {task: outcome}}
# with outcome "returned", "cancelled" or "raised <desc>" (desc normalises
# exception types: Boom, Timeout, Closed, group(<sorted descs>)).
#
# run_ops() is written once against an adapter (one per target):
# _dt_zs.py (zsync_mp, CPython and MicroPython), _dt_trio.py (Trio),
# _dt_aio.py (CPython asyncio and zsync_mp.asyncio). Portable: no f-strings
# needing 3.8+, no async generators, no ExceptionGroup syntax.
LIMIT_MS = 10000


class Boom(Exception):
    pass


class Adapter:
    # The calls most targets spell the same way; an adapter overrides the rest.
    def acquire(self, lk):
        return lk.acquire()

    def release(self, lk):
        lk.release()

    def set(self, e):
        e.set()

    def wait(self, e):
        return e.wait()

    def close(self, end):
        end.close()


class World:
    # What one run observed, plus the shared handles an adapter creates.
    def __init__(self, ad, prog):
        self.ad = ad
        self.ev = {}
        self.out = {}
        self.handles = {}
        caps = prog.get("cap", [1, 1])
        self.chans = [ad.channel(c) for c in caps]
        self.locks = [ad.lock(), ad.lock()]
        self.events = [ad.event(), ad.event()]

    def note(self, name, what):
        self.ev.setdefault(name, []).append([self.ad.now_ms(), what])

    def result(self):
        return {"ev": self.ev, "out": self.out}


def _subs(ad, e):
    # The members of an exception group that are not Cancelled (Trio wraps a
    # nursery's Cancelled in a BaseExceptionGroup), or None if e is no group.
    subs = getattr(e, "exceptions", None)
    if isinstance(subs, (list, tuple)) and ad.is_group(e):
        return [x for x in subs if not isinstance(x, ad.cancelled_exc) and _subs(ad, x) != []]
    return None


def outcome(ad, e):
    # "cancelled" or "raised <desc>" for an exception that ended a task.
    if isinstance(e, ad.cancelled_exc) or _subs(ad, e) == []:
        return "cancelled"
    return "raised " + desc(ad, e)


def desc(ad, e):
    # A target-independent name for an exception.
    subs = _subs(ad, e)
    if subs is not None:
        return "group(%s)" % ",".join(sorted(desc(ad, x) for x in subs))
    if isinstance(e, Boom):
        return "Boom"
    if isinstance(e, ad.timeout_exc):
        return "Timeout"
    if isinstance(e, ad.closed_exc):
        return "Closed"
    return "%s: %s" % (type(e).__name__, e)


async def task_body(w, name, ops):
    # A task: notes its start, runs its ops and records how it ended.
    ad = w.ad
    w.note(name, "start")
    try:
        await run_ops(w, name, ops, [])
    except BaseException as e:  # noqa: B902 (recorded, then re-raised for the group)
        w.out[name] = outcome(ad, e)
        raise
    w.out[name] = "returned"


async def run_ops(w, name, ops, groups):
    for op in ops:
        await run_op(w, name, op, groups)


async def run_op(w, name, op, groups):
    ad = w.ad
    kind = op[0]
    if kind == "sleep":
        await ad.sleep(op[1])
        w.note(name, "slept %d" % op[1])
    elif kind == "check":
        await ad.check()
        w.note(name, "checked")
    elif kind == "group":
        g = ad.group()
        async with g as tg:
            groups.append(tg)
            try:
                for child, cops in op[1]:
                    w.handles[child] = ad.spawn(tg, child, task_body(w, child, cops))
                await run_ops(w, name, op[2], groups)
            finally:
                groups.pop()
        w.note(name, "group done")
    elif kind == "cancel":
        h = w.handles.get(op[1])
        w.note(name, "cancel %s%s" % (op[1], "" if h is not None else " (no handle)"))
        if h is not None:
            ad.cancel(h)
    elif kind == "cancel_group":
        w.note(name, "cancel group")
        if groups:
            ad.cancel_group(groups[-1])
    elif kind == "scope":
        sc = ad.scope(op[1], op[2], op[3])
        async with sc:
            await run_ops(w, name, op[4], groups)
        w.note(name, "scope caught=%d" % ad.caught(sc))
    elif kind in ("send", "recv", "close_tx", "close_rx"):
        await chan_op(w, name, op)
    elif kind == "lock":
        lk = w.locks[op[1]]
        await ad.acquire(lk)
        w.note(name, "acquired %d" % op[1])
        try:
            await ad.sleep(op[2])
        finally:
            ad.release(lk)
            w.note(name, "released %d" % op[1])
    elif kind == "set":
        ad.set(w.events[op[1]])
        w.note(name, "set %d" % op[1])
    elif kind == "wait":
        await ad.wait(w.events[op[1]])
        w.note(name, "waited %d" % op[1])
    elif kind == "raise":
        w.note(name, "raise")
        raise Boom()
    elif kind == "try":
        try:
            await run_ops(w, name, op[1], groups)
        except Exception as e:  # noqa: B902 (the op's purpose)
            w.note(name, "caught " + desc(ad, e))
    else:
        raise ValueError("unknown op %r" % (op,))


async def chan_op(w, name, op):
    ad = w.ad
    kind = op[0]
    tx, rx = w.chans[op[1]]
    try:
        if kind == "send":
            await ad.send(tx, op[2])
            w.note(name, "sent %d" % op[2])
        elif kind == "recv":
            v = await ad.recv(rx)
            w.note(name, "recv %r" % (v,))
        elif kind == "close_tx":
            ad.close(tx)
            w.note(name, "closed tx %d" % op[1])
        else:
            ad.close(rx)
            w.note(name, "closed rx %d" % op[1])
    except ad.closed_exc:
        w.note(name, "%s %d: closed" % (kind, op[1]))


async def main_body(w, prog):
    # The main task, inside the LIMIT_MS safety net.
    sc = w.ad.scope("move", LIMIT_MS, False)
    async with sc:
        await task_body(w, "main", prog["main"])
    if w.ad.caught(sc):
        w.note("main", "limit")


def observe(ad, prog, run_main):
    """Run prog with adapter ad: run_main(main) runs the async function main
    on the target. Returns the observed result, or {"run": error} when the
    run failed before main's outcome was known."""
    box = []

    async def main():
        box.append(World(ad, prog))
        await main_body(box[0], prog)

    try:
        run_main(main)
    except BaseException as e:  # noqa: B902 (main's outcome is recorded; a run failure is kept)
        if not box or "main" not in box[0].out:
            return {"run": "%s: %s" % (type(e).__name__, e)}
    return box[0].result()


def orders(run, prog, seeds):
    """The distinct results of run(prog, seed) over seeds, as JSON strings
    in the order first seen (CPython: the oracles)."""
    import json

    seen = []
    for s in seeds:
        r = json.dumps(run(prog, s), sort_keys=True)
        if r not in seen:
            seen.append(r)
    return seen


def serve(path, run):
    """One JSON program per line of path in, one JSON result per line out
    (the MicroPython runners)."""
    import json

    with open(path) as f:
        for line in f:
            line = line.strip()
            if line:
                print(json.dumps(run(json.loads(line))))
