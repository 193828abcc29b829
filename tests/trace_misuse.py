# trace misuse gets clear errors; the ring keeps the newest `capacity` events.
import zsync_mp as zs
import zsync_mp.trace as trace
from zsync_mp.kernel import core as _kernel


def expect(what, f, *args):
    try:
        f(*args)
    except (TypeError, ValueError, RuntimeError) as e:
        print(what, "->", type(e).__name__ + ":", e)
    else:
        print(what, "-> no error!")


expect("save before enable", trace.save)
expect("capacity 0", trace.enable, 0)
expect("capacity str", trace.enable, "64")
expect("budget negative", trace.enable, 8, -1)
expect("warn_every 0", trace.enable, 8, 0, 0)
expect("warn not callable", trace.enable, 8, 0, 1, "stderr")
expect("label not str", trace.label, zs.Event(), 5)
print("still off:", _kernel.trace_hook is None)


async def main():
    for i in range(10):
        await zs.yield_now()


tr = trace.enable(4)
print("on:", _kernel.trace_hook is tr)
zs.run(main(), clock=zs.VirtualClock())
print("recorded", tr.count, "kept", [e[2] for e in tr.events()])
expect("save to a number", trace.save, 42)
print("off returns it:", trace.disable() is tr, "off:", _kernel.trace_hook is None)
print("disable again:", trace.disable())
tr.clear()
print("cleared:", tr.events())
expect("serve_dump key Ctrl-C", trace.serve_dump, 3)
expect("serve_dump key 256", trace.serve_dump, 256)
