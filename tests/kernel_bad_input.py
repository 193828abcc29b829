# Bad input to the kernel's time calls gets an error that names the problem,
# and infinity means what it means in Trio: sleep(inf) sleeps until
# cancelled, move_on_after(inf)/fail_after(inf) have no deadline. run()
# checks its clock. Times are virtual ms.
import zsync_mp as zs

INF = float("inf")


def show(what, fn):
    try:
        fn()
        print(what, "-> accepted")
    except Exception as e:
        print(what, "->", type(e).__name__, e)


async def main():
    with zs.move_on_after(0.01) as s:
        await zs.sleep(INF)
    print("sleep(inf) until cancelled: caught", s.cancelled_caught, "at", zs.ticks_ms())
    with zs.move_on_after(INF) as s:
        await zs.sleep(0.005)
    print("move_on_after(inf): deadline", s.deadline, "caught", s.cancelled_caught, "at", zs.ticks_ms())
    with zs.fail_after(INF) as s:
        await zs.sleep(0.005)
    print("fail_after(inf): deadline", s.deadline, "at", zs.ticks_ms())
    show("sleep(nan)", lambda: zs.sleep(float("nan")))
    show("sleep(-inf)", lambda: zs.sleep(-INF))
    show("sleep(10**12)", lambda: zs.sleep(10 ** 12))
    show("fail_after('1')", lambda: zs.fail_after("1"))
    show("sleep_ms(inf)", lambda: zs.sleep_ms(INF))


zs.run(main(), clock=zs.VirtualClock())


async def nothing():
    pass


for bad in (42, "virtual", zs.VirtualClock):
    c = nothing()
    try:
        zs.run(c, clock=bad)
        print("clock", repr(bad)[:20], "-> accepted")
    except TypeError as e:
        msg = str(e)  # (without the repr, which differs between ports for a class)
        print("run(clock=%s) -> TypeError %s%s" % (type(bad).__name__, msg.split(", got")[0], "; asks: did you forget to call it?" if "forget to call" in msg else ""))
    c.close()
print("Test OK")
