# Twins of the regression scripts tests/diff_*.py: the same program written
# for Trio (diff_* about zsync_mp), or the script itself run on CPython's
# asyncio (diff_aio_* about zsync_mp.asyncio), printing the same trace. Their output IS the expected
# output: tests/diff_<name>.exp is written from it and
# tests/test_diff_trio.py checks that it still is. CPython only.
#
#   python tests/_dt_twins.py [--write] [names...]   (prints, or writes the .exp)
import os
import sys

import trio
import trio.testing

HERE = os.path.dirname(os.path.abspath(__file__))


def log(*a):
    print(round(trio.current_time() * 1000), *a)


async def group_exit_cancel():
    async def blocked(rx):
        try:
            await rx.receive()
        except trio.Cancelled:
            log("child cancelled")
            raise

    async def case1():
        tx, rx = trio.open_memory_channel(0)
        with trio.move_on_after(0) as sc:
            async with trio.open_nursery() as n:
                n.start_soon(blocked, rx)
            log("case 1: after group, inside the expired scope")
        log("case 1: cancelled_caught", sc.cancelled_caught)

    async def canceller(cs):
        cs.cancel()

    async def owner(cs):
        with cs:  # the owner's root scope: what Task.cancel() cancels
            try:
                async with trio.open_nursery() as n:
                    n.start_soon(canceller, cs)
                log("case 2: owner after group")
                await trio.sleep(0.005)
                log("case 2: owner after sleep")
            except trio.Cancelled:
                log("case 2: owner cancelled")
                raise

    await trio.sleep(0.010)
    await case1()
    cs = trio.CancelScope()
    async with trio.open_nursery() as n:
        n.start_soon(owner, cs)
    log("case 2: owner.cancelled()", cs.cancelled_caught)


async def cancel_grandchild():
    async def grandchild():
        try:
            await trio.lowlevel.checkpoint()  # yield_now()
            log("grandchild: resumed after the cancel")
            await trio.sleep(0.005)
        except trio.Cancelled:
            log("grandchild: cancelled")
            raise

    async def child():
        async with trio.open_nursery() as n:
            n.start_soon(grandchild)

    async def nothing():
        pass

    await trio.sleep(0.010)
    try:
        async with trio.open_nursery() as n:
            n.start_soon(child)
            async with trio.open_nursery() as inner:
                inner.start_soon(nothing)
                raise ValueError("Boom")
    except BaseExceptionGroup:
        log("group raised")


async def group_exit_yields():
    async def t1():
        await trio.sleep(0.001)
        log("t1 slept 1")

    async def nothing():
        pass

    cs = trio.CancelScope()  # t1's root scope (zs Task.cancel())

    async def t1_task():
        with cs:
            await t1()

    async with trio.open_nursery() as n:
        n.start_soon(t1_task)
        async with trio.open_nursery() as inner:
            inner.start_soon(nothing)
            await trio.sleep(0.001)
        log("inner group done")
        cs.cancel()
        log("cancelled t1")
    log("t1 cancelled:", cs.cancelled_caught)


def asyncio_twin(name):
    # The script itself on CPython's asyncio: its one import line swapped.
    with open(os.path.join(HERE, name + ".py")) as f:
        src = f.read()
    line = "import zsync_mp.asyncio as asyncio\n"
    assert src.count(line) == 1, "%s.py must import zsync_mp.asyncio as asyncio once" % name
    code = compile(src.replace(line, "import asyncio\n"), name + " (CPython asyncio twin)", "exec")
    exec(code, {"__name__": "__main__"})


# name -> Trio twin (an async function), or asyncio_twin for asyncio scripts.
TWINS = {
    "diff_group_exit_cancel": group_exit_cancel,
    "diff_cancel_grandchild": cancel_grandchild,
    "diff_aio_group_abort": asyncio_twin,
    "diff_group_exit_yields": group_exit_yields,
    "diff_aio_group_abort_nested": asyncio_twin,
    "diff_aio_group_abort_owner": asyncio_twin,
}


def output(name):
    """What the twin of tests/<name>.py prints."""
    import contextlib
    import io

    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        if TWINS[name] is asyncio_twin:
            asyncio_twin(name)
        else:
            trio.run(TWINS[name], clock=trio.testing.MockClock(autojump_threshold=0))
    return buf.getvalue()


def main(args):
    write = "--write" in args
    for name in [a for a in args if a != "--write"] or sorted(TWINS):
        out = output(name)
        if write:
            with open(os.path.join(HERE, name + ".exp"), "w") as f:
                f.write(out)
        else:
            sys.stdout.write(out)


if __name__ == "__main__":
    main(sys.argv[1:])
