# Low-power idle on the simulated board: when nothing is ready and the next
# timer is at least min_ms away the board light-sleeps until it; an IRQ that
# sets a Flag ends the sleep early; short waits are not slept. The recorded
# power timeline says how long the board slept.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
import zsync_mp as zs
from zsync_mp.board.idle import LowPowerIdle
import _idle_seam

b = machine.board
b.load(None)
log = []


async def blinker():
    for i in range(3):
        await zs.sleep_ms(1000)
        log.append("blink at %d" % zs.ticks_ms())


async def button(flag):
    await flag.wait()
    log.append("button at %d" % zs.ticks_ms())


async def jitter():
    for i in range(3):
        await zs.sleep_ms(2)  # below min_ms: never slept
    log.append("jitter done at %d" % zs.ticks_ms())


async def main():
    flag = zs.Flag()
    tm = machine.Timer(-1)
    tm.init(mode=machine.Timer.ONE_SHOT, period=1350, callback=lambda t: flag.set())
    async with zs.TaskGroup() as tg:
        tg.spawn(blinker())
        tg.spawn(button(flag))
        tg.spawn(jitter())


hook = LowPowerIdle(min_ms=5)
zs.run(main(), clock=_idle_seam.clock_with(hook))
for line in log:
    print(line)
print("power timeline (board ms, state, ms):")
for p in b.power:
    print(" ", p)
print("hook log (loop ms, asked, slept):", hook.log)
print(hook.report())

print("-- a sleep cut short (an interrupt) is counted; the loop sleeps again")


def half_sleep(ms):
    _kernel._K.clock.advance(ms // 2)


from zsync_mp.kernel import core as _kernel
hook = LowPowerIdle(min_ms=5, sleep=half_sleep)


async def one_sleep():
    await zs.sleep_ms(400)
    print("woke at", zs.ticks_ms())


zs.run(one_sleep(), clock=_idle_seam.clock_with(hook))
print("hook log:", hook.log, "woken early:", hook.woken_early)

print("-- a task waiting on non-Flag I/O: not slept unless io=True")
import io


class Quiet(io.IOBase):
    def ioctl(self, req, flags):
        return 0 if req == 3 else -22


async def io_wait():
    with zs.move_on_after(0.1):
        await zs.wait_readable(Quiet())
    print("gave up at", zs.ticks_ms())


for opt in (False, True):
    hook = LowPowerIdle(min_ms=5, io=opt, sleep=half_sleep)
    zs.run(io_wait(), clock=_idle_seam.clock_with(hook))
    print("io=%s: sleeps %d, declined %d" % (opt, hook.sleeps, hook.declined))

for bad in ({"min_ms": 0}, {"sleep": 5}):
    try:
        LowPowerIdle(**bad)
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e.args[0])
