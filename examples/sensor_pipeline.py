# A firmware-shaped demo: a sensor task samples every 100 ms into a bounded
# channel, a filter averages and forwards, a reporter prints; a watchdog-style
# timeout bounds each read, and a button Flag (set from an interrupt on a
# board) stops everything. Runs unchanged on MicroPython and CPython.
import zsync_mp as zs


async def sensor(tx, samples):
    with tx:
        for v in samples:
            await zs.sleep_ms(100)
            await tx.send(v)  # waits while the filter is behind (backpressure)
        await zs.sleep(3600)  # then the sensor hangs, as sensors do


async def smooth(rx, tx, n=3):
    window = []
    with rx, tx:
        async for v in rx:
            window.append(v)
            if len(window) > n:
                window.pop(0)
            await tx.send(sum(window) // len(window))


async def reporter(rx, button):
    with rx:
        while True:
            with zs.move_on_after(0.5) as s:
                v = await rx.recv()
                print("t=%4d ms  avg=%d" % (zs.ticks_ms(), v))
            if s.cancelled_caught:
                print("t=%4d ms  sensor silent for 500 ms" % zs.ticks_ms())
                button.set()
                return


async def main(clock_is_virtual=True):
    button = zs.Flag()  # on a board: Pin(0).irq(lambda p: button.set())
    raw_tx, raw_rx = zs.channel(4)
    avg_tx, avg_rx = zs.channel(1)
    async with zs.TaskGroup() as tg:
        tg.spawn(sensor(raw_tx, [20, 22, 21, 35, 34, 36, 30]), name="sensor")
        tg.spawn(smooth(raw_rx, avg_tx), name="smooth")
        tg.spawn(reporter(avg_rx, button), name="reporter")
        await button.wait()
        print("t=%4d ms  button: stopping" % zs.ticks_ms())
        tg.cancel()
    print("all tasks stopped")


if __name__ == "__main__":
    zs.run(main(), clock=zs.VirtualClock())
