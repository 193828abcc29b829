# The cooperative budget of stream operations (Tokio's coop): a read that
# finds its bytes, an awrite the stream takes whole and a drain with nothing
# left complete without a task switch, except every 16th such operation in a
# kernel (core.COOP), which passes a schedule point. Shown by a sibling that
# counts its turns while one task reads, writes, drains or mixes them over a
# pure-Python wire that is always ready: the sibling runs after operations
# 16 and 32 of 40, never in between (the reader never waits). The budget is
# shared by every stream of a kernel and starts afresh in each zs.run();
# an operation that waits does not count (it switched anyway). A
# reader on an endless stream does not starve its sibling, which stops it,
# nor the timers: a deadline stops it.
# (A cancellation at that schedule point: stream_cancel_data.py.)
import zsync_mp as zs
from _wire import Wire


class Endless(Wire):
    # Always readable: every read returns another line.
    def read(self, n=-1):
        self.reads += 1
        return b"x\n"


async def op(how, st, i):
    if how == "readline":
        await st.readline()
    elif how == "awrite":
        await st.awrite(b"w")
    elif how == "drain":
        st.write(b"d")  # the wire takes it at once: drain has nothing left
        await st.drain()
    elif how == "AsyncIo.read":
        await zs.AsyncIo().read(st, 2)
    else:  # mixed: a read, then an awrite, ...
        await (st.readline() if i % 2 == 0 else st.awrite(b"m"))


async def switches(n, step, feed=None):
    # Run step(0..n-1) in one task beside a sibling that counts its turns
    # (calling feed() on each); the operations after which it had run.
    box = {"turns": 0, "done": False}
    seen = []

    async def worker():
        for i in range(n):
            t = box["turns"]
            await step(i)
            if box["turns"] != t:
                seen.append(i + 1)
        box["done"] = True

    async def sibling():
        while not box["done"]:
            box["turns"] += 1
            if feed is not None:
                feed()
            await zs.yield_now()

    async with zs.TaskGroup() as tg:
        tg.spawn(worker())
        tg.spawn(sibling())
    return seen


async def turns(how, n=40):
    st = zs.Stream(Wire(b"line\n" * n), nb=True)
    seen = await switches(n, lambda i: op(how, st, i))
    print("%-13s the sibling ran after operations %s of %d" % (how, seen, n))


async def waits_do_not_count():
    # 10 reads that wait (the sibling feeds a line only when asked), then
    # 16 awrites that complete at once: only these count, so the 16th of
    # them (operation 26) is the one that switches.
    w = Wire()
    st = zs.Stream(w, nb=True)
    want = [False]

    async def step(i):
        if i < 10:
            want[0] = True
            await st.readline()
        else:
            await st.awrite(b"w")

    def feed():
        if want[0]:
            want[0] = False
            w.feed(b"l\n")

    print("10 reads that wait, then awrites: the sibling ran after operations", await switches(26, step, feed))


async def endless():
    st = zs.Stream(Endless(), nb=True)
    box = {"stop": False, "reads": 0}

    async def reader():
        while not box["stop"]:
            await st.readline()
            box["reads"] += 1

    async def stopper():
        for _ in range(3):
            await zs.yield_now()
        box["stop"] = True

    async with zs.TaskGroup() as tg:
        tg.spawn(reader())
        tg.spawn(stopper())
    print("an endless stream: the sibling stopped its reader after", box["reads"], "reads")


async def endless_deadline():
    # Alone on an endless stream, inside a deadline: the budget's schedule
    # points let the kernel fire the timer, and the next read raises.
    st = zs.Stream(Endless(), nb=True)
    with zs.move_on_after(0.02) as cs:
        while True:
            await st.readline()
    print("an endless stream inside move_on_after: stopped by its deadline:", cs.cancelled_caught)


# Each case in a new kernel: its budget starts afresh (16).
for how in ("readline", "awrite", "drain", "AsyncIo.read", "mixed"):
    zs.run(turns(how))


async def shared():
    # The budget is the kernel's: 8 operations in one run leave 8 to the next.
    st = zs.Stream(Wire(b"line\n" * 8), nb=True)
    for _ in range(8):
        await st.readline()
    print("8 reads of another stream first, then:")
    await turns("awrite")


zs.run(shared())
zs.run(waits_do_not_count())
zs.run(endless())
zs.run(endless_deadline())
