# What a Task stores, whichever layout holds it (the Python class, or the C
# Task of firmware built with native/, which keeps rare fields aside): names,
# attributes a program adds, the group a child belongs to while it sits in
# its own scopes, and the registries that keep spawn order while most of
# their tasks have already ended.
import zsync_mp as zs

log = []


async def quick(i):
    await zs.yield_now()
    return i


async def lingering(name):
    try:
        await zs.sleep(10)
    except zs.Cancelled:
        log.append(name)
        raise


async def fail_inside_scopes():
    with zs.move_on_after(5):
        with zs.CancelScope():
            await zs.yield_now()
            raise ValueError("boom inside two scopes")


async def main():
    t = zs.spawn(quick(1), name="worker")
    print(t.name, repr(t), t.done())
    t.note = "mine"  # an attribute the program adds
    print("added:", t.note)
    del t.note
    print("deleted:", hasattr(t, "note"))
    print("result:", await t, t.name)
    anon = zs.spawn(quick(2))
    print("unnamed:", anon.name, repr(anon).startswith("<Task "))
    await anon

    # Detached: 3 lingering among 200 quick ones; most end first.
    keep = []
    for i in range(200):
        if i in (17, 99, 150):
            keep.append(zs.spawn(lingering("detached%d" % i)))
        zs.spawn(quick(i))
    await zs.sleep(0.001)
    # A group whose first children end long before the rest are kicked.
    try:
        async with zs.TaskGroup() as tg:
            for i in range(60):
                tg.spawn(quick(i))
            for i in range(3):
                tg.spawn(lingering("kid%d" % i))
            await zs.sleep(0.001)
            tg.spawn(fail_inside_scopes())
    except zs.TaskGroupError as e:
        print("group failed with", [str(x) for x in e.exceptions])
    print("kicked in spawn order:", log)
    del log[:]
    return keep


async def outer():
    keep = await main()
    print("main over; detached left:", sum(1 for t in keep if not t.done()))


zs.run(outer(), clock=zs.VirtualClock())
print("leftovers cancelled in spawn order:", log)
