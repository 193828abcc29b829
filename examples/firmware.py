# firmware: a small but real zsync_mp app to copy as a starting point.
#
#   sampler   reads the ADC every 100 ms into a bounded channel (backpressure)
#   filter    averages the last 4 samples and publishes the latest value
#   button    a pin IRQ (hard handler: allocates nothing) sets a zs.Flag;
#             the task debounces it and toggles the LED; a long press stops
#   console   a UART command line over zs.Stream: "status", "led", "stop"
#   watchdog  machine.WDT, fed only while the sampler is healthy
#
# Every task lives in one TaskGroup: a failure anywhere cancels the rest and
# is reported. `make sim` runs it on the virtual board with
# examples/boards/devkit.json (button presses and a UART command are
# scripted there); on a board, edit PINS and it runs unchanged.
import machine
from machine import Pin, ADC, UART
import zsync_mp as zs

SIM = hasattr(machine, "board")  # the simulated board knows pin names
PINS = {"BUTTON": "BUTTON", "LED": "LED", "SENSOR": "SENSOR"} if SIM else {"BUTTON": 0, "LED": 2, "SENSOR": 34}
CONSOLE_UART = 2
HEALTHY_MS = 500  # the watchdog is fed only if a sample arrived this recently


class State:
    def __init__(self):
        self.avg = 0
        self.samples = 0
        self.last_sample = 0
        self.presses = 0
        self.stop = zs.Event()


def log(msg):
    print("%5d ms  %s" % (zs.ticks_ms(), msg))


async def sampler(adc, tx, st):
    with tx:
        while True:
            await zs.sleep_ms(100)
            await tx.send(adc.read_u16() >> 4)  # 12-bit reading


async def smooth(rx, st):
    window = []
    async for v in rx:
        window.append(v)
        if len(window) > 4:
            window.pop(0)
        st.avg = sum(window) // len(window)
        st.samples += 1
        st.last_sample = zs.ticks_ms()
        if st.samples % 10 == 0:
            log("sensor avg %d (%d samples)" % (st.avg, st.samples))


async def button_task(button, led, pressed, st):
    while True:
        await pressed.wait()
        t0 = zs.ticks_ms()
        await zs.sleep_ms(30)  # debounce: the level must still be low
        if button.value():
            continue
        with zs.move_on_after(3):  # a stuck button is not a press
            while not button.value():
                await zs.sleep_ms(10)
        held = zs.ticks_diff(zs.ticks_ms(), t0)
        st.presses += 1
        if held >= 1000:
            log("long press (%d ms): stopping" % held)
            st.stop.set()
            return
        led.toggle()
        log("press %d (%d ms): LED %s" % (st.presses, held, "on" if led.value() else "off"))


async def console(uart, led, st):
    s = zs.Stream(uart)
    while True:
        line = (await s.readline()).strip()
        if line == b"status":
            reply = "avg=%d samples=%d presses=%d led=%d" % (st.avg, st.samples, st.presses, led.value())
        elif line == b"led":
            led.toggle()
            reply = "led=%d" % led.value()
        elif line == b"stop":
            st.stop.set()
            reply = "stopping"
        else:
            reply = "unknown command %r (status, led, stop)" % line
        log("console: %s -> %s" % (line.decode(), reply))
        s.write(reply.encode() + b"\r\n")
        with zs.fail_after(1):  # a stuck UART is a fault, not a hang
            await s.drain()


async def watchdog(wdt, st):
    while True:
        await zs.sleep_ms(200)
        if zs.ticks_diff(zs.ticks_ms(), st.last_sample) < HEALTHY_MS:
            wdt.feed()


async def main():
    st = State()
    led = Pin(PINS["LED"], Pin.OUT, value=0)
    button = Pin(PINS["BUTTON"], Pin.IN, Pin.PULL_UP)
    pressed = zs.Flag()
    button.irq(lambda p: pressed.set(), Pin.IRQ_FALLING, hard=True)
    adc = ADC(Pin(PINS["SENSOR"]))
    uart = UART(CONSOLE_UART, baudrate=115200, timeout=0)
    wdt = machine.WDT(timeout=2000)
    tx, rx = zs.channel(4)
    log("firmware up, reset cause %d" % machine.reset_cause())
    async with zs.TaskGroup() as tg:
        tg.spawn(sampler(adc, tx, st), name="sampler")
        tg.spawn(smooth(rx, st), name="smooth")
        tg.spawn(button_task(button, led, pressed, st), name="button")
        tg.spawn(console(uart, led, st), name="console")
        tg.spawn(watchdog(wdt, st), name="watchdog")
        await st.stop.wait()
        tg.cancel()
    button.irq(None)
    log("stopped cleanly: %d samples, %d presses" % (st.samples, st.presses))


# In simulation time is virtual (instant and deterministic); on a board, real.
zs.run(main(), clock=zs.VirtualClock() if SIM else None)
