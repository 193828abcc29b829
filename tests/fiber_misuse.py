# Misuse of fibers gets a clear exception: zs.fiber on a non-callable, a bad
# stack_size or an async function; FiberIo calls outside their fiber (a bare
# FiberIo, one kept after its fiber ended, one used from another task while
# its fiber is parked); suspend() outside a fiber; a fiber that suspends by
# itself instead of through its io; bad arguments to io.*.
from _io_dev import need_fibers

need_fibers()
import zsync_mp as zs
from zsync_mp.io import fiber as _fiber


def err(f, *a, **kw):
    try:
        r = f(*a, **kw)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    if hasattr(r, "close"):
        r.close()
    return "no error"


def nop(io):
    return 1


async def coro_fn(io):
    return 1


class Thing:
    def __repr__(self):
        return "<Thing>"


print("zs.fiber(42):", err(zs.fiber, 42))
print("zs.fiber(Thing()):", err(zs.fiber, Thing()))
print("stack_size=-1:", err(zs.fiber, nop, stack_size=-1))
print("stack_size='big':", err(zs.fiber, nop, stack_size="big"))
print("stack_size=True:", err(zs.fiber, nop, stack_size=True))
print("stack_size=0 (port default):", err(zs.fiber, nop, stack_size=0))
io = zs.FiberIo()
print("bare FiberIo().sleep_ms:", err(io.sleep_ms, 1))
print("bare FiberIo().await_(coroutine):", err(io.await_, coro_fn(None)))
try:
    _fiber.backend().suspend(1)
except RuntimeError as e:
    print("suspend outside a fiber:", e)

kept = []


def keep(io):
    kept.append(io)
    io.sleep_ms(1)
    return "kept"


def parked(io, ev):
    kept.append(io)
    io.wait(ev)
    return "woken"


def rogue(io):
    try:
        _fiber.backend().suspend("not through io")
    except RuntimeError as e:
        print("  rogue suspend:", e)
    return "rogue done"


def bad_args(io, u):
    for name, f, a in (
        ("sleep_ms(-1)", io.sleep_ms, (-1,)),
        ("sleep('x')", io.sleep, ("x",)),
        ("read(u, -1)", io.read, (u, -1)),
        ("read(42, 1)", io.read, (42, 1)),
        ("write(u, 'text')", io.write, (u, "text")),
        ("wait(42)", io.wait, (42,)),
        ("lock(42)", io.lock, (42,)),
        ("await_(42)", io.await_, (42,)),
        ("send(42, 1)", io.send, (42, 1)),
        ("recv(42)", io.recv, (42,)),
    ):
        print("  io.%s: %s" % (name, err(f, *a).split(":")[0]))
    io.sleep_ms(1)
    return "still usable"


async def main():
    print(await zs.fiber(keep))
    print("io kept after its fiber ended:", err(kept[0].sleep_ms, 1))
    ev = zs.Event()

    async def run_parked():
        return await zs.fiber(parked, ev)

    t = zs.spawn(run_parked())
    await zs.yield_now()
    print("io of a parked fiber, from another task:", err(kept[1].sleep_ms, 1))
    ev.set()
    print(await t)
    try:
        await zs.fiber(coro_fn)
    except TypeError as e:
        print("async function:", str(e).split(";")[0])
    print(await zs.fiber(rogue))
    print(await zs.fiber(bad_args, zs.Stream(Thing())))


zs.run(main(), clock=zs.VirtualClock())
