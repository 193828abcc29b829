# Supervisor: one_for_one with permanent/transient/temporary children,
# restart intensity and escalation, stop(), children(), misuse.
import zsync_mp as zs
from zsync_mp.resilience import (
    Supervisor, child, TooManyRestarts, PERMANENT, TRANSIENT, TEMPORARY, ONE_FOR_ONE,
)


def log(sup, event, cid, detail):
    if event == "exit":
        how, err = detail
        print("  %4d %s: %s %s %s" % (zs.ticks_ms(), sup, event, cid, how), type(err).__name__ if err is not None else "")
    elif event == "start":
        print("  %4d %s: %s %s (restart #%d)" % (zs.ticks_ms(), sup, event, cid, detail))
    else:
        print("  %4d %s: %s %s" % (zs.ticks_ms(), sup, event, cid))


async def worker(name, runs, plan):
    # plan: list of (ms, outcome) per run; outcome "ok", "fail" or "forever".
    i = runs[name] = runs.get(name, 0) + 1
    ms, outcome = plan[min(i, len(plan)) - 1]
    await zs.sleep_ms(ms)
    if outcome == "fail":
        raise ValueError("%s run %d" % (name, i))
    if outcome == "forever":
        await zs.sleep(1000)


async def main():
    print("restart types under one_for_one")
    runs = {}
    sup = Supervisor([
        child("perm", worker, "perm", runs, [(10, "fail"), (10, "ok"), (10, "forever")], restart=PERMANENT),
        child("trans", worker, "trans", runs, [(15, "fail"), (15, "ok")], restart=TRANSIENT),
        child("temp", worker, "temp", runs, [(5, "fail")], restart=TEMPORARY),
    ], strategy=ONE_FOR_ONE, max_restarts=5, within_ms=1000, name="s1", on_event=log)
    with zs.move_on_after(0.1):
        await sup.run()
    print("  children", sup.children(), "restarts", sup.restarts, "runs", sorted(runs.items()))

    print("run() returns when no child is left")
    runs = {}
    sup = Supervisor([
        child("t1", worker, "t1", runs, [(5, "ok")], restart=TRANSIENT),
        child("t2", worker, "t2", runs, [(7, "fail"), (3, "ok")], restart=TRANSIENT),
    ], name="s2", on_event=log)
    await sup.run()
    print("  returned at", zs.ticks_ms(), sup.children())

    print("intensity: 3 restarts in 100 ms allowed, the 4th escalates")
    runs = {}
    sup = Supervisor([
        child("crashy", worker, "crashy", runs, [(20, "fail")]),
        child("steady", worker, "steady", runs, [(0, "forever")]),
    ], max_restarts=3, within_ms=100, name="s3", on_event=log)
    try:
        await sup.run()
    except TooManyRestarts as e:
        print("  TooManyRestarts at", zs.ticks_ms(), e.supervisor, e.child, type(e.error).__name__, e.max_restarts, e.within_ms)
        print("  ", str(e).replace("',)", "')"))
    print("  children after", sup.children())

    print("intensity window slides: failures 60 ms apart never make 3 in 100 ms")
    runs = {}
    sup = Supervisor([child("slow", worker, "slow", runs, [(60, "fail")])], max_restarts=2, within_ms=100, name="s4")
    with zs.move_on_after(1):
        await sup.run()
    print("  runs", runs["slow"], "restarts", sup.restarts)

    print("max_restarts=0: the first restart escalates")
    runs = {}
    sup = Supervisor([child("x", worker, "x", runs, [(1, "ok")])], max_restarts=0, name="s5")
    try:
        await sup.run()
    except TooManyRestarts as e:
        print("  ", e)

    print("a child cancelled by someone else is restarted (killed)")
    runs = {}
    sup = Supervisor([child("k", worker, "k", runs, [(0, "forever")], restart=TRANSIENT)], name="s6", on_event=log)
    async with zs.TaskGroup() as tg:
        tg.spawn(sup.run())
        await zs.sleep_ms(5)
        sup.task("k").cancel()
        await zs.sleep_ms(5)
        print("  ", sup.children())
        sup.stop()
    print("  stopped at", zs.ticks_ms(), sup.children())

    print("the supervisor's own cancellation stops every child")
    with zs.move_on_after(0.01):
        await sup.run()
    print("  ", sup.children())

    print("misuse")

    async def co():
        pass

    for what, mk in [
        ("children=5", lambda: Supervisor(5)),
        ("children=[5]", lambda: Supervisor([5])),
        ("duplicate id", lambda: Supervisor([child("a", co), child("a", co)])),
        ("strategy", lambda: Supervisor([], strategy="one_for_some")),
        ("max_restarts=-1", lambda: Supervisor([], max_restarts=-1)),
        ("within_ms=0", lambda: Supervisor([], within_ms=0)),
        ("on_event=1", lambda: Supervisor([], on_event=1)),
        ("child id 5", lambda: child(5, co)),
        ("child start 5", lambda: child("a", 5)),
        ("child restart", lambda: child("a", co, restart="sometimes")),
    ]:
        try:
            mk()
            print(what, "accepted?!")
        except (TypeError, ValueError) as e:
            print(what, "->", type(e).__name__, e)
    c = co()
    try:
        child("a", c)
    except TypeError as e:
        print("coroutine ->", e)

    def not_async():
        return 5

    sup = Supervisor([child("bad", not_async)], max_restarts=1, name="s7")
    try:
        await sup.run()
    except TooManyRestarts as e:
        print("start not async ->", type(e.error).__name__, e.error)
    sup = Supervisor([child("w", worker, "w", {}, [(0, "forever")])], name="s8")
    async with zs.TaskGroup() as tg:
        tg.spawn(sup.run())
        await zs.sleep_ms(1)
        try:
            await sup.run()
        except RuntimeError as e:
            print("run twice ->", e)
        try:
            sup.task("nope")
        except KeyError:
            print("task('nope') -> KeyError")
        sup.stop()


zs.run(main(), clock=zs.VirtualClock())
