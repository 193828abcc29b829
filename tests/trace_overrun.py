# Per-task CPU time and switch counts; a task that runs longer than the
# budget between checkpoints gets a warning naming it (1st, then every Nth).
import zsync_mp as zs
import zsync_mp.trace as trace
from zsync_mp.kernel.port import ticks_us, ticks_diff

warnings = []


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
    print("hog switches", sh.switches, "overruns", sh.overruns, "cpu >= 150 ms:", sh.cpu_s * 1000000 + sh.cpu_us >= 150000)
    print("hog longest run >= 30000 us:", sh.max_us >= 30000)
    print("polite switches", sp.switches, "overruns", sp.overruns)


tr = trace.enable(128, budget_us=20000, warn_every=3, warn=warnings.append)
zs.run(main(tr), clock=zs.VirtualClock())
for w in warnings:
    # "... task hog ran 30012 us without a checkpoint (budget 2000 us; overrun #1)"
    head, rest = w.split(" ran ")
    print(head, "ran N", rest.split(" ", 1)[1])
print("overrun events:", [e[3].name for e in tr.events() if e[2] == "overrun"])
