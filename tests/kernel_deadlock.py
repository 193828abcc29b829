# When every task is blocked and nothing (timer, I/O, Flag) can wake one, run()
# raises a clear error instead of hanging; detached tasks left at the end are
# cancelled and their cleanup runs.
import zsync_mp as zs


async def stuck():
    await zs.Event().wait()


async def background(name, virtual):
    try:
        while True:
            await zs.sleep_ms(3)
    finally:
        print(name, "cleaned up", ("at %d" % zs.ticks_ms()) if virtual else "")


async def main2(virtual=True):
    zs.spawn(background("bg1", virtual))
    zs.spawn(background("bg2", virtual))
    await zs.sleep_ms(10)
    return "main done"


try:
    zs.run(stuck(), clock=zs.VirtualClock())
except RuntimeError as e:
    print("RuntimeError:", str(e).split(" (")[0])
print(zs.run(main2(), clock=zs.VirtualClock()))
print(zs.run(main2(False)))  # real clock
