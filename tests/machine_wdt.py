# machine.WDT: a fed watchdog keeps the board up; once feeding stops the board
# resets at exactly last feed + timeout, with every peripheral powered off and
# reset_cause() == WDT_RESET. Works inside a loop and without one.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin, WDT, Timer
import zsync_mp as zs

b = machine.board
b.load({"pins": {"LED": 2}})
b.use_virtual_time()
led = Pin("LED", Pin.OUT, value=1)
ticks = [0]


def tick(t):
    ticks[0] += 1


async def worker(wdt):
    for i in range(5):
        await zs.sleep_ms(200)
        wdt.feed()
        print("fed at", zs.ticks_ms())
    print("worker hangs (stops feeding) at", zs.ticks_ms())
    while True:
        await zs.sleep_ms(100)


async def main():
    wdt = WDT(timeout=500)
    Timer(-1, period=100, callback=tick)
    await worker(wdt)


try:
    zs.run(main(), clock=zs.VirtualClock())
except machine.board.BoardReset as e:
    print("BoardReset cause", e.cause, "exit code", e.code, "at board ms", b.ms())
print("reset_cause() is WDT_RESET:", machine.reset_cause() == machine.WDT_RESET)
print("LED pin back to input:", Pin(2).mode() == Pin.IN, "level", Pin(2).value())
t_before = ticks[0]
b.advance(1000)
print("Timer stopped by the reset:", ticks[0] == t_before, "(fired %d times before)" % t_before)
print("\n".join(b.log[-3:]))

print("-- without a loop")
wdt = WDT(timeout=100)
b.advance(60)
wdt.feed()
b.advance(99)
print("fed in time, board ms", b.ms())
wdt = WDT(timeout=300)  # re-init changes the timeout
b.advance(250)
print("new timeout honoured at", b.ms())
try:
    b.advance(100)
except machine.board.BoardReset as e:
    print("BoardReset", e.cause, "at", b.ms())
