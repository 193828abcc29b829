# diff_aio_group_abort_nested: when a child of an asyncio.TaskGroup fails,
# the group cancel()s every task left, as CPython's TaskGroup._abort does: a
# task already woken (here t1, whose own inner group just finished) gets
# CancelledError instead of its wake-up. Found by make stress
# (tests/test_diff_asyncio.py). Expected output is this file run with
# CPython's asyncio (tests/_dt_twins.py).
import zsync_mp.asyncio as asyncio


class Boom(Exception):
    pass


async def t3():
    print("t3 ran")


async def t1():
    try:
        async with asyncio.TaskGroup() as tg:
            tg.create_task(t3())
        print("t1: inner group done")
    except asyncio.CancelledError:
        print("t1: cancelled")
        raise


async def t2():
    raise Boom()


async def main():
    try:
        async with asyncio.TaskGroup() as tg:
            a = tg.create_task(t1())
            tg.create_task(t2())
    except Exception as e:  # an ExceptionGroup
        print("group raised", [type(x).__name__ for x in e.exceptions], "; t1 cancelled:", a.cancelled())


asyncio.run(main())
