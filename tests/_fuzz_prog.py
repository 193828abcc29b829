# Portable interpreter for fuzzed zsync_mp programs (CPython and MicroPython).
#
# Contract
# - A program is JSON: {"seed": s, "cap": channel capacity, "sem": semaphore
#   size, "tasks": [[op, ...], ...]}. Ops (JSON arrays):
#     ["sleep", ms]  ["yield"]  ["lock", hold_ms]  ["sem", hold_ms]
#     ["send", n]  ["set"]  ["clear"]  ["wait", timeout_ms]  ["raise"]
#     ["cancel", j] (cancel top-level task j)  ["cancel_scope"] (innermost)
#     ["scope", timeout_ms or -1, [ops]]  ["group", [[ops], ...]]
# - run(prog) runs it under zsync_mp.sim with the program's seed (virtual
#   clock, seeded schedule) and returns its trace (a list of lines). After
#   every step the invariants are checked; a broken one raises
#   AssertionError naming it. The trace is the same on every interpreter.
# - Invariants: one lock holder at most and a held lock is locked; the
#   semaphore never over-admits; no message lost, duplicated or reordered
#   per sender, a cancelled send never delivers; no lost wakeup (an event
#   set while a task waits wakes it before its deadline); deadlines never
#   fire early; no task outlives its TaskGroup; every cancellation is
#   delivered exactly once per task; the loop never stops (deadlock) while
#   work remains and every task has ended when run() returns.
#
#   python tests/_fuzz_prog.py prog.json     (or micropython; prints the trace)
import gc
import json
import sys

import zsync_mp as zs
from zsync_mp import sim


class Actor:
    # One task of the program: its label, zs Task and cancellation counts.
    def __init__(self, label):
        self.label = label
        self.task = None
        self.leaf = 0  # Cancelled raised at a leaf operation
        self.caught = 0  # Cancelled swallowed by a scope (own or group)
        self.kids = 0


class World:
    def __init__(self, prog):
        self.prog = prog
        self.trace = []
        self.steps = 0
        self.lock = zs.Lock()
        self.lock_in = 0
        self.sem_n = prog.get("sem", 2)
        self.sem = zs.Semaphore(self.sem_n)
        self.sem_in = 0
        self.tx, self.rx = zs.channel(prog.get("cap", 1))
        self.ev = zs.Event()
        self.sets = []  # (step, tick) of every Event.set()
        self.sent = {}  # message -> "ok" or "cancelled"
        self.got = {}
        self.last = {}  # sender label -> last seq received
        self.actors = []
        self.top = []
        self.failure = None

    def step(self, a, what):
        self.steps += 1
        self.trace.append("%d %s %s" % (zs.ticks_ms(), a.label if a else "-", what))
        self.check()

    def fail(self, what):
        # Raised in the task that saw it, and kept: a TaskGroup may wrap it.
        msg = "invariant broken: %s (step %d)" % (what, self.steps)
        if self.failure is None:
            self.failure = msg
        raise AssertionError(msg)

    def check(self):
        if self.lock_in > 1:
            self.fail("two tasks hold the lock")
        if self.lock_in and not self.lock.locked():
            self.fail("lock held but not locked")
        if self.sem_in > self.sem_n:
            self.fail("semaphore admitted %d > %d" % (self.sem_in, self.sem_n))
        if self.sem.value + self.sem_in > self.sem_n:
            self.fail("semaphore value %d + holders %d > %d" % (self.sem.value, self.sem_in, self.sem_n))

    def now(self):
        return zs.ticks_ms()


async def run_ops(w, a, ops):
    for op in ops:
        await run_op(w, a, op)


async def leaf(w, a, name, aw):
    # Await one blocking operation; count a Cancelled that arrives there.
    try:
        return await aw
    except zs.Cancelled:
        a.leaf += 1
        w.step(a, name + " cancelled")
        raise


async def run_op(w, a, op):
    kind = op[0]
    if kind == "sleep":
        await leaf(w, a, "sleep", zs.sleep_ms(op[1]))
        w.step(a, "slept %d" % op[1])
    elif kind == "yield":
        await leaf(w, a, "yield", zs.yield_now())
        w.step(a, "yielded")
    elif kind == "lock":
        await leaf(w, a, "lock", w.lock.acquire())
        w.lock_in += 1
        w.step(a, "lock acquired")
        try:
            await leaf(w, a, "lock hold", zs.sleep_ms(op[1]))
        finally:
            w.lock_in -= 1
            w.lock.release()
        w.step(a, "lock released")
    elif kind == "sem":
        await leaf(w, a, "sem", w.sem.acquire())
        w.sem_in += 1
        w.step(a, "sem acquired")
        try:
            await leaf(w, a, "sem hold", zs.sleep_ms(op[1]))
        finally:
            w.sem_in -= 1
            w.sem.release()
        w.step(a, "sem released")
    elif kind == "send":
        for i in range(op[1]):
            a.kids += 1
            m = "%s#%d" % (a.label, a.kids)
            w.sent[m] = "pending"
            try:
                await leaf(w, a, "send " + m, w.tx.send(m))
            except zs.Cancelled:
                w.sent[m] = "cancelled"
                if m in w.got:
                    w.fail("cancelled send %s was delivered" % m)
                raise
            w.sent[m] = "ok"
            w.step(a, "sent " + m)
    elif kind == "set":
        w.ev.set()
        w.sets.append((w.steps, w.now()))
        w.step(a, "set")
    elif kind == "clear":
        w.ev.clear()
        w.step(a, "clear")
    elif kind == "wait":
        await op_wait(w, a, op[1])
    elif kind == "raise":
        w.step(a, "raise")
        raise ValueError(a.label)
    elif kind == "cancel":
        j = op[1]
        if j < len(w.top) and w.top[j].task is not None:
            r = w.top[j].task.cancel()
            w.step(a, "cancel T%d -> %s" % (j, r))
    elif kind == "cancel_scope":
        sc = zs.current_task().scope
        if sc is not None and getattr(sc, "_fuzz", False):
            sc.cancel()
            w.step(a, "cancel own scope")
    elif kind == "scope":
        await op_scope(w, a, op[1], op[2])
    elif kind == "group":
        await op_group(w, a, op[1])
    else:
        raise ValueError("unknown op %r" % (kind,))


async def op_wait(w, a, ms):
    begin = w.steps
    t0 = w.now()
    with zs.move_on_after(ms / 1000) as sc:
        sc._fuzz = False
        await leaf(w, a, "wait", w.ev.wait())
    if sc.cancelled_caught:
        a.caught += 1
        # No lost wakeup: a set() after we began waiting, before the deadline, wakes us.
        for s, tick in w.sets:
            if s > begin and zs.ticks_diff(tick, t0) < ms:
                w.fail("lost wakeup: event set at %d while %s waited (deadline %d)" % (tick, a.label, t0 + ms))
        w.step(a, "wait timed out")
    else:
        w.step(a, "woken")


async def op_scope(w, a, ms, ops):
    t0 = w.now()
    with zs.CancelScope() if ms < 0 else zs.move_on_after(ms / 1000) as sc:
        sc._fuzz = True
        await run_ops(w, a, ops)
    took = zs.ticks_diff(w.now(), t0)
    if sc.cancelled_caught:
        a.caught += 1
        if ms >= 0 and took < ms and not sc.cancel_called:
            w.fail("deadline fired early")
    w.step(a, "scope exit caught=%s" % sc.cancelled_caught)


async def op_group(w, a, bodies):
    # The body has no checkpoint: a Cancelled coming out was delivered to
    # this task while the group waited for its children (count it there).
    kids = []
    try:
        async with zs.TaskGroup() as tg:
            for body in bodies:
                a.kids += 1
                c = Actor("%s.%d" % (a.label, a.kids))
                w.actors.append(c)
                kids.append(c)
                c.task = tg.spawn(actor(w, c, body))
            w.step(a, "group spawned %d" % len(bodies))
    except zs.Cancelled:
        a.leaf += 1
        w.step(a, "group cancelled")
        raise
    finally:
        for c in kids:
            if not c.task.done():
                w.fail("task %s outlived its TaskGroup" % c.label)
    w.step(a, "group exit")


async def actor(w, a, ops):
    try:
        await run_ops(w, a, ops)
    except zs.Cancelled:
        w.step(a, "ended cancelled")
        raise
    except zs.TaskGroupError:
        w.step(a, "ended with TaskGroupError")
        raise
    except ValueError:
        w.step(a, "ended with ValueError")
        raise
    w.step(a, "ended")


async def receiver(w):
    me = Actor("R")
    async for m in w.rx:
        if m in w.got:
            w.fail("message %s received twice" % m)
        if w.sent.get(m) == "cancelled":
            w.fail("cancelled send %s was delivered" % m)
        w.got[m] = True
        sender, seq = m.split("#")
        seq = int(seq)
        if w.last.get(sender, 0) >= seq:
            w.fail("message %s out of order" % m)
        w.last[sender] = seq
        w.step(me, "got " + m)


async def main(w):
    async with zs.TaskGroup() as outer:
        outer.spawn(receiver(w))
        try:
            async with zs.TaskGroup() as tg:
                for i, ops in enumerate(w.prog["tasks"]):
                    a = Actor("T%d" % i)
                    w.actors.append(a)
                    w.top.append(a)
                    a.task = tg.spawn(actor(w, a, ops))
        except zs.TaskGroupError as e:
            w.step(None, "main caught TaskGroupError %s" % sorted(type(x).__name__ for x in e.exceptions))
        w.tx.close()
    final_checks(w)


def final_checks(w):
    for a in w.actors:
        t = a.task
        if not t.done():
            w.fail("task %s still running after run()" % a.label)
        want = a.caught + (1 if t.cancelled() else 0)
        if a.leaf != want:
            w.fail("task %s: %d Cancelled delivered, expected %d" % (a.label, a.leaf, want))
    for m, how in w.sent.items():
        if (how == "ok") != (m in w.got):
            w.fail("message %s %s but %sreceived" % (m, how, "" if m in w.got else "not "))
    if w.lock.locked() or w.lock_in:
        w.fail("lock left held")
    if w.sem.value != w.sem_n:
        w.fail("semaphore left at %d of %d" % (w.sem.value, w.sem_n))
    w.step(None, "end: %d sent, %d received" % (len(w.sent), len(w.got)))


def run(prog):
    """Run one program; returns its trace (raises AssertionError on a broken invariant)."""
    w = World(prog)
    try:
        sim.run(main(w), seed=prog.get("seed", 1))
    except BaseException:  # noqa: B902 (re-raised, or replaced by the invariant)
        failure = w.failure
        # Finalize the failed run's suspended coroutines now, outside any
        # loop, not during the next run (see notes/bugs/stale_coroutines_after_failed_run.py).
        w = None
        gc.collect()
        if failure is None:
            raise
        raise AssertionError(failure)
    if w.failure is not None:
        raise AssertionError(w.failure)
    return w.trace


def programs(path):
    # One program (a JSON object) or a batch: one program per line, read a
    # line at a time (a 20,000-program batch is ~2 MB, the heap's size).
    f = open(path)
    for line in f:
        if line.strip():
            yield json.loads(line)
    f.close()


if __name__ == "__main__":
    for prog in programs(sys.argv[1]):
        try:
            for line in run(prog):
                print(line)
        except Exception as e:  # noqa: B902 (printed as the trace's last line)
            print("FAIL %s: %s" % (type(e).__name__, e))
        print("=== seed %d" % prog.get("seed", 1))
