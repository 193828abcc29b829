# Misuse gets a clear exception; the loop keeps working.
import zsync_mp as zs


def show(label, fn):
    try:
        fn()
        print(label, "-> no error")
    except Exception as e:
        msg = str(e)
        hint = " (hints: did you forget to call it?)" if "forget to call" in msg else ""
        print(label, "->", type(e).__name__ + ":", msg.split(", got")[0] + hint)


async def nothing():
    return 1


async def awaits_itself():
    await zs.current_task()


async def crashes():
    raise KeyError("unretrieved")


async def main():
    show("spawn(non-coroutine)", lambda: zs.spawn(42))
    show("spawn(coroutine function)", lambda: zs.spawn(nothing))
    show("spawn(name=5)", lambda: zs.spawn(nothing(), name=5))
    show("sleep(-1)", lambda: zs.sleep(-1))
    show("sleep('1')", lambda: zs.sleep("1"))
    show("sleep_ms(1.5)", lambda: zs.sleep_ms(1.5))
    show("sleep_ms(-3)", lambda: zs.sleep_ms(-3))
    show("sleep_ms(2**29)", lambda: zs.sleep_ms(2**29))
    show("sleep(1e9)", lambda: zs.sleep(1e9))
    show("move_on_after(-1)", lambda: zs.move_on_after(-1))
    show("fail_after(None)", lambda: zs.fail_after(None))
    show("CancelScope(deadline=1.5)", lambda: zs.CancelScope(deadline=1.5))
    c = nothing()
    show("run inside a running loop", lambda: zs.run(c))
    t = zs.spawn(awaits_itself(), name="selfish")
    try:
        await t
    except RuntimeError as e:
        print("await itself ->", e)
    zs.spawn(crashes(), name="crasher")
    await zs.sleep_ms(1)
    print("loop still runs after an unretrieved task exception")
    return "ok"


def outside():
    show("spawn outside a loop", lambda: zs.spawn(nothing()))
    show("current_task outside a loop", lambda: zs.current_task())
    show("run(non-coroutine)", lambda: zs.run(42))
    try:
        zs.run(zs.sleep(1))
    except TypeError as e:
        print("run(awaitable) -> TypeError:", e.args[0].split(",")[0])


outside()
print(zs.run(main(), clock=zs.VirtualClock()))
outside()
