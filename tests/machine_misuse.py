# Misuse of the simulated machine gets a clear exception naming the problem.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin, UART, Timer, ADC, PWM, WDT, RTC, Signal

b = machine.board
b.load({"name": "misuse", "pins": {"LED": 2}, "pin_count": 40})


def check(what, f, *args, **kw):
    try:
        f(*args, **kw)
    except Exception as e:
        print("%s: %s: %s" % (what, type(e).__name__, str(e).split(" (")[0]))
    else:
        print("%s: no error!" % what)


check("pin 99", Pin, 99)
check("pin name", Pin, "NOPE")
check("pin -1", Pin, -1)
check("pin float", Pin, 2.0)
check("bad mode", Pin, 2, 99)
check("bad pull", Pin, 2, Pin.IN, 77)
check("irq not callable", Pin(2).irq, 42)
check("irq bad trigger", Pin(2).irq, print, 8)
check("Signal bad pin", Signal, 100)
check("UART baud 0", UART, 1, 0)
check("UART baud str", UART, 1, "9600")
check("UART bits", UART, 1, 9600, 4)
check("UART parity", UART, 1, 9600, 8, 2)
check("UART stop", UART, 1, 9600, 8, None, 3)
check("UART id", UART, 99)
check("UART timeout", UART, 1, 9600, timeout=-1)
check("UART write int", UART(1, 9600).write, 5)
check("Timer no period", Timer(-1).init, callback=print)
check("Timer period 0", Timer(-1).init, period=0, callback=print)
check("Timer bad mode", Timer(-1).init, mode=5, period=10)
check("Timer callback", Timer(-1).init, period=10, callback=3)
check("Timer freq", Timer(-1).init, freq=0)
check("ADC pin", ADC, 77)
check("PWM duty", PWM, Pin(2), duty_u16=70000)
check("PWM freq", PWM, Pin(2), freq=0)
check("WDT timeout", WDT, timeout=0)
check("WDT id", WDT, 1)
check("RTC datetime", RTC().datetime, (1999, 1, 1, 0, 0, 0, 0, 0))
check("RTC shape", RTC().datetime, (2020, 1))
check("lightsleep", machine.lightsleep, -5)
check("freq", machine.freq, 0)
print("-- board files")
check("not an object", b.load, [1, 2])
check("unknown key", b.load, {"pinz": {}})
check("wire to unknown pin", b.load, {"wires": [["A", "B"]]})
check("wire shape", b.load, {"wires": ["A"]})
check("pin out of range", b.load, {"pins": {"X": 400}})
check("pull value", b.load, {"pulls": {"1": "sideways"}})
check("pull pin", b.load, {"pulls": {"BTN": "up"}})
check("press level", b.load, {"presses": [{"pin": 1, "at_ms": 5, "active": 3}]})
check("input time", b.load, {"inputs": [{"pin": 1, "at_ms": -1, "level": 1}]})
check("adc points", b.load, {"adc": {"3": {"points": []}}})
check("uart peer", b.load, {"uarts": {"1": {}}})
check("unique_id", b.load, {"unique_id": "xyz"})
check("missing file", b.load, "/nonexistent/board.json")
# The bad file goes in a directory this run creates (mkdir fails if the name
# exists: nothing is written through a name someone else prepared), shown as <tmp>.
import os
import random

tmp = "%s/zsync_misuse_%08x" % (os.getenv("TMPDIR") or "/tmp", random.getrandbits(30))
os.mkdir(tmp)
f = open(tmp + "/bad.json", "w")
f.write("{\"pins\": {\"LED\": 2")
f.close()
try:
    b.load(tmp + "/bad.json")
except Exception as e:
    print("bad JSON: %s: %s" % (type(e).__name__, str(e).split(" (")[0].replace(tmp, "<tmp>")))
os.remove(tmp + "/bad.json")
os.rmdir(tmp)
print("BoardError is a ValueError:", issubclass(b.BoardError, ValueError))
print("a bad file leaves the previous board:", b.name, Pin("LED").value() == 0)
