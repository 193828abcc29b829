# Deep recursion in a fiber works (an io call at the bottom parks the whole
# stack), and runaway recursion raises RuntimeError (RecursionError on
# CPython) in that fiber only: it can be caught inside, or it propagates out
# of zs.fiber(), and the task and later fibers carry on.
from _io_dev import need_fibers

need_fibers()
import zsync_mp as zs

STACK = 64 * 1024  # bytes; ample for DEPTH on every port


def down(io, n):
    if n == 0:
        io.sleep_ms(1)
        return 0
    return 1 + down(io, n - 1)


def forever(n):
    return forever(n + 1) + 1


def catches(io):
    try:
        forever(0)
    except RuntimeError as e:  # RecursionError is a RuntimeError
        print("  caught in the fiber:", "recursion" in str(e))
    io.sleep_ms(1)
    return down(io, 20)


def runaway(io):
    io.sleep_ms(1)
    return forever(0)


async def main():
    print("depth 40 with a sleep at the bottom:", await zs.fiber(down, 40, stack_size=STACK))
    print("recursion error caught inside, then:", await zs.fiber(catches, stack_size=STACK))
    try:
        await zs.fiber(runaway, stack_size=STACK)
    except RuntimeError as e:
        print("out of zs.fiber: RuntimeError", "recursion" in str(e))
    print("the task still runs, a new fiber too:", await zs.fiber(down, 10))


zs.run(main(), clock=zs.VirtualClock())
