# blinky_button: the smallest useful zsync_mp + machine app.
#
# An LED blinks from a task; a button on a pin IRQ (hard handler -> zs.Flag)
# changes the blink speed; long presses are told from short ones; a watchdog
# is fed by the healthy blink loop. On the host it runs against the simulated
# board examples/boards/devkit.json (the button is pressed at scripted times):
#
#   ZSYNC_BOARD=examples/boards/devkit.json PYTHONPATH=.:zsync_mp_host/board .venv/bin/python examples/blinky_button.py
#   ZSYNC_BOARD=examples/boards/devkit.json MICROPYPATH=.:zsync_mp_host/board .venv/bin/micropython examples/blinky_button.py
#
# Unchanged, it runs on a board whose BUTTON/LED pins match (edit PINS).
import sys

import machine
from machine import Pin
import zsync_mp as zs

PINS = {"BUTTON": 0, "LED": 2}
if hasattr(machine, "board"):  # the simulated board knows pin names
    PINS = {"BUTTON": "BUTTON", "LED": "LED"}
SPEEDS = (500, 200, 100)  # blink half-periods, ms
RUN_MS = 7000

led = Pin(PINS["LED"], Pin.OUT, value=0)
button = Pin(PINS["BUTTON"], Pin.IN, Pin.PULL_UP)
pressed = zs.Flag()


# Hard IRQ: allocate nothing, just wake the button task.
def on_edge(pin):
    pressed.set()


button.irq(on_edge, Pin.IRQ_FALLING, hard=True)


async def blink(state, wdt):
    n = 0
    while True:
        led.toggle()
        n += 1
        wdt.feed()
        await zs.sleep_ms(SPEEDS[state[0]])
        state[1] = n


async def buttons(state):
    while True:
        await pressed.wait()
        t0 = zs.ticks_ms()
        await zs.sleep_ms(30)  # debounce
        pressed.clear()
        if button.value():
            continue  # a bounce, not a press
        while not button.value():  # wait for release, polling every 10 ms
            await zs.sleep_ms(10)
        held = zs.ticks_diff(zs.ticks_ms(), t0)
        if held >= 1000:
            state[0] = 0
            print("%5d ms  long press (%d ms): reset speed to %d ms" % (t0, held, SPEEDS[0]))
        else:
            state[0] = (state[0] + 1) % len(SPEEDS)
            print("%5d ms  press (%d ms): blink every %d ms, %d toggles so far" % (t0, held, SPEEDS[state[0]], state[1]))
        pressed.clear()


async def main():
    state = [0, 0]  # speed index, toggles
    wdt = machine.WDT(timeout=2000)
    uid = "".join("%02x" % x for x in machine.unique_id())
    print("board %s, unique id %s, reset cause %d" % (getattr(machine, "board", None) and machine.board.name, uid, machine.reset_cause()))
    with zs.move_on_after(RUN_MS / 1000):
        async with zs.TaskGroup() as tg:
            tg.spawn(blink(state, wdt))
            tg.spawn(buttons(state))
    print("%5d ms  done: %d LED toggles" % (zs.ticks_ms(), state[1]))


clock = zs.VirtualClock() if "--real-time" not in sys.argv else None
zs.run(main(), clock=clock)
if hasattr(machine, "board"):
    leds = [x for x in machine.board.log if " LED=" in x]
    print("LED edges logged by the board: %d, first %s, last %s" % (len(leds), leds[0], leds[-1]))
