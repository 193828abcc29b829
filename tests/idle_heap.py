# WatchdogFeeder check-ins allocate nothing on MicroPython (heap_lock + mem_alloc).
import _alloc

_alloc.skip_unless_micropython()
import zsync_mp as zs
from zsync_mp.board.watchdog import WatchdogFeeder


class Wdt:
    def feed(self):
        pass


async def main():
    f = WatchdogFeeder(1000, wdt=Wdt())
    c = f.register("loop", 500)

    def step():
        c.checkin()
        return zs.yield_now()

    await _alloc.measure("Checkin.checkin()", step)


zs.run(main())
