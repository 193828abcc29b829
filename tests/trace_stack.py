# zs.dump() async stacks: CPython walks cr_await (function, file:line, outermost
# first); MicroPython exposes no frames, so it names the park site (.exp).
import zsync_mp as zs
import zsync_mp.trace as trace


async def read_frame(ev):
    await ev.wait()


async def read_packet(ev):
    await read_frame(ev)


async def modem(ev):
    while True:
        await read_packet(ev)


async def main():
    ev = trace.label(zs.Event(), "modem irq")
    async with zs.TaskGroup() as tg:
        tg.spawn(modem(ev), name="modem")
        await zs.sleep_ms(5)
        trace.dump(times=False)
        tg.cancel()


trace.enable(32)
zs.run(main(), clock=zs.VirtualClock())
