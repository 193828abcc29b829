# The partner tasks the heap tests run beside the measured loop (shared by
# heap_steady_state.py, heap_virtual_clock.py and trace_heap.py). Each runs
# until stop[0] is set.
import zsync_mp as zs


async def spinner(stop):
    while not stop[0]:
        await zs.yield_now()


async def sleeper(stop, ms=1):
    while not stop[0]:
        await zs.sleep_ms(ms)


async def event_partner(ping, pong, stop):
    while not stop[0]:
        await ping.wait()
        ping.clear()
        pong.set()


async def flag_partner(ping, pong, stop):
    while not stop[0]:
        await ping.wait()
        pong.set()


async def lock_user(lock, stop):
    while not stop[0]:
        await lock.acquire()
        await zs.yield_now()
        lock.release()


async def sem_user(sem, stop):
    while not stop[0]:
        await sem.acquire()
        await zs.yield_now()
        sem.release()


async def producer(tx, stop):
    while not stop[0]:
        await tx.send(1)
