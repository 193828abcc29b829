# Event wakes all waiters; Lock is FIFO with handoff, owner-checked, cancellable.
import zsync_mp as zs


async def waiter(name, ev):
    await ev.wait()
    print(name, "saw the event at", zs.ticks_ms())


async def user(name, lock, log):
    async with lock:
        log.append(name + "+")
        await zs.sleep_ms(2)
        log.append(name + "-")


async def main():
    ev = zs.Event()
    async with zs.TaskGroup() as tg:
        for n in ("w1", "w2", "w3"):
            tg.spawn(waiter(n, ev))
        await zs.sleep_ms(5)
        print("is_set", ev.is_set())
        ev.set()
        ev.set()
    await ev.wait()
    ev.clear()
    print("cleared", ev.is_set())

    lock = zs.Lock()
    log = []
    async with zs.TaskGroup() as tg:
        for n in ("a", "b", "c", "d"):
            tg.spawn(user(n, lock, log))
    print("FIFO", " ".join(log), "locked", lock.locked())

    # A waiter cancelled while queued leaves the queue; the lock still works.
    await lock.acquire()
    async with zs.TaskGroup() as tg:
        t = tg.spawn(user("cancelled", lock, log), name="victim")
        tg.spawn(user("next", lock, log))
        await zs.sleep_ms(1)
        t.cancel()
        await zs.sleep_ms(1)
        lock.release()
    print("after cancel", log[-2:], "cancelled", t.cancelled(), "locked", lock.locked())

    print("try_acquire", lock.try_acquire(), lock.try_acquire())
    try:
        await lock.acquire()
    except RuntimeError as e:
        print("reacquire:", e)
    lock.release()
    try:
        lock.release()
    except RuntimeError as e:
        print("release unowned:", e)

    async def other_releases():
        lock.release()

    await lock.acquire()
    t = zs.spawn(other_releases(), name="thief")
    try:
        await t
    except RuntimeError as e:
        print("release from another task:", str(e).split(" (")[0])
    lock.release()

    # A lock held across a cancelled body is released by async with.
    with zs.move_on_after(0.003):
        async with lock:
            await zs.sleep(1)
    print("released after cancel:", not lock.locked())


zs.run(main(), clock=zs.VirtualClock())
