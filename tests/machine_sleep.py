# lightsleep/idle advance board time (and the loop's virtual clock) with
# events firing on the way; deepsleep powers off and resets; reset() and
# soft_reset() raise BoardReset with their causes; power states are recorded.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Timer
import zsync_mp as zs

b = machine.board
b.load(None)
b.use_virtual_time()
fired = []


def cb(t):
    fired.append(zs.ticks_ms())


async def other():
    await zs.sleep_ms(100)
    print("other task resumed at", zs.ticks_ms(), "(lightsleep blocked the CPU)")


async def main():
    tm = Timer(-1, period=120, callback=cb)
    async with zs.TaskGroup() as tg:
        tg.spawn(other())
        await zs.sleep_ms(10)
        print("lightsleep(300) at", zs.ticks_ms())
        machine.lightsleep(300)
        print("woke at", zs.ticks_ms(), "timer fired during sleep at", fired)
    machine.lightsleep()  # until the next hardware event: the timer at 360
    print("lightsleep() woke at", zs.ticks_ms(), "fired", fired[-1])
    t = zs.ticks_ms()
    machine.idle()
    print("idle() took", zs.ticks_diff(zs.ticks_ms(), t), "ms")
    tm.deinit()


zs.run(main(), clock=zs.VirtualClock())
print("power states:", b.power)

print("-- deepsleep")
tm = Timer(-1, period=100, callback=cb)
n = len(fired)
t0 = b.ms()
try:
    machine.deepsleep(1000)
except machine.board.BoardReset as e:
    print("BoardReset cause", e.cause, "code", e.code, "slept", b.ms() - t0, "ms")
print("no timer callbacks while in deep sleep:", len(fired) == n)
print("reset_cause DEEPSLEEP_RESET:", machine.reset_cause() == machine.DEEPSLEEP_RESET, "wake_reason TIMER_WAKE:", machine.wake_reason() == machine.TIMER_WAKE)

print("-- reset and soft_reset")
for f in (machine.reset, machine.soft_reset):
    try:
        f()
    except SystemExit as e:
        print("SystemExit", e.code, "reset_cause", machine.reset_cause())
print("power states:", b.power[-1])
print("soft_reset kept the cause of the hard reset before it:", machine.reset_cause() == machine.HARD_RESET)
