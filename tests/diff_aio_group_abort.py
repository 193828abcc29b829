# diff_aio_group_abort: when asyncio.TaskGroup reacts to a failing child
# (found by tests/test_diff_asyncio.py; not among issue 15's listed items).
# CPython's TaskGroup learns of the failure through the child's done
# callback, which the loop runs with call_soon: the parent's body and every
# sibling ready at that moment finish the step they are resuming from, and
# the cancellation arrives at their next await. zsync_mp.asyncio cancels them
# in the step where the child fails. No time passes (every await is
# sleep(0)), so the trace has no times. Expected output
# (diff_aio_group_abort.exp) is this file run with CPython's asyncio
# (tests/_dt_twins.py).
import zsync_mp.asyncio as asyncio


class Boom(Exception):
    pass


async def failing():
    raise Boom()


async def sibling():
    try:
        await asyncio.sleep(0)
        print("sibling: first sleep(0) completed")
        await asyncio.sleep(0)
        print("sibling: second sleep(0) completed")
    except asyncio.CancelledError:
        print("sibling: cancelled")
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(sibling())
            tg.create_task(failing())
            await asyncio.sleep(0)
            print("body: first sleep(0) completed")
            await asyncio.sleep(0)
            print("body: second sleep(0) completed")
    except Exception as e:  # an ExceptionGroup
        print("group raised", [type(x).__name__ for x in e.exceptions])


asyncio.run(main())
