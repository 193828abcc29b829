# Fiber backend: unbounded recursion inside a fiber raises the interpreter's
# recursion error there (RuntimeError on MicroPython, RecursionError - a
# RuntimeError - on CPython) instead of corrupting memory; it can be caught
# in the fiber or propagate out of switch(); the interpreter, other fibers
# and the main stack keep working afterwards.
from _fiberc_backend import require

F = require()


def down(n):
    return down(n + 1) + 1


def catches():
    try:
        down(0)
    except RuntimeError:
        print("limit hit inside the fiber, caught there")
    v = F.suspend("still alive")
    return v * 2


f = F.Fiber(catches)
print(f.switch())
print(f.switch(21))

g = F.Fiber(lambda: down(0))
try:
    g.switch()
except RuntimeError:
    print("limit propagated out of switch(), done:", g.done)


# Moderate recursion is fine in a fiber, also while suspended at depth
# (32 KiB: 40 Python frames need ~10 KiB of C stack on Cortex-M, ~16 on x86-64).
def deep(n):
    if n == 0:
        return F.suspend("at depth")
    return deep(n - 1) + 1


h = F.Fiber(lambda: deep(40), 32768)
print(h.switch())
print("returned through 40 frames:", h.switch(0))


def main_depth(n):
    return 0 if n == 0 else main_depth(n - 1) + 1


print("main stack still usable:", main_depth(20))  # qemu: 10 KiB main stack
# The port's default stack takes a few frames (4 KiB: ~13 on Cortex-M3).
k = F.Fiber(lambda: deep(6))
k.switch()
print("6 frames on the default stack:", k.switch(0))
# Repeated overflows do not leak or damage anything.
for i in range(20):
    try:
        F.Fiber(lambda: down(0)).switch()
    except RuntimeError:
        pass
print("20 more overflows survived")
