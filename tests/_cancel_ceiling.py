# N sleeping tasks in one TaskGroup, held, then the group cancelled (issue 15:
# a cancellation never costs memory the tasks do not already hold). Prints
# "held N" once all are asleep, then "cancelled, 0 finished" when the group
# has exited with no child failing and none finishing its sleep (each was
# cancelled); a MemoryError while spawning prints "no room". The sleeper is
# as small as a coroutine gets, so N is the most the heap can hold.
import sys

import zsync_mp as zs

N = int(sys.argv[1]) if len(sys.argv) > 1 else 10000
finished = [0]


async def sleeper():
    await zs.sleep(100)
    finished[0] += 1


async def main():
    try:
        async with zs.TaskGroup() as tg:
            for _ in range(N):
                tg.spawn(sleeper())
            await zs.sleep_ms(1)
            print("held", N)
            tg.cancel()
    except zs.TaskGroupError:
        print("no room")  # spawning failed: the heap cannot hold them
        return
    print("cancelled, %d finished, at %d ms" % (finished[0], zs.ticks_ms()))


zs.run(main(), clock=zs.VirtualClock())
