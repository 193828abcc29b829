# Under zs.VirtualClock (what simulation uses) steady-state sleeping and
# timeouts allocate nothing either: the kernel binds the clock's methods once.
import zsync_mp as zs
import _alloc
from _heap_tasks import sleeper

_alloc.skip_unless_micropython()


async def main():
    stop = [False]
    async with zs.TaskGroup() as tg:
        for i in range(5):
            tg.spawn(sleeper(stop, 3))
        await _alloc.measure("virtual clock: sleep_ms(1) with 5 sleepers", lambda: zs.sleep_ms(1), 300)
        scope = zs.CancelScope()

        def timed_wait():
            scope.deadline = zs.ticks_add(zs.ticks_ms(), 50)
            return zs.sleep_ms(2)

        with scope:
            await _alloc.measure("virtual clock: moving a scope deadline + sleep", timed_wait, 300)
        stop[0] = True
    print("elapsed is virtual:", zs.ticks_ms() < 100000)


zs.run(main(), clock=zs.VirtualClock())
