# The simulated board's log (machine.board.log, board/_simlog.py): a real
# board keeps none, so noting a line keeps nothing on the program's heap (it
# lives in one bytearray made when `machine` loads); the newest lines stay,
# in order, as a list of str would give them; the oldest go when it is
# full (of lines or of bytes); a reload (board.load) empties it; a line
# longer than the log is cut.
import gc
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import Pin
import _simlog

b = machine.board
b.load({"pins": {"LED": 2}})
b.use_virtual_time()
led = Pin("LED", Pin.OUT, value=0)


def kept():
    # Heap bytes held after a collection (tracemalloc's count on CPython).
    gc.collect()
    if hasattr(gc, "mem_alloc"):
        return gc.mem_alloc()
    import tracemalloc

    return tracemalloc.get_traced_memory()[0]


if not hasattr(gc, "mem_alloc"):
    import tracemalloc

    tracemalloc.start()
led.toggle()  # anything made once, on the first note
before = kept()
for i in range(5000):
    led.toggle()
    b.advance(1)
grew = kept() - before
print("5000 pin edges noted; heap kept by the log: under 1 KB:", grew < 1024)
lines = list(b.log)
print("lines held: at most", _simlog.LOG_LINES, len(b.log) <= _simlog.LOG_LINES, "in at most", _simlog.LOG_BYTES,
      "bytes:", sum(len(x) + 1 for x in lines) <= _simlog.LOG_BYTES, "| over a thousand:", len(b.log) > 1000)
print("the newest last:", b.log[-1], "| before it:", b.log[-2])
ms = [int(x.split()[0]) for x in lines]
print("oldest first, none missing between:", ms == list(range(ms[0], ms[0] + len(ms))))
print("as a list: slice", b.log[-3:], "join ends with", repr("\n".join(b.log)[-10:]))
b.load({"pins": {"LED": 2}})
print("after a reload:", len(b.log), list(b.log))
# Long lines: the bytes run out before the line slots do.
for i in range(1000):
    b.note("%04d %s" % (i, "y" * 95))
lines = list(b.log)
seq = [int(x.split()[1]) for x in lines]
print("1000 long lines: the newest", seq[-1], "| in", _simlog.LOG_BYTES, "bytes:",
      sum(len(x) + 1 for x in lines) <= _simlog.LOG_BYTES, "| consecutive:", seq == list(range(seq[0], 1000)),
      "| over a hundred:", len(lines) > 100)
b.note("x" * (_simlog.LOG_BYTES + 10))
print("a line longer than the log: cut to", len(b.log[-1]), "of", _simlog.LOG_BYTES + 10 + 2)
