# Per-task CPU time and switch counts; a task that runs longer than the
# budget between checkpoints gets a warning naming it (1st, then every Nth).
import zsync_mp as zs
import zsync_mp.trace as trace
from zsync_mp.kernel.port import ticks_us, ticks_diff

warnings = []


# The hog spins 5 x 30 ms. The checks allow 1 ms less per spin: a board's
# ticks_us can read up to 1 ms low when its ms counter ticks between the two
# reads it makes (MicroPython's QEMU Cortex-M port does), and a spin that
# starts on such a reading ends 1 ms early by the tracer's clock.
def spin_us(us):
    t0 = ticks_us()
    while ticks_diff(ticks_us(), t0) < us:
        pass


async def hog():
    for i in range(5):
        spin_us(30000)  # over the 20 ms budget, without a checkpoint
        await zs.yield_now()


async def polite():
    for i in range(7):
        await zs.yield_now()


async def main(tr):
    async with zs.TaskGroup() as tg:
        h = tg.spawn(hog(), name="hog")
        p = tg.spawn(polite())  # unnamed: the coroutine's name
        await zs.sleep_ms(1)
        sh = tr.stat(h)
        sp = tr.stat(p)
    print("hog switches", sh.switches, "overruns", sh.overruns, "cpu >= 145 ms:", sh.cpu_s * 1000000 + sh.cpu_us >= 145000)
    print("hog longest run >= 29000 us:", sh.max_us >= 29000)
    print("polite switches", sp.switches, "overruns", sp.overruns)


tr = trace.enable(128, budget_us=20000, warn_every=3, warn=warnings.append)
zs.run(main(tr), clock=zs.VirtualClock())
for w in warnings:
    # "... task hog ran 30012 us without a checkpoint (budget 2000 us; overrun #1)"
    head, rest = w.split(" ran ")
    print(head, "ran N", rest.split(" ", 1)[1])
print("overrun events:", [e[3].name for e in tr.events() if e[2] == "overrun"])
