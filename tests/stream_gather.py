# A non-blocking zs.Stream's reads that need more than its buffer holds
# (read() to EOF, readexactly(n), readline()) gather the chunks that arrive
# across their waits and return them joined, in order, with nothing lost or
# repeated; one cancelled part way leaves what it gathered for the next
# read of any kind (readline, readexactly, read(n), readinto), in order.
# Over a pure-Python wire (tests/_wire.py), fed by a task between waits;
# the virtual clock makes every wait and cancellation land the same way on
# every interpreter. A stream that may block (nb=False) gathers a
# readexactly the same way.
import zsync_mp as zs
from _wire import Wire


def feeder(w, parts, eof=False):
    async def feed():
        for p in parts:
            await zs.sleep_ms(10)
            w.feed(p)
        w.eof = eof
    return feed()


def digits(k, n):
    # Chunk k of n bytes: a digit repeated, so order and loss both show.
    return (b"%d" % (k % 10)) * n


async def main():
    # read() to EOF across 40 waits.
    w = Wire()
    st = zs.Stream(w, nb=True)
    parts = [digits(k, 100) for k in range(40)]
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, parts, eof=True))
        got = await st.read()
    print("read() across 40 waits:", len(got), "bytes, in order:", got == b"".join(parts))

    # readexactly(n) across waits.
    w = Wire()
    st = zs.Stream(w, nb=True)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"ab", b"cd", b"efg", b"hij"]))
        print("readexactly(9) across 4 waits:", await st.readexactly(9), "then read(5):", await st.read(5))

    # A readline gathering a long line, cancelled part way: its bytes stay
    # for the reads after it.
    w = Wire()
    st = zs.Stream(w, nb=True)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"long-", b"line-", b"no-", b"end-"]))
        with zs.move_on_after(0.025):  # two chunks arrive (10 ms apart), then it is cancelled
            await st.readline()
            print("not reached")
        print("readline cancelled after 2 chunks; readexactly(4):", await st.readexactly(4))
    w.feed(b"yet\nnext")
    print("readline:", await st.readline(), "read(10):", await st.read(10))

    # A readexactly gathering, cancelled; then a readline over what it
    # gathered and what follows.
    w = Wire(b"12")
    st = zs.Stream(w, nb=True)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"34\n5", b"67"]))
        with zs.move_on_after(0.015):  # after the first chunk
            await st.readexactly(20)
            print("not reached")
        print("readexactly(20) cancelled; readline:", await st.readline(), end=" ")
        buf = bytearray(8)
        n = await st.readinto(buf)
        print("readinto:", bytes(buf[:n]))

    # A cancelled readexactly asked again for less gets it from what it
    # gathered, without reading (nothing more has come); then the rest.
    w = Wire(b"abcdef")
    st = zs.Stream(w, nb=True)
    with zs.move_on_after(0.001):
        await st.readexactly(10)
    reads = w.reads
    print("readexactly(10) cancelled after 6 bytes; readexactly(3):", await st.readexactly(3),
          "read calls for it:", w.reads - reads, end=" ")
    w.feed(b"ghij")
    print("readexactly(7):", await st.readexactly(7))

    # A cancelled read() to EOF, then read(n) and read() again.
    w = Wire()
    st = zs.Stream(w, nb=True)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"first ", b"second "]))
        with zs.move_on_after(0.015):  # after the first chunk
            await st.read()
            print("not reached")
    w.feed(b"third")
    w.eof = True
    print("read() cancelled; read(4):", await st.read(4), "read():", await st.read())

    # EOF in the middle of a gathering readexactly: EOFError says how many came.
    w = Wire()
    st = zs.Stream(w, nb=True)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"xy", b"z"], eof=True))
        try:
            await st.readexactly(5)
        except EOFError as e:
            print("EOFError:", e)

    # A stream that may block (nb=False: a UART's kind) reads what each
    # call asks: readexactly gathers the pieces as they come, in order.
    w = Wire()
    st = zs.Stream(w)
    async with zs.TaskGroup() as tg:
        tg.spawn(feeder(w, [b"u1", b"u2u3", b"u4", b"u5u6u7"]))
        print("nb=False readexactly(12) from 4 pieces:", await st.readexactly(12), "reads:", w.reads)


zs.run(main(), clock=zs.VirtualClock())
