# Flag: set() before wait() is remembered once; wait() auto-clears; one waiter;
# set() from another thread wakes a loop that is idle in poll().
import zsync_mp as zs


async def main():
    f = zs.Flag()
    f.set()
    print("is_set", f.is_set())
    await f.wait()
    print("wait after set returns at once, is_set", f.is_set())

    async def waiter(name):
        await f.wait()
        print(name, "woke at", zs.ticks_ms())

    async with zs.TaskGroup() as tg:
        tg.spawn(waiter("w"))
        await zs.sleep_ms(4)
        f.set()
        f.set()
    print("two sets, one wake; is_set", f.is_set())

    async with zs.TaskGroup() as tg:
        tg.spawn(waiter("first"))
        await zs.yield_now()
        t = zs.spawn(waiter("second"))
        try:
            await t
        except RuntimeError as e:
            print("second waiter:", e)
        f.set()

    # Cancel a Flag waiter; the flag still works afterwards.
    with zs.move_on_after(0.002) as s:
        await f.wait()
    print("timed out", s.cancelled_caught)
    f.set()
    await f.wait()
    print("flag usable after cancel")


zs.run(main(), clock=zs.VirtualClock())


def threaded():
    try:
        import _thread
    except ImportError:
        import _thread
    import time

    f = zs.Flag()

    def irq_like():
        time.sleep_ms(20) if hasattr(time, "sleep_ms") else time.sleep(0.02)
        f.set()

    async def main():
        _thread.start_new_thread(irq_like, ())
        await f.wait()
        return "woken by another thread"

    print(zs.run(main()))


threaded()
