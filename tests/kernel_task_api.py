# Task API: await, result/exception/cancelled/done/name, current_task, cancel().
import zsync_mp as zs


async def add(a, b):
    await zs.sleep_ms(5)
    return a + b


async def boom():
    await zs.sleep_ms(1)
    raise ValueError("boom")


async def forever():
    try:
        await zs.Event().wait()
    finally:
        print("forever: cleanup ran")


async def main():
    me = zs.current_task()
    print("main name", me.name, "done", me.done())
    t = zs.spawn(add(1, 2), name="adder")
    print("name", t.name, "done", t.done())
    print("await ->", await t, "done", t.done(), "result", t.result(), "exception", t.exception())
    print("await again ->", await t)
    b = zs.spawn(boom())
    try:
        await b
    except ValueError as e:
        print("await raised", type(e).__name__, e)
    print("exception()", type(b.exception()).__name__, "cancelled", b.cancelled())
    try:
        b.result()
    except ValueError as e:
        print("result() raised", type(e).__name__, e)
    f = zs.spawn(forever())
    await zs.sleep_ms(1)
    print("cancel ->", f.cancel(), "again ->", f.cancel())
    try:
        await f
    except zs.Cancelled:
        print("await cancelled task raised Cancelled")
    print("cancelled", f.cancelled(), "done", f.done(), "cancel done ->", f.cancel())
    try:
        f.exception()
    except zs.Cancelled:
        print("exception() of a cancelled task raises Cancelled")
    p = zs.spawn(add(2, 2), name="p")
    try:
        p.result()
    except RuntimeError as e:
        print("RuntimeError", e)
    # cancelled before it ever ran: the body never starts
    q = zs.spawn(add(3, 3))
    q.cancel()
    await zs.yield_now()
    print("cancelled before start:", q.cancelled())
    return "main result"


print("run ->", zs.run(main(), clock=zs.VirtualClock()))
