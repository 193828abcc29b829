# Fault injection into channel users: a pipeline producer -> relay ->
# consumer and a select() loop, with a cancellation or an exception at every
# suspend point of the relay. Afterwards: nothing was received twice or out
# of order, at most the values the relay held were lost, every task ended
# (nobody hangs on a channel whose other side is gone), and a fresh message
# still flows through a new channel.
import _faults
import zsync_mp as zs
from zsync_mp import sim

N = 6


async def producer(tx, sent):
    with tx:
        try:
            for i in range(N):
                await tx.send(i)
                sent.append(i)
        except zs.ChannelClosed:
            pass  # the relay is gone: stop producing


async def relay(rx, tx):
    with rx, tx:
        async for v in rx:
            await zs.sleep_ms(1)
            await tx.send(v)


async def consumer(rx, got):
    with rx:
        async for v in rx:
            got.append(v)


async def fresh_channel():
    tx, rx = zs.channel(1)
    await tx.send("x")
    return await rx.recv() == "x"


def check(sent, got, held, problems, plan):
    if got != sorted(set(got)):
        problems.append("received out of order or twice: %r" % got)
    lost = [v for v in sent if v not in got]
    if len(lost) > held:
        problems.append("lost %r" % lost)


def pipeline(plan):
    sent = []
    got = []
    problems = []

    async def again():
        if not await fresh_channel():
            problems.append("fresh channel broken")

    async def main():
        a_tx, a_rx = zs.channel(1)
        b_tx, b_rx = zs.channel(0)
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(producer(a_tx, sent))
                tg.spawn(_faults.target(plan, relay(a_rx, b_tx), again))
                tg.spawn(consumer(b_rx, got))
        except zs.TaskGroupError:
            pass
        check(sent, got, 2, problems, plan)  # the relay held one value, the buffer one
        if plan.kind == "cancel" and not plan.caught and got != list(range(N)):
            problems.append("uninterrupted run lost messages: %r" % got)
        await again()

    sim.run(main(), seed=7)
    return problems


async def selector(a_rx, b_rx, got):
    with a_rx, b_rx:
        open_ = 2
        while open_:
            try:
                i, v = await zs.select(a_rx, b_rx)
                got.append((i, v))
            except zs.ChannelClosed:
                open_ -= 1
                if open_:  # drain the other one alone
                    rx = b_rx if a_rx._st.txs == 0 else a_rx
                    async for v in rx:
                        got.append((1 if rx is b_rx else 0, v))
                    open_ = 0


async def feeder(tx, base, sent):
    with tx:
        try:
            for i in range(3):
                await zs.sleep_ms(1)
                await tx.send(base + i)
                sent.append(base + i)
        except zs.ChannelClosed:
            pass


def select_loop(plan):
    sent = []
    got = []
    problems = []

    async def main():
        a_tx, a_rx = zs.channel(1)
        b_tx, b_rx = zs.channel(1)
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(feeder(a_tx, 0, sent))
                tg.spawn(feeder(b_tx, 10, sent))
                tg.spawn(_faults.target(plan, selector(a_rx, b_rx, got)))
        except zs.TaskGroupError:
            pass
        vals = [v for i, v in got]
        if len(vals) != len(set(vals)):
            problems.append("select delivered twice: %r" % got)
        if len([v for v in sent if v not in vals]) > 2:
            problems.append("select lost more than the two buffers: sent %r got %r" % (sent, vals))
        if a_rx._st.watchers or b_rx._st.watchers:
            problems.append("select left a watcher registered")
        if not await fresh_channel():
            problems.append("fresh channel broken")

    sim.run(main(), seed=7)
    return problems


_faults.sweep("pipeline relay", pipeline)
_faults.sweep("select loop", select_loop)
