# asyncio layer: cancelling the task that owns an asyncio.TaskGroup cancels
# every child and grandchild at once (CPython's TaskGroup aborts its tasks
# when its parent is cancelled), in the body or in the group's exit, and
# wait_for() on such an owner times out promptly. The children would sleep
# 100 s: "promptly" means the owner ended long before that.
import time

import zsync_mp.asyncio as asyncio


def now_ms():
    return time.ticks_ms() if hasattr(time, "ticks_ms") else int(time.time() * 1000)


async def sleeper(name):
    try:
        await asyncio.sleep(100)
    finally:
        print(name, "cleanup")


async def owner(in_body):
    async with asyncio.TaskGroup() as tg:
        tg.create_task(sleeper("child"))

        async def middle():
            async with asyncio.TaskGroup() as inner:
                inner.create_task(sleeper("grandchild"))

        tg.create_task(middle())
        if in_body:
            await asyncio.sleep(100)
    print("not reached")


async def main():
    for in_body in (True, False):
        t = asyncio.create_task(owner(in_body))
        await asyncio.sleep(0.01)
        t0 = now_ms()
        t.cancel()
        try:
            await t
        except asyncio.CancelledError:
            print("owner cancelled (in body: %s): %s, promptly: %s" % (in_body, t.cancelled(), now_ms() - t0 < 50000))
    t = asyncio.create_task(owner(False))
    t0 = now_ms()
    try:
        await asyncio.wait_for(t, 0.05)
    except asyncio.TimeoutError:
        print("wait_for timed out promptly:", now_ms() - t0 < 50000, "owner cancelled:", t.cancelled())
    print("Test OK")


asyncio.run(main())
