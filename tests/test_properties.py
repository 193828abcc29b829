# CPython-only property tests: random programs of channel, lock, cancel and
# timeout operations under the virtual clock, checked against invariants:
# no message lost or duplicated, per-sender order kept, locks always released,
# no task outlives its TaskGroup, the loop never deadlocks while work remains.
from hypothesis import given, settings, strategies as st

import zsync_mp as zs

senders = st.lists(
    st.tuples(
        st.integers(0, 5),  # messages
        st.integers(0, 4),  # ms between sends
        st.booleans(),  # cancelled part way through
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=150, deadline=None)
@given(senders, st.integers(0, 3), st.integers(1, 3), st.integers(0, 30))
def test_channel_exactly_once_in_order(plan, capacity, receivers, timeout_ms):
    sent, got = [], []

    async def sender(i, n, gap, tx):
        with tx:
            for j in range(n):
                await tx.send((i, j))
                sent.append((i, j))
                await zs.sleep_ms(gap)

    async def receiver(rx):
        with rx:
            async for v in rx:
                got.append(v)

    async def main():
        tx, rx = zs.channel(capacity)
        children = []
        with zs.move_on_after(timeout_ms / 1000) as scope:
            async with zs.TaskGroup() as tg:
                for i, (n, gap, cancel) in enumerate(plan):
                    t = tg.spawn(sender(i, n, gap, tx.clone()))
                    children.append(t)
                    if cancel:
                        tg.spawn(_cancel_later(t, gap + 1))
                tx.close()
                for _ in range(receivers):
                    children.append(tg.spawn(receiver(rx.clone())))
                rx.close()
        assert all(t.done() for t in children), "a task outlived its group"
        return scope

    zs.run(main(), clock=zs.VirtualClock())
    # Every value received was sent at most once, and arrives in per-sender order.
    assert len(got) == len(set(got))
    for i in range(len(plan)):
        mine = [j for s, j in got if s == i]
        assert mine == sorted(mine)
    # A completed send was received unless the receivers were cancelled
    # (timeout) while the value sat in the buffer.
    missing = set(sent) - set(got)
    assert len(missing) <= capacity


async def _cancel_later(t, ms):
    await zs.sleep_ms(ms)
    t.cancel()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5), st.booleans()), min_size=1, max_size=6))
def test_lock_always_released_and_exclusive(plan):
    holders = []
    inside = [0]

    async def user(hold_ms, start_ms, lock):
        await zs.sleep_ms(start_ms)
        async with lock:
            inside[0] += 1
            assert inside[0] == 1, "two tasks inside the lock"
            holders.append(zs.current_task())
            try:
                await zs.sleep_ms(hold_ms)
            finally:
                inside[0] -= 1

    async def main():
        lock = zs.Lock()
        async with zs.TaskGroup() as tg:
            for hold, start, cancel in plan:
                t = tg.spawn(user(hold, start, lock))
                if cancel:
                    tg.spawn(_cancel_later(t, start + 1))
        assert not lock.locked(), "lock left held"
        assert lock.try_acquire()

    zs.run(main(), clock=zs.VirtualClock())


@settings(max_examples=100, deadline=None)
@given(st.lists(st.integers(0, 20), min_size=1, max_size=8), st.integers(0, 25))
def test_timeouts_fire_once_and_never_early(delays, timeout):
    log = []

    async def waiter(ms):
        start = zs.ticks_ms()
        with zs.move_on_after(timeout / 1000) as s:
            await zs.sleep_ms(ms)
        elapsed = zs.ticks_diff(zs.ticks_ms(), start)
        log.append((ms, elapsed, s.cancelled_caught))

    async def main():
        async with zs.TaskGroup() as tg:
            for d in delays:
                tg.spawn(waiter(d))

    zs.run(main(), clock=zs.VirtualClock(start=(1 << 30) - 10))
    for ms, elapsed, caught in log:
        if caught:
            assert elapsed == timeout and timeout <= ms  # a tie may go either way
        else:
            assert elapsed == ms and ms <= timeout
