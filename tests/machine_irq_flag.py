# A scripted, bouncing button on a pin IRQ wakes a task through zs.Flag at
# the right virtual time; the task debounces it. The hard handler only sets
# the Flag and counts edges in preallocated storage (allocation-free).
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin
import zsync_mp as zs

machine.board.load({
    "pins": {"BUTTON": 0, "LED": 2},
    "pulls": {"BUTTON": "up"},
    "presses": [
        {"pin": "BUTTON", "at_ms": 1500, "hold_ms": 300, "bounces": 2},
        {"pin": "BUTTON", "at_ms": 4000, "hold_ms": 50},
    ],
})
machine.board.use_virtual_time()  # board time starts at 0 with the loop's VirtualClock

button = Pin("BUTTON", Pin.IN)
led = Pin("LED", Pin.OUT, value=0)
flag = zs.Flag()
edges = [0]
stamp = [0]


def on_press(pin):
    edges[0] += 1
    stamp[0] = zs.ticks_ms()
    flag.set()


button.irq(on_press, Pin.IRQ_FALLING, hard=True)


async def debounce():
    presses = 0
    while presses < 2:
        await flag.wait()
        t = zs.ticks_ms()
        print("woken at", t, "edge seen by the handler at", stamp[0])
        await zs.sleep_ms(20)  # let it settle
        if button.value() == 0:
            presses += 1
            led.toggle()
            print("press", presses, "at", t, "LED", led.value(), "edges so far", edges[0])
        flag.clear()  # bounces during the settle time are one press


async def ticker():
    # Runs alongside: proves the loop keeps time while the button task waits.
    for _ in range(5):
        await zs.sleep_ms(1000)
        print("tick", zs.ticks_ms())


async def main():
    async with zs.TaskGroup() as tg:
        tg.spawn(debounce())
        tg.spawn(ticker())
    print("done at", zs.ticks_ms(), "falling edges", edges[0])


zs.run(main(), clock=zs.VirtualClock())
print("\n".join(machine.board.log))
