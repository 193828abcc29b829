# Without a fiber backend (MicroPython firmware built without _zsync_fiber, or
# CPython without greenlet) zs.fiber raises a RuntimeError that names what is
# missing, while the rest of the runtime, BlockingIo and AsyncIo keep working.
# Runs on every interpreter: the backend is hidden, then restored.
import sys
import zsync_mp as zs
from zsync_mp.io import fiber as _fiber


def nop(io):
    return 1


saved = _fiber.backend()
# Hide both backends: imports of the C module and of greenlet fail, and the
# already-imported greenlet backend is forgotten so it is imported again.
pkg = sys.modules["zsync_mp.io"]
gf = getattr(pkg, "greenfiber", None)
hidden = {}
for name in ("_zsync_fiber", "greenlet", "zsync_mp.io.greenfiber"):
    hidden[name] = sys.modules.get(name)
    sys.modules[name] = None
if gf is not None:
    del pkg.greenfiber
    del sys.modules["zsync_mp.io.greenfiber"]
print("no module importable: backend is None:", _fiber._load() is None)
for name, mod in hidden.items():
    if mod is None:
        sys.modules.pop(name, None)
    else:
        sys.modules[name] = mod
if gf is not None:
    pkg.greenfiber = gf

_fiber.use_backend(None)
try:
    zs.fiber(nop)
except RuntimeError as e:
    msg = str(e)
    print("zs.fiber raises RuntimeError:", msg == _fiber._MISSING)
    print("it names the missing module:", ("_zsync_fiber module" in msg) != ("greenlet" in msg))


async def main():
    try:
        await zs.fiber(nop)
    except RuntimeError:
        print("await zs.fiber(...) raises it too")
    await zs.sleep_ms(1)
    return await zs.AsyncIo().await_(zs.sleep_ms(1))


print("the loop still runs:", zs.run(main(), clock=zs.VirtualClock()))
zs.BlockingIo().sleep_ms(1)
print("BlockingIo still works")
_fiber.use_backend(saved)
print("restored:", _fiber.backend() is saved)
