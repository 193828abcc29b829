# Tracing on: switches, parks, wakes and sleeps allocate nothing (heap_lock + mem_alloc).
import _alloc

_alloc.skip_unless_micropython()
import zsync_mp as zs
import zsync_mp.trace as trace
from _heap_tasks import spinner, sleeper, event_partner, flag_partner, lock_user, producer


async def main(tr):
    stop = [False]
    async with zs.TaskGroup() as tg:
        for i in range(10):
            tg.spawn(spinner(stop))
        tg.spawn(sleeper(stop))
        await _alloc.measure("traced yield_now with 10 spinners", zs.yield_now)
        await _alloc.measure("traced sleep_ms(1)", lambda: zs.sleep_ms(1), 200)
        ping, pong = trace.label(zs.Event(), "ping"), zs.Event()
        tg.spawn(event_partner(ping, pong, stop))

        def event_round():
            ping.set()
            pong.clear()
            return pong.wait()

        await _alloc.measure("traced Event ping-pong", event_round)
        fping, fpong = zs.Flag(), zs.Flag()
        tg.spawn(flag_partner(fping, fpong, stop))

        def flag_round():
            fping.set()
            return fpong.wait()

        await _alloc.measure("traced Flag ping-pong", flag_round)
        lock = zs.Lock()
        for i in range(3):
            tg.spawn(lock_user(lock, stop))

        def lock_round():
            return zs.yield_now()

        await _alloc.measure("traced Lock handoff among 3", lock_round)
        tx, rx = zs.channel(8)
        tg.spawn(producer(tx, stop))

        def chan_round():
            if len(rx) == 0:
                return rx.ready()
            rx.try_recv()

        await _alloc.measure("traced channel send + ready/try_recv", chan_round)

        def mark_round():
            trace.mark("tick")
            return zs.yield_now()

        await _alloc.measure("trace.mark() + yield_now", mark_round)
        stop[0] = True
        tg.cancel()
    print("ring wrapped:", tr.full)


# A budget nobody exceeds: the overrun check runs on every switch.
tr = trace.enable(64, budget_us=10000000)
zs.run(main(tr))


# Under a VirtualClock events also read the loop's clock (simulated ms).
async def virtual_main():
    stop = [False]
    async with zs.TaskGroup() as tg:
        for i in range(5):
            tg.spawn(spinner(stop))
        await _alloc.measure("traced yield_now, virtual clock", zs.yield_now)
        stop[0] = True


zs.run(virtual_main(), clock=zs.VirtualClock())
print("virtual clock seen:", tr.virtual)
