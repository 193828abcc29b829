# FiberIo's reads on a non-blocking zs.Stream go through the Stream: the
# bytes it read ahead come first, and a cancelled fiber read takes nothing
# (the task's next read gets the line). The same plain function as with
# BlockingIo in stream_readahead.py.
from _io_dev import need_fibers

need_fibers()
import zsync_mp as zs
from _wire import Wire


def read_two(io, st):
    return io.readline(st), io.read(st, 3), io.readexactly(st, 4)


async def main():
    st = zs.Stream(Wire(b"first\nsecond\n"), nb=True)
    print("FiberIo:", await zs.fiber(read_two, st))

    st = zs.Stream(Wire(b"kept\n"), nb=True)

    def cancel_then_read(io):
        cs.cancel()  # the fiber's own scope: its next checkpoint raises
        print("read in a cancelled fiber?!", io.readline(st))

    with zs.CancelScope() as cs:
        await zs.fiber(cancel_then_read)
    print("fiber read cancelled:", cs.cancelled_caught, "the line is still there:", await st.readline())


zs.run(main())
