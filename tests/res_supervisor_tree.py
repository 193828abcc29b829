# Supervision trees: a supervisor as a child. The inner one restarts its own
# children; when its intensity is exceeded it fails, the outer one restarts
# it (fresh restart history); when the outer one's intensity is exceeded too,
# the error reaches the caller, naming both levels.
import zsync_mp as zs
from zsync_mp.resilience import Supervisor, child, TooManyRestarts, ONE_FOR_ONE, ONE_FOR_ALL


def log(sup, event, cid, detail):
    if event == "exit":
        how, err = detail
        print("  %4d [%s] exit %s %s %s" % (zs.ticks_ms(), sup, cid, how, type(err).__name__ if err is not None else ""))
    elif event == "start":
        print("  %4d [%s] start %s #%d" % (zs.ticks_ms(), sup, cid, detail))
    elif event == "escalate":
        print("  %4d [%s] escalate (%s)" % (zs.ticks_ms(), sup, cid))


async def sensor():
    await zs.sleep_ms(10)
    raise OSError("i2c bus error")


async def logger():
    try:
        await zs.sleep(1000)
    except zs.Cancelled:
        print("  %4d logger stopped" % zs.ticks_ms())
        raise


async def main():
    inner = Supervisor([child("sensor", sensor)], strategy=ONE_FOR_ONE, max_restarts=2, within_ms=1000,
                       name="sensors", on_event=log)
    root = Supervisor([child("logger", logger), child("sensors", inner)], strategy=ONE_FOR_ALL,
                      max_restarts=1, within_ms=1000, name="root", on_event=log)
    try:
        await root.run()
    except TooManyRestarts as e:
        print("caller got TooManyRestarts at", zs.ticks_ms())
        print("  root:", e.supervisor, e.child, type(e.error).__name__)
        print("  inner:", e.error.supervisor, e.error.child, type(e.error.error).__name__, e.error.error)
    print("root children", root.children(), "restarts", root.restarts, "inner restarts", inner.restarts)

    print("a nested supervisor whose children all finish returns normally")

    async def job(ms):
        await zs.sleep_ms(ms)

    sub = Supervisor([child("j1", job, 3, restart="transient"), child("j2", job, 5, restart="transient")], name="jobs", on_event=log)
    top = Supervisor([child("jobs", sub, restart="transient")], name="top", on_event=log)
    await top.run()
    print("top returned at", zs.ticks_ms())


zs.run(main(), clock=zs.VirtualClock())
