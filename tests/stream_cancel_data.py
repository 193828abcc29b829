# A cancelled read consumes nothing (Trio's rule for receive_some): a read
# whose task is already cancelled raises Cancelled BEFORE taking any bytes,
# so the next read gets them; and a read that took its bytes returns them:
# the cancellation waits for the next checkpoint, also when it lands while
# the read waits at the schedule point the cooperative budget puts after
# every 16th (stream_coop.py). Every read method of a non-blocking
# zs.Stream, and AsyncIo's, over a pure-Python wire (tests/_wire.py). The
# same for awrite (Trio's send_all): cancelled before, it sends nothing;
# once it sent, it returns. And a readline or readexactly cancelled while
# it waits for the rest keeps the part that came.
import zsync_mp as zs
from zsync_mp.kernel import core
from _wire import Wire


async def read_with(st, how):
    if how == "readline":
        return await st.readline()
    if how == "read":
        return await st.read(4)
    if how == "readexactly":
        return await st.readexactly(4)
    if how == "awrite":
        await st.awrite(b"sent")
        return st.s.tx
    if how == "readinto":
        buf = bytearray(4)
        n = await st.readinto(buf)
        return bytes(buf[:n])
    return await zs.AsyncIo().read(st, 4)


HOWS = ("readline", "read", "readexactly", "readinto", "AsyncIo.read", "awrite")


async def cancelled_before(how):
    # The bytes are there, the scope is cancelled before the read starts.
    st = zs.Stream(Wire(b"one\ntwo\n"), nb=True)
    got = "nothing"
    with zs.CancelScope() as cs:
        cs.cancel()
        got = await read_with(st, how)
    print(how, "in a cancelled scope: raised Cancelled:", cs.cancelled_caught, "got:", got, "written:", st.s.tx)
    print("  the next read:", await read_with(st, how))


async def cancelled_during(how, at_budget):
    # The read takes its bytes at once, without a task switch, or (at_budget)
    # passes the budget's schedule point after them; a sibling that runs in
    # the same pass cancels the reader's scope when the reader yields there
    # or at its next checkpoint: the read returns its bytes, the next
    # checkpoint raises.
    st = zs.Stream(Wire(b"one\ntwo\n"), nb=True)
    box = {}

    async def reader():
        with zs.CancelScope() as cs:
            box["cs"] = cs
            if at_budget:
                core._K.coop = 1  # the budget is spent by this read
            box["got"] = await read_with(st, how)
            box["returned"] = True
            await zs.yield_now()
            box["after"] = "not cancelled?!"
        box["caught"] = cs.cancelled_caught

    async def canceller():
        box["cs"].cancel()

    async with zs.TaskGroup() as tg:
        tg.spawn(reader())
        tg.spawn(canceller())
    print(how, "cancelled", "at the budget's schedule point" if at_budget else "after it took its bytes",
          "got:", box.get("got"), "returned:", box.get("returned"), "then Cancelled at the next checkpoint:",
          box["caught"], box.get("after", ""))


async def cancelled_waiting(how, first, rest):
    # Part of what the read needs is there; it waits for the rest and is
    # cancelled meanwhile: the part stays for the next read.
    w = Wire(first)
    st = zs.Stream(w, nb=True)
    with zs.move_on_after(0.01) as cs:
        got = await (st.readline() if how == "readline" else st.readexactly(6))
        print("returned?!", got)
    w.feed(rest)
    again = await (st.readline() if how == "readline" else st.readexactly(6))
    print(how, "cancelled while waiting for the rest:", cs.cancelled_caught, "the next read:", again)


async def main():
    for how in HOWS:
        await cancelled_before(how)
    for at_budget in (False, True):
        for how in HOWS:
            await cancelled_during(how, at_budget)
    await cancelled_waiting("readline", b"par", b"tial\n")
    await cancelled_waiting("readexactly", b"abc", b"def")


zs.run(main())
