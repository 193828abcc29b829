# one_for_all and rest_for_one: who is stopped, who is restarted, in which
# order; stopped children's cleanup finishes before the restarts.
import zsync_mp as zs
from zsync_mp.resilience import Supervisor, child, TEMPORARY, TRANSIENT, ONE_FOR_ALL, REST_FOR_ONE


def log(sup, event, cid, detail):
    if event == "exit":
        print("  %4d %s %s %s" % (zs.ticks_ms(), event, cid, detail[0]))
    elif event == "start":
        print("  %4d %s %s #%d" % (zs.ticks_ms(), event, cid, detail))


async def member(name, fail_after_ms, cleanup_ms, runs):
    # Fails after fail_after_ms on its first run only (None: never fails);
    # its cleanup takes cleanup_ms when it is stopped.
    runs[name] = runs.get(name, 0) + 1
    try:
        if fail_after_ms is not None and runs[name] == 1:
            await zs.sleep_ms(fail_after_ms)
            raise ValueError(name)
        await zs.sleep(1000)
    except zs.Cancelled:
        with zs.CancelScope(shield=True):
            await zs.sleep_ms(cleanup_ms)
        print("  %4d %s cleaned up" % (zs.ticks_ms(), name))
        raise


async def run(strategy, specs):
    runs = {}
    sup = Supervisor([child(n, member, n, f, c, runs, restart=r) for n, f, c, r in specs],
                     strategy=strategy, on_event=log, name=strategy)
    with zs.move_on_after(0.1):
        await sup.run()
    print("  runs", sorted(runs.items()), "children", sup.children())


async def main():
    t0 = zs.ticks_ms()
    print("one_for_all: b fails at 10; a and c stop (c needs 5 ms), all restart in order")
    await run(ONE_FOR_ALL, [("a", None, 0, "permanent"), ("b", 10, 0, "permanent"), ("c", None, 5, "permanent")])
    print("one_for_all: a temporary sibling is stopped and not restarted")
    await run(ONE_FOR_ALL, [("a", None, 0, TEMPORARY), ("b", 10, 0, "permanent")])
    print("one_for_all: a temporary child's failure restarts nobody")
    await run(ONE_FOR_ALL, [("a", 10, 0, TEMPORARY), ("b", None, 0, "permanent")])
    print("rest_for_one: b fails; c and d (started after it) restart, a keeps running")
    await run(REST_FOR_ONE, [("a", None, 0, "permanent"), ("b", 10, 0, "permanent"),
                             ("c", None, 3, "permanent"), ("d", None, 1, TRANSIENT)])
    print("rest_for_one: the last child fails: only it restarts")
    await run(REST_FOR_ONE, [("a", None, 0, "permanent"), ("b", 10, 0, "permanent")])
    print("rest_for_one: two failures while the first restart waits for cleanup")
    await run(REST_FOR_ONE, [("a", 12, 0, "permanent"), ("b", 10, 0, "permanent"), ("c", None, 5, "permanent")])
    print("elapsed", zs.ticks_diff(zs.ticks_ms(), t0))


zs.run(main(), clock=zs.VirtualClock())
