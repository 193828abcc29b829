# diff_aio_group_abort_owner: a failing child aborts its asyncio.TaskGroup by
# cancel()ing the tasks left and the owner, as CPython does; it does not
# cancel tasks of a group nested in the owner's body through scopes: that
# nested group reacts to its owner's CancelledError one round later, so its
# child t2, already past its sleep(0), finishes. Found by make stress
# (tests/test_diff_asyncio.py). Expected output is this file run with
# CPython's asyncio (tests/_dt_twins.py).
import zsync_mp.asyncio as asyncio


class Boom(Exception):
    pass


async def t1():
    raise Boom()


async def t2():
    try:
        await asyncio.sleep(0)
        print("t2: slept 0")
    except asyncio.CancelledError:
        print("t2: cancelled")
        raise


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(t1())
            async with asyncio.TaskGroup() as inner:
                inner.create_task(t2())
    except Exception as e:  # an ExceptionGroup
        print("group raised", [type(x).__name__ for x in e.exceptions])
    print("main: cancelling() is back to", asyncio.current_task().cancelling())


asyncio.run(main())
