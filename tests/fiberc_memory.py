# _zsync_fiber (MicroPython firmware only): memory. A finished fiber frees
# its stack at once; thousands of fibers created and dropped (finished,
# closed, or abandoned while suspended) give the heap back; 10000 switches
# allocate nothing (heap_lock); stack_size bounds the recursion depth.
import gc
from _fiberc_backend import require

F = require(need_native=True)
import micropython

SLACK = 2048  # conservative GC may keep a little; one leaked stack is 4096+


def used():
    gc.collect()
    return gc.mem_alloc()


# A finished fiber's stack goes back to the heap without waiting for gc.
f = F.Fiber(lambda: 1, 16384)
before = gc.mem_alloc()
f.switch()
print("stack freed when the fiber finished:", before - gc.mem_alloc() >= 16384 - 256)
g = F.Fiber(lambda: F.suspend(), 16384)
g.switch()
before = gc.mem_alloc()
g.close()
print("stack freed by close():", before - gc.mem_alloc() >= 16384 - 256)


def churn(n):
    for i in range(n):
        k = i % 4
        f = F.Fiber(lambda: F.suspend(i) or i, 4096)
        if k == 0:
            continue  # never started, dropped
        f.switch()
        if k == 1:
            f.switch()  # finished
        elif k == 2:
            f.close()  # closed
        # k == 3: abandoned while suspended


base = used()
grew = []
for r in range(3):
    churn(1000)
    grew.append(used() - base)
print("3 x 1000 fibers dropped, heap back to baseline each time:", max(grew) < SLACK)


def pingpong():
    n = 0
    while True:
        n = F.suspend(n + 1)


# In a function: a new module global under heap_lock could grow the globals
# dict and allocate, which is not what this measures.
def locked_switches(p, v):
    i = 0
    micropython.heap_lock()
    try:
        while i < 10000:  # not range(): its iterator would allocate
            v = p.switch(v)
            i += 1
        err = None
    except MemoryError as e:
        err = e
    micropython.heap_unlock()
    return err, v


p = F.Fiber(pingpong, 4096)
v = p.switch()
base = used()
err, v = locked_switches(p, v)
print("10000 switches under heap_lock:", err is None, v)
print("heap unchanged after switching:", used() - base < SLACK)
p.close()

# stack_size: default, rounding, minimum, and what it buys.
print("default size:", F.Fiber(pingpong).stack_size == F.STACK_DEFAULT)
print("rounded to 16:", F.Fiber(pingpong, 4097).stack_size == 4112)
try:
    F.Fiber(pingpong, F.STACK_MIN - 1)
except ValueError:
    print("below STACK_MIN: ValueError")


def depth_with(size):
    box = [0]

    def down(n):
        box[0] = n
        down(n + 1)

    try:
        F.Fiber(lambda: down(0), size).switch()
    except RuntimeError:
        pass
    return box[0]


small, big = depth_with(4096), depth_with(16384)
print("bigger stack, deeper recursion:", 0 < small < big)
f = F.Fiber(lambda: F.suspend(), 8192)
f.switch()
u = f.stack_used()
print("stack_used within the stack:", 0 < u < 8192)
f.close()
