# Misuse table (issue 9): every public function of zsync_mp (and the
# asyncio layer where it adds checks) called with wrong types, wrong values,
# in the wrong state and from the wrong task (calls from an interrupt handler:
# tests/misuse_irq.py). One line per row: the
# exception type and the start of its message, which must name the problem.
# After every in-loop row the scheduler must still switch tasks; the loop
# ends by spawning and awaiting a fresh task. Runs on both interpreters.
import zsync_mp as zs
import zsync_mp.asyncio as aio
from _wire import Wire

rows = 0
silent = []


# The message without reprs (addresses differ between runs and interpreters).
def clean(e):
    msg = str(e).split(", got")[0]
    out = ""
    depth = 0
    for ch in msg:
        if ch == "<":
            if depth == 0:
                out += "<...>"
            depth += 1
        elif ch == ">" and depth:
            depth -= 1
        elif not depth:
            out += ch
    return "%s: %s" % (type(e).__name__, out)


def show(label, fn, coro=None):
    global rows
    rows += 1
    try:
        _r = fn()
        print("%-44s -> no error" % label)
        silent.append(label)
    except Exception as e:  # noqa: B902 (the row prints what it raised)
        print("%-44s -> %s" % (label, clean(e)))
    if coro is not None:
        coro.close()


async def nothing():
    return 1


async def ashow(label, coro_fn):
    # An in-loop row whose misuse happens at an await.
    global rows
    rows += 1
    try:
        await coro_fn()
        print("%-44s -> no error" % label)
        silent.append(label)
    except Exception as e:
        print("%-44s -> %s" % (label, clean(e)))
    await zs.yield_now()  # the scheduler still switches


def outside_rows():
    show("run(42)", lambda: zs.run(42))
    show("run(coroutine function)", lambda: zs.run(nothing))
    show("run(coro, seed='x')", lambda: zs.run(nothing(), seed="x"))
    c = nothing()
    show("spawn outside a loop", lambda: zs.spawn(c), c)
    show("current_task outside a loop", zs.current_task)
    show("await yield_now() outside a loop", lambda: zs.yield_now().__next__())
    st = zs.Stream(Wire(b"line\n"), nb=True)  # its bytes are there: no wait
    for name, c in (("readline", st.readline()), ("awrite", st.awrite(b"x")), ("drain", st.drain())):
        show("await Stream.%s() outside a loop" % name, lambda: c.send(None), c)
    show("VirtualClock(period=3)", lambda: zs.VirtualClock(period=3))
    show("VirtualClock().advance(-1)", lambda: zs.VirtualClock().advance(-1))
    show("CancelScope(deadline=1.5)", lambda: zs.CancelScope(deadline=1.5))
    show("CancelScope(deadline='soon')", lambda: zs.CancelScope(deadline="soon"))
    show("move_on_after(-1)", lambda: zs.move_on_after(-1))
    show("move_on_after('1')", lambda: zs.move_on_after("1"))
    show("fail_after(None)", lambda: zs.fail_after(None))
    show("move_on_at(1.5)", lambda: zs.move_on_at(1.5))
    show("fail_at('x')", lambda: zs.fail_at("x"))
    show("Semaphore('a')", lambda: zs.Semaphore("a"))
    show("Semaphore(-1)", lambda: zs.Semaphore(-1))
    show("BoundedSemaphore(True)", lambda: zs.BoundedSemaphore(True))
    show("Condition(lock=42)", lambda: zs.Condition(42))
    show("Barrier(0)", lambda: zs.Barrier(0))
    show("Barrier('2')", lambda: zs.Barrier("2"))
    show("channel('a')", lambda: zs.channel("a"))
    show("channel(-1)", lambda: zs.channel(-1))
    show("channel(1.0)", lambda: zs.channel(1.0))
    show("sleep(-1)", lambda: zs.sleep(-1))
    show("sleep('1')", lambda: zs.sleep("1"))
    show("sleep(float('nan'))", lambda: zs.sleep(float("nan")))
    show("sleep_ms(1.5)", lambda: zs.sleep_ms(1.5))
    show("sleep_ms(-3)", lambda: zs.sleep_ms(-3))
    show("sleep_ms(None)", lambda: zs.sleep_ms(None))


async def selfish():
    await zs.current_task()


async def hold_forever(lock, ready):
    async with lock:
        ready.set()
        await zs.sleep(1000)


async def flag_waiter(f):
    await f.wait()


async def in_loop_rows():
    c = nothing()
    show("run() inside a running loop", lambda: zs.run(c))
    show("spawn(42)", lambda: zs.spawn(42))
    show("spawn(coroutine function)", lambda: zs.spawn(nothing))
    c = nothing()
    show("spawn(coro, name=5)", lambda: zs.spawn(c, name=5), c)
    t = zs.spawn(selfish())
    await ashow("a task awaiting itself", lambda: t)
    pending = zs.spawn(nothing())
    show("Task.result() before done", pending.result)
    show("Task.exception() before done", pending.exception)
    await pending

    tg = zs.TaskGroup()
    c = nothing()
    show("TaskGroup.spawn before async with", lambda: tg.spawn(c), c)
    async with tg:
        show("TaskGroup.spawn(42)", lambda: tg.spawn(42))
    c = nothing()
    show("TaskGroup.spawn after exit", lambda: tg.spawn(c), c)

    async def enter_twice():
        async with tg:
            pass

    await ashow("TaskGroup entered twice", enter_twice)
    show("TaskGroup.__aexit__ without __aenter__", lambda: zs.TaskGroup().__aexit__(None, None, None))

    sc = zs.CancelScope()
    with sc:
        pass

    def enter_again():
        with sc:
            pass

    show("CancelScope entered twice", enter_again)
    a, b = zs.CancelScope(), zs.CancelScope()
    a.__enter__()
    b.__enter__()
    show("CancelScope exited out of order", lambda: a.__exit__(None, None, None))
    b.__exit__(None, None, None)
    a.__exit__(None, None, None)
    show("CancelScope.deadline = 'x'", lambda: setattr(zs.CancelScope(), "deadline", "x"))

    lock = zs.Lock()
    show("Lock.release() unheld", lock.release)
    ready = zs.Event()
    holder = zs.spawn(hold_forever(lock, ready))
    await ready.wait()
    show("Lock.release() from another task", lock.release)
    holder.cancel()
    await zs.yield_now()
    await lock.acquire()
    await ashow("Lock.acquire() twice (not reentrant)", lock.acquire)
    lock.release()

    bs = zs.BoundedSemaphore(1)
    show("BoundedSemaphore over-released", bs.release)
    cond = zs.Condition()
    await ashow("Condition.wait() without the lock", cond.wait)
    show("Condition.notify() without the lock", cond.notify)

    f = zs.Flag()
    w1 = zs.spawn(flag_waiter(f))
    await zs.yield_now()
    await ashow("Flag.wait() by a second task", f.wait)
    f.set()
    await w1

    tx, rx = zs.channel(1)
    tx.try_send(1)
    show("try_send on a full channel", lambda: tx.try_send(2))
    rx.try_recv()
    show("try_recv on an empty channel", rx.try_recv)
    tx2 = tx.clone()
    tx2.close()
    await ashow("send on a closed Sender", lambda: tx2.send(1))
    show("try_send on a closed Sender", lambda: tx2.try_send(1))
    show("clone() of a closed Sender", tx2.clone)
    rx2 = rx.clone()
    rx2.close()
    await ashow("recv on a closed Receiver", rx2.recv)
    show("clone() of a closed Receiver", rx2.clone)
    rx.close()
    await ashow("send when every Receiver is closed", lambda: tx.send(1))
    tx.close()
    await ashow("select() with no operations", zs.select)
    await ashow("select(42)", lambda: zs.select(42))

    await ashow("aio.wait_for(42, 1)", lambda: aio.wait_for(42, 1))
    show("aio.create_task(42)", lambda: aio.create_task(42))
    show("aio.Queue(maxsize='a')", lambda: aio.Queue("a"))

    # The scheduler is fine: a fresh task runs and returns.
    return await zs.spawn(nothing())


outside_rows()
print("loop result after the in-loop rows:", zs.run(in_loop_rows(), clock=zs.VirtualClock()))
outside_rows()
print("rows:", rows, "without an error:", silent)
