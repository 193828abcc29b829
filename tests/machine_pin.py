# Pins on the simulated board: modes, pulls, wires, open drain, contention,
# Signal, and IRQ ordering (a wired output fires the input's handler inside value()).
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin, Signal

b = machine.board
b.load({"pins": {"LED": 2, "OUT": 4, "IN": 5, "IN2": 6, "SDA": 21, "SDA2": 22, "A": 12, "B": 13},
        "wires": [["OUT", "IN", "IN2"], ["SDA", "SDA2"], ["A", "B"]], "pulls": {"SDA": "up"}})
b.use_virtual_time()

print("-- levels")
p = Pin(7, Pin.IN)
print("floating input:", p.value())
p.init(pull=Pin.PULL_UP)
print("pull-up:", p.value(), "pull-down:", (p.init(pull=Pin.PULL_DOWN), p.value())[1])
led = Pin("LED", Pin.OUT, value=1)
print("LED:", led.value(), led(), "same pin twice:", Pin(2).value())
led.off()
print("off:", led.value())
led.toggle()
print("toggle:", led.value())
led(0)
print("call(0):", led())
print("mode:", led.mode() == Pin.OUT, "pull:", led.pull())

print("-- open drain bus with external pull-up")
s1 = Pin("SDA", Pin.OPEN_DRAIN, value=1)
s2 = Pin("SDA2", Pin.OPEN_DRAIN, value=1)
print("released:", s1.value(), s2.value())
s2.value(0)
print("SDA2 pulls low:", s1.value(), s2.value())
s2.value(1)
print("released again:", s1.value())

print("-- contention")
a = Pin("A", Pin.OUT, value=1)
bb = Pin("B", Pin.OUT, value=0)
print("A=1 vs B=0 reads:", a.value(), [x for x in b.log if "contention" in x])

print("-- irq ordering")
out = Pin("OUT", Pin.OUT, value=0)
inp = Pin("IN", Pin.IN)
in2 = Pin("IN2", Pin.IN)
trace = []


def h1(pin):
    trace.append("IN %s -> %d" % (pin, pin.value()))


def h2(pin):
    trace.append("IN2 rising")
    if pin.value():
        out.value(0)  # an edge from inside a handler runs after this handler
    trace.append("IN2 done")


inp.irq(h1, Pin.IRQ_RISING | Pin.IRQ_FALLING)  # soft: it allocates
in2.irq(h2, Pin.IRQ_RISING)
trace.append("before value(1)")
out.value(1)
trace.append("after value(1)")
print("\n".join(trace))
print("irq flags:", inp.irq().flags() == Pin.IRQ_FALLING, "trigger:", inp.irq().trigger())

print("-- disable_irq defers handlers")
del trace[:]
st = machine.disable_irq()
out.value(1)
trace.append("while disabled")
machine.enable_irq(st)
trace.append("enabled")
print("\n".join(trace))

print("-- irq(None) disables")
inp.irq(None)
in2.irq(None)
del trace[:]
out.toggle()
print("handlers after irq(None):", trace)

print("-- Signal")
sig = Signal(Pin("LED", Pin.OUT), invert=True)
sig.on()
print("on -> pin", Pin(2).value(), "signal", sig.value())
sig.off()
print("off -> pin", Pin(2).value(), "signal", sig())
s3 = Signal(9, Pin.OUT, invert=False)
s3.value(1)
print("Signal(9, OUT):", Pin(9).value())

print("-- failing handler is reported and disabled")


def bad(pin):
    raise ValueError("boom")


inp.irq(bad, Pin.IRQ_RISING)
out.value(0)
out.value(1)
out.value(0)
out.value(1)
print("errors:", len(b.irq_errors), b.irq_errors[0][2].startswith("ValueError"))
print("log tail:", b.log[-1])
