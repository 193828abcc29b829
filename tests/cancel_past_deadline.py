# A deadline at or before now is effective at once, and every checkpoint
# delivers a pending cancellation before it completes: no message taken, no
# lock acquired, no value returned (Trio's rule). A Task.cancel() that lands
# while the task waits in the run queue after yield_now() or a sleep that
# ended is raised at that checkpoint.
import zsync_mp as zs


async def main():
    try:
        with zs.fail_after(0):
            await zs.sleep(0)
            print("not reached")
    except zs.TimeoutError:
        print("fail_after(0): TimeoutError")

    tx, rx = zs.channel(1)
    tx.try_send("m1")
    with zs.move_on_after(0) as s:
        print("got", await rx.recv(), ": not reached")
    print("move_on_after(0) caught", s.cancelled_caught, "; message still there:", rx.try_recv())

    lock = zs.Lock()
    with zs.move_on_at(zs.ticks_add(zs.ticks_ms(), -5)) as s:
        await lock.acquire()
        print("not reached")
    print("move_on_at(past) caught", s.cancelled_caught, "; lock taken:", lock.locked())

    with zs.move_on_at(zs.ticks_ms()) as s:
        await zs.Event().wait()
    print("move_on_at(now) caught", s.cancelled_caught)

    with zs.CancelScope() as s:
        s.deadline = zs.ticks_add(zs.ticks_ms(), -1)  # moved into the past while active
        print("still running before a checkpoint; cancel_called", s.cancel_called)
        await zs.yield_now()
        print("not reached")
    print("deadline moved into the past caught", s.cancelled_caught)

    # Cancelled while waiting in the run queue after yield_now().
    async def spinner():
        while True:
            await zs.yield_now()
            print("spinner step")

    t = zs.spawn(spinner())
    await zs.yield_now()  # spinner runs until its first yield_now()
    t.cancel()  # spinner is queued at that checkpoint now
    try:
        await t
    except zs.Cancelled:
        print("spinner cancelled:", t.cancelled())

    # Cancelled in the same tick its sleep ends.
    async def napper():
        await zs.sleep_ms(5)
        print("napper woke: not reached")

    t = zs.spawn(napper())
    await zs.sleep_ms(5)  # both sleeps end at this tick; ours was set first
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        print("napper cancelled:", t.cancelled())

    # A woken waiter keeps what it was handed; the cancel arrives next.
    ev = zs.Event()

    async def waiter():
        await ev.wait()
        print("waiter saw the event")
        await zs.yield_now()
        print("not reached")

    t = zs.spawn(waiter())
    await zs.yield_now()
    ev.set()
    t.cancel()
    try:
        await t
    except zs.Cancelled:
        print("waiter cancelled:", t.cancelled())
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
