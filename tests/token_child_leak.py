# CancelToken children cost nothing once their user is done with them: the
# "long-lived root, one child per request" pattern, `with root.child() as
# tok:`, detaches each child from its parent at the end of the block (and a
# child that was cancelled on its own detaches too), so 10,000 requests leave
# the root's memory flat. A detached (closed) child no longer follows its
# parent; children still open are cancelled with it.
import zsync_mp as zs
from _stress import track, mem, leak_ok


async def main():
    track()
    root = zs.CancelToken()
    with root.child() as tok:
        pass  # warm up: the first block allocates what the class needs once
    before = mem()
    for i in range(10000):
        with root.child() as tok:
            if i % 2:
                tok.cancel()  # cancelled on its own: leaves its parent too
    print("10,000 children, leak ok:", leak_ok(before, mem(), 2048))

    kept = root.child()
    done = root.child()
    done.close()
    grand = kept.child()
    root.cancel()
    print("open child cancelled:", kept.cancelled, "grandchild:", grand.cancelled)
    print("closed child cancelled:", done.cancelled)
    try:
        with done.scope():
            pass
        print("a closed token still works on its own: scope entered")
    except Exception as e:
        print("unexpected", e)

    # Children are cancelled in the order they were made.
    root = zs.CancelToken()

    async def user(name, tok):
        with tok.scope():
            await zs.sleep(1)
        print(name, "stopped")

    async with zs.TaskGroup() as tg:
        toks = [root.child() for _ in range(4)]
        for i, t in enumerate(toks):
            tg.spawn(user("user%d" % i, t))
        await zs.yield_now()
        toks[2].close()  # user2 no longer follows root
        root.cancel()
        await zs.sleep_ms(5)
        toks[2].cancel()
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
