# asyncio layer: asyncio.run() cancels and finishes every task it leaves on
# any exit, as CPython's does: when an exception (here KeyboardInterrupt,
# as Ctrl-C) escapes the loop, the background tasks' cleanup runs before
# run() re-raises, and the next run() starts with no task of the last one;
# also when the main task resets the loop (new_event_loop()) as it ends.
# (Tasks are cancelled in the order they were made; CPython walks a WeakSet,
# so its order varies.)
import zsync_mp.asyncio as asyncio

log = []


async def bg(name):
    try:
        await asyncio.sleep(10)
        log.append(name + " resumed: wrong")
    except asyncio.CancelledError:
        log.append(name + " cancelled")
        raise
    finally:
        log.append(name + " cleanup")


async def main():
    asyncio.create_task(bg("bg1"))
    asyncio.create_task(bg("bg2"))
    await asyncio.sleep(0)
    raise KeyboardInterrupt


async def second():
    await asyncio.sleep(0.02)
    return "second run done"


try:
    asyncio.run(main())
except KeyboardInterrupt:
    print("KeyboardInterrupt escaped run(); cleanup so far:", log)
print(asyncio.run(second()))


# The exception comes from a background task while main is suspended: main
# is cancelled too, and its cleanup runs before run() re-raises.
async def interrupter():
    await asyncio.sleep(0.01)
    raise KeyboardInterrupt


async def third():
    t = asyncio.create_task(interrupter())
    try:
        await t  # (awaited: no "exception wasn't retrieved" report, which a board's one console would mix in)
    finally:
        log.append("main cleanup")


try:
    asyncio.run(third())
except KeyboardInterrupt:
    print("KeyboardInterrupt from a task; main cleaned up:", "main cleanup" in log)
print("after the second run:", log)


# new_event_loop() from the running main task (aiorepl's way to end run()):
# MicroPython abandons the other tasks; here the run ends as it would, so
# they are cancelled and cleaned up, and the loop is reset after the run.
async def resetter():
    asyncio.create_task(bg("bg3"))
    await asyncio.sleep(0)
    asyncio.new_event_loop()
    return "resetter done"


before = asyncio.get_event_loop()
print(asyncio.run(resetter()), log[-2:], "a new loop after it:", asyncio.get_event_loop() is not before)
print("Test OK")
