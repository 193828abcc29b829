# Fault injection into structured code: a task that owns a nested TaskGroup
# inside deadline scopes, and a task waiting on an Event and a CancelToken,
# with a cancellation or an exception at every suspend point. Afterwards no
# child outlives its group, no deadline fires later for a scope that has
# exited, the event and token still work, and a sibling finished its work.
import _faults
import zsync_mp as zs
from zsync_mp import sim


async def child(i, log):
    try:
        await zs.sleep_ms(2 + i)
        await zs.yield_now()
        log.append("c%d" % i)
    finally:
        log.append("end%d" % i)


async def owner(kids, log):
    with zs.move_on_after(0.05):
        with zs.fail_after(1):
            async with zs.TaskGroup() as tg:
                _faults.GROUPS.append(tg)
                for i in range(3):
                    kids.append(tg.spawn(child(i, log)))
                await zs.sleep_ms(1)
            await zs.sleep_ms(1)


async def sibling(done):
    for i in range(5):
        await zs.sleep_ms(1)
    done.append(True)


def group_scenario(plan):
    kids = []
    log = []
    done = []
    problems = []

    async def again():
        # Scopes entered by the victim are gone: a new deadline still works.
        with zs.move_on_after(0.002) as sc:
            await zs.sleep_ms(5)
        if not sc.cancelled_caught:
            problems.append("a fresh deadline did not fire")

    async def main():
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(_faults.target(plan, owner(kids, log), again))
                tg.spawn(sibling(done))
        except zs.TaskGroupError:
            pass
        for t in kids:
            if not t.done():
                problems.append("a child outlived its group")
        if len([x for x in log if x.startswith("end")]) != len(kids):
            problems.append("a child's cleanup did not run: %r" % log)
        if plan.kind != "crash" and not done:
            problems.append("the sibling did not finish")
        await zs.sleep_ms(100)  # any stale deadline of the victim would fire here

    sim.run(main(), seed=7)
    return problems


async def waiter(ev, tok, log):
    await ev.wait()
    log.append("event")
    with tok.scope():
        await zs.sleep(1)
    log.append("token")
    await tok.wait()


def event_token_scenario(plan):
    ev = zs.Event()
    tok = zs.CancelToken()
    log = []
    problems = []

    async def again():
        ev2 = zs.Event()
        ev2.set()
        await ev2.wait()

    async def main():
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(_faults.target(plan, waiter(ev, tok, log), again))
                await zs.sleep_ms(3)
                ev.set()
                await zs.sleep_ms(3)
                tok.cancel()
        except zs.TaskGroupError:
            pass
        if plan.kind == "cancel" and not plan.caught and log != ["event", "token"]:
            problems.append("uninterrupted run went wrong: %r" % log)
        if plan.kind != "crash" and (not tok.cancelled or not ev.is_set()):
            problems.append("event or token lost its state")

    sim.run(main(), seed=7)
    return problems


_faults.sweep("nested group", group_scenario)
_faults.sweep("event + token", event_token_scenario)
