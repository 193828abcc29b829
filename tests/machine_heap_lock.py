# On MicroPython a hard IRQ handler runs with the heap locked, as on a board:
# one that allocates gets MemoryError (reported, handler disabled) while an
# allocation-free one (Flag.set, Pin.value on a wired output, counters in
# preallocated storage) works. CPython cannot lock its heap: SKIP there.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
try:
    import micropython

    micropython.heap_lock
except (ImportError, AttributeError):
    print("SKIP")
    sys.exit(0)
import machine
from machine import Pin
import zsync_mp as zs

b = machine.board
b.load({"pins": {"BTN": 0, "OUT": 4, "IN": 5, "ECHO_OUT": 6, "ECHO_IN": 7},
        "wires": [["OUT", "IN"], ["ECHO_OUT", "ECHO_IN"]],
        "inputs": [{"pin": "BTN", "at_ms": 100, "level": 1}, {"pin": "BTN", "at_ms": 200, "level": 0}]})
b.use_virtual_time()  # board time starts at 0 with the loop's VirtualClock, however slow the imports
flag = zs.Flag()
count = [0]
bad_made = [None]
echo = Pin("ECHO_OUT", Pin.OUT, value=0)
echo_seen = [0]


def good(pin):
    count[0] += 1
    echo.value(1 - echo.value())  # a register write: allowed in a hard IRQ
    flag.set()


def on_echo(pin):
    echo_seen[0] += 1


def bad(pin):
    bad_made[0] = [pin]  # a new list: allocates


# zs.irq_guard() inside the board's own guard: both allocate nothing.
Pin("BTN", Pin.IN).irq(zs.irq_guard(good), hard=True)
Pin("ECHO_IN", Pin.IN).irq(on_echo, hard=True)
out = Pin("OUT", Pin.OUT, value=0)
Pin("IN", Pin.IN).irq(bad, Pin.IRQ_RISING, hard=True)


async def main():
    with zs.fail_after(10):  # (virtual seconds) a handler that broke fails here, never hangs
        await main_body()


async def main_body():
    await flag.wait()
    print("flag set by a hard IRQ at", zs.ticks_ms(), "count", count[0], "echo edges", echo_seen[0])
    await flag.wait()
    print("again at", zs.ticks_ms(), "count", count[0], "echo edges", echo_seen[0])
    out.value(1)
    print("allocating handler errors:", len(b.irq_errors), b.irq_errors[0][2].startswith("MemoryError"))
    out.value(0)
    out.value(1)
    print("after it was disabled:", len(b.irq_errors), "nothing made:", bad_made[0] is None)
    Pin("IN").irq(bad, Pin.IRQ_RISING, hard=False)
    out.value(0)
    out.value(1)
    print("the same handler as a soft IRQ may allocate:", bad_made[0] is not None, len(b.irq_errors))


zs.run(main(), clock=zs.VirtualClock())
