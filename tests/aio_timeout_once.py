# asyncio layer: asyncio.timeout() cancels the block once, as CPython does:
# code that catches that CancelledError goes on, and the block then ends
# normally (no TimeoutError); an uncaught one becomes TimeoutError at the
# block's exit; a cancel() from outside during the block stays a
# CancelledError. Same output as CPython's asyncio.
import zsync_mp.asyncio as asyncio


async def victim(log):
    try:
        async with asyncio.timeout(10):
            await asyncio.sleep(5)
    except asyncio.TimeoutError:
        log.append("TimeoutError: wrong")
    except asyncio.CancelledError:
        log.append("outside cancel stays CancelledError")
        raise


async def main():
    try:
        async with asyncio.timeout(0.01) as cm:
            try:
                await asyncio.sleep(1)
            except asyncio.CancelledError:
                print("caught the timeout's cancellation")
            await asyncio.sleep(0.02)
            print("the block goes on after catching it")
        print("the block ended normally, expired:", cm.expired())
    except asyncio.TimeoutError:
        print("TimeoutError: wrong")

    try:
        async with asyncio.timeout(0.01) as cm:
            await asyncio.sleep(1)
        print("not reached")
    except asyncio.TimeoutError:
        print("uncaught: TimeoutError, expired:", cm.expired())

    async with asyncio.timeout(1) as cm:
        await asyncio.sleep(0.01)
    print("in time, expired:", cm.expired())

    async with asyncio.timeout(None) as cm:
        await asyncio.sleep(0.01)
    print("no limit, expired:", cm.expired())

    log = []
    t = asyncio.create_task(victim(log))
    await asyncio.sleep(0.01)
    t.cancel()
    try:
        await t
    except asyncio.CancelledError:
        print(log[0], "; task cancelled:", t.cancelled())
    print("Test OK")


asyncio.run(main())
