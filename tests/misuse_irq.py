# Misuse table, interrupt rows (issue 9): every zsync_mp call that is not
# IRQ-safe, made from a guarded interrupt handler, raises RuntimeError naming
# the call before it changes anything; the waiters stay parked, the shared
# awaitable of the interrupted task is put back, and the scheduler goes on.
# Then the same through the simulated board: hard (heap-locked on
# MicroPython) and soft pin handlers calling Event.set() get the full message
# (tests/misuse_irq.wasm.exp: the WebAssembly port has no emergency
# exception buffer, so a heap-locked handler's RuntimeError loses its text).
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin
import zsync_mp as zs
from zsync_mp.kernel import core as _kernel

rows = 0
silent = []
bad = []  # invariants that did not hold: the script fails on every interpreter


def check(what, ok):
    if not ok:
        bad.append(what)


def irq(label, fn):
    # Call fn from a guarded handler; print what it raised.
    global rows
    rows += 1
    try:
        zs.irq_guard(lambda arg: fn())(None)
        print("%-34s -> no error" % label)
        silent.append(label)
    except Exception as e:  # noqa: B902 (the row prints what it raised)
        msg = str(e)
        print("%-34s -> %s: %s" % (label, type(e).__name__, msg.split(" called from")[0]))
        if "only zs.Flag.set() is IRQ-safe" not in msg:
            print("   message does not say what is IRQ-safe:", msg)


async def waiter(ev, log):
    await ev.wait()
    log.append("woken")


async def sleeper():
    await zs.sleep(3600)


async def nothing():
    return 1


async def rows_in_loop():
    ev = zs.Event()
    log = []
    w = zs.spawn(waiter(ev, log))
    await zs.yield_now()
    lock = zs.Lock()
    sem = zs.Semaphore(1)
    bsem = zs.BoundedSemaphore(1)
    await bsem.acquire()
    cond = zs.Condition()
    tx, rx = zs.channel(2)
    tx.try_send(1)
    tok = zs.CancelToken()
    s = sleeper()
    t = zs.spawn(s)

    with zs.CancelScope() as scope:
        irq("Event.set()", ev.set)
        irq("Event.clear()", ev.clear)
        irq("Lock.try_acquire()", lock.try_acquire)
        irq("Lock.release()", lock.release)
        irq("Semaphore.try_acquire()", sem.try_acquire)
        irq("Semaphore.release()", sem.release)
        irq("BoundedSemaphore.release()", bsem.release)
        irq("Condition.notify()", cond.notify)
        irq("Sender.try_send()", lambda: tx.try_send(2))
        irq("Receiver.try_recv()", rx.try_recv)
        irq("Sender.clone()", tx.clone)
        irq("Receiver.close()", rx.close)
        irq("spawn()", lambda: zs.spawn(s))
        irq("Task.cancel()", t.cancel)
        irq("current_task()", zs.current_task)
        irq("CancelScope.cancel()", scope.cancel)
        irq("CancelScope.deadline =", lambda: setattr(scope, "deadline", 5))
        irq("CancelToken.cancel()", tok.cancel)
        irq("CancelToken.child()", tok.child)
        irq("zs.run()", lambda: zs.run(s))
        # An awaitable factory in a handler: the interrupted task may be
        # half-way through configuring the shared awaitable; it gets it back.
        # (Each shared awaitable: _OP, and yield_now's and Event.wait's own.)
        ops = (_kernel._OP, _kernel._YOP, _kernel._POP)
        for o in ops:
            o.prim = "mine"
        irq("Event.wait() (not awaited)", ev.wait)
        irq("zs.sleep_ms(5) (not awaited)", lambda: zs.sleep_ms(5))
        irq("rx.recv() (not awaited)", rx.recv)
        irq("zs.yield_now() (not awaited)", zs.yield_now)
        back = [o.prim == "mine" for o in ops]
        print("shared awaitables put back:", back)
        check("shared awaitables put back", back == [True, True, True])
        for o in ops:
            o.prim = None

    print("-- nothing changed")
    print("event set:", ev.is_set(), "waiter woken:", log, "lock held:", lock.locked())
    print("semaphores:", sem.value, bsem.value, "channel holds:", len(rx), "closed:", rx.closed)
    print("token cancelled:", tok.cancelled, "scope cancelled:", scope.cancel_called, "task done:", t.done())
    check("state unchanged", (ev.is_set(), log, lock.locked(), sem.value, bsem.value, len(rx), rx.closed,
                              tok.cancelled, scope.cancel_called, t.done()) == (False, [], False, 1, 0, 1, False, False, False, False))

    print("-- IRQ-safe calls work in a handler")
    f = zs.Flag()
    irq("Flag.set()", f.set)
    irq("reads: ticks, is_set, done", lambda: (zs.ticks_ms(), ev.is_set(), f.is_set(), t.done(), len(rx)))
    await f.wait()
    print("flag wait returned")

    print("-- the scheduler goes on")
    ev.set()
    await w
    t.cancel()
    print("waiter:", log, "sleeper cancelled:", (await zs.spawn(nothing())) == 1 and t.cancelled())


print("rows_in_loop done:", zs.run(rows_in_loop(), clock=zs.VirtualClock()))
irq("Event.set() outside a loop", zs.Event().set)

print("-- simulated board: handlers that call Event.set()")
b = machine.board
b.load({"pins": {"OUT": 4, "IN": 5}, "wires": [["OUT", "IN"]]})
b.use_virtual_time()


async def board_main():
    ev = zs.Event()
    log = []
    w = zs.spawn(waiter(ev, log))
    out = Pin("OUT", Pin.OUT, value=0)
    inp = Pin("IN", Pin.IN)
    for hard in (True, False):
        inp.irq(lambda p: ev.set(), Pin.IRQ_RISING, hard=hard)
        out.value(1)  # the edge runs the handler now
        out.value(0)
        await zs.sleep_ms(10)
        err = b.irq_errors[-1][2] if b.irq_errors else "none"
        n = len(b.irq_errors)
        out.value(1)  # a second edge: the failed handler was disabled
        out.value(0)
        named = "Event.set() called from an interrupt handler" in err and "only zs.Flag.set() is IRQ-safe" in err
        # A heap-locked handler can only raise with a message through the
        # emergency exception buffer; a port without one loses the text.
        lost = hard and err in ("RuntimeError()", "RuntimeError('')")
        print("hard" if hard else "soft", "handler:", err.split(" called from")[0].split("(")[0],
              "names the call and what is IRQ-safe:", "message lost (no emergency exception buffer)" if lost else named)
        print("  handler disabled:", len(b.irq_errors) == n, "waiter still parked:", not log)
        check("board handler", (named or lost) and len(b.irq_errors) == n and not log)
    ev.set()
    await w
    print("waiter woken by a task:", log)


zs.run(board_main(), clock=zs.VirtualClock())
print("rows:", rows, "without an error:", silent)
check("only the IRQ-safe rows pass", silent == ["Flag.set()", "reads: ticks, is_set, done"])
if bad:
    raise SystemExit("FAILED: " + ", ".join(bad))
