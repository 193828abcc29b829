# Steady-state operations allocate nothing on MicroPython (heap_lock + mem_alloc).
import _alloc

_alloc.skip_unless_micropython()
import zsync_mp as zs
from _heap_tasks import spinner, sleeper, event_partner, flag_partner, lock_user, sem_user, producer


async def main():
    stop = [False]
    async with zs.TaskGroup() as tg:
        for i in range(10):
            tg.spawn(spinner(stop))
        tg.spawn(sleeper(stop))
        await _alloc.measure("yield_now with 10 spinners", zs.yield_now)
        await _alloc.measure("sleep_ms(1) with 10 spinners", lambda: zs.sleep_ms(1), 200)

        ping, pong = zs.Event(), zs.Event()
        tg.spawn(event_partner(ping, pong, stop))

        def event_round():
            ping.set()
            pong.clear()
            return pong.wait()

        await _alloc.measure("Event wait/set ping-pong", event_round)

        fping, fpong = zs.Flag(), zs.Flag()
        tg.spawn(flag_partner(fping, fpong, stop))

        def flag_round():
            fping.set()
            return fpong.wait()

        await _alloc.measure("Flag wait/set ping-pong", flag_round)

        lock = zs.Lock()
        for i in range(3):
            tg.spawn(lock_user(lock, stop))

        async_holder = [False]

        def lock_round():
            if async_holder[0]:
                lock.release()
                async_holder[0] = False
                return zs.yield_now()
            async_holder[0] = True
            return lock.acquire()

        await _alloc.measure("Lock acquire/release under contention", lock_round)
        if async_holder[0]:
            lock.release()

        sem = zs.Semaphore(2)
        for i in range(4):
            tg.spawn(sem_user(sem, stop))
        await _alloc.measure("Semaphore under contention", zs.yield_now)

        tx, rx = zs.channel(16)
        tg.spawn(producer(tx, stop))

        def chan_round():
            # ready() parks until the producer has sent; try_recv() takes it.
            if len(rx) == 0:
                return rx.ready()
            rx.try_recv()

        await _alloc.measure("channel send (capacity 16) + ready/try_recv", chan_round)
        # recv() of a value must carry it out of the await in a new
        # StopIteration: the one allocation MicroPython cannot avoid in Python
        # (.exp); the C twin of the awaitable (_zsync_core, firmware built
        # with native/) returns it without one (.core.exp).
        await _alloc.measure("channel recv() of a value", rx.recv)
        tg.cancel()


zs.run(main())
print("done")
