# Cancelling a group (and run()'s leftovers) kicks tasks in spawn order on
# every interpreter (MicroPython dicts iterate in hash order), so a seed
# replays the same trace on CPython and MicroPython.

import zsync_mp as zs

log = []


async def child(i):
    try:
        await zs.sleep(10)
    except zs.Cancelled:
        log.append(i)
        raise


async def main():
    async with zs.TaskGroup() as tg:
        for i in range(10):
            tg.spawn(child(i))
        await zs.sleep_ms(1)
        tg.cancel()
    for i in range(5):
        zs.spawn(child(100 + i))
    await zs.yield_now()


zs.run(main(), clock=zs.VirtualClock())
print("cancelled in order:", log)
