# Running out of memory while entering a scope or a group surfaces as the
# MemoryError itself: the task's scope chain is left as it was, so the
# enclosing scopes exit normally (never "cancel scopes must be exited in the
# reverse order", which hid the real cause) and the loop goes on. The
# allocation that fails is injected: the kernel's timer heap (a deadline's
# entry). (A TaskGroup has nothing to allocate on entry: the kernel links open
# groups through them.)
import zsync_mp as zs
from zsync_mp.kernel import core as _kernel


def _no_timer(key, obj):
    raise MemoryError("injected: no room in the timer heap")


async def nap():
    await zs.sleep_ms(2)


async def main():
    K = _kernel.kernel()
    with zs.move_on_after(1) as outer:
        K.add_timer = _no_timer
        try:
            with zs.move_on_after(0.5):
                print("not reached")
        except MemoryError as e:
            print("scope entry:", e)
        del K.add_timer
        print("chain intact:", _kernel.current_task().scope is outer)
        await zs.sleep_ms(1)

    with zs.move_on_after(1) as outer:
        async with zs.TaskGroup() as tg:  # groups register without allocating
            tg.spawn(nap())
    print("outer exited normally, caught", outer.cancelled_caught)
    print("Test OK")


zs.run(main(), clock=zs.VirtualClock())
