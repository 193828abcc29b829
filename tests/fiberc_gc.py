# Fiber backend, GC correctness: objects referenced only from suspended
# fibers' stacks survive collections under allocation pressure; objects
# referenced only from the main (boot) stack survive a collection that runs
# inside a fiber; nested fibers' stacks are kept too. Contents are checked,
# so a freed-and-reused object shows as a wrong value.
import gc
from _fiberc_backend import require

F = require()
N_FIBERS = 24


def make(i):
    return [("obj-%d-%d" % (i, k)) * 3 for k in range(12)]


def expect(i, lst):
    return lst == [("obj-%d-%d" % (i, k)) * 3 for k in range(12)]


def holder(i):
    def body():
        mine = make(i)          # only this fiber's stack refers to it
        d = {"k%d" % i: mine}
        F.suspend()
        gc.collect()            # collect from inside a fiber too
        junk = [bytearray(64) for _ in range(40)]
        F.suspend()
        return expect(i, mine) and d["k%d" % i] is mine and len(junk) == 40

    return body


def pressure(rounds):
    for r in range(rounds):
        junk = [str(r) * 30 for _ in range(200)]
        del junk
        gc.collect()


def run():
    fibers = [F.Fiber(holder(i), 8192) for i in range(N_FIBERS)]
    for f in fibers:
        f.switch()
    pressure(5)
    for f in fibers:
        f.switch()
    pressure(5)
    ok = [f.switch() for f in fibers]
    print("suspended fibers kept their objects:", all(ok), len(ok))


run()


# The boot stack is suspended while a fiber runs: a collection inside the
# fiber must still see the main program's locals.
def boot_only():
    mine = [make(i) for i in range(20)]     # only this frame refers to them

    def churn():
        for r in range(8):
            junk = [bytearray(100) for _ in range(100)]
            del junk
            gc.collect()
            F.suspend(r)
        return "churned"

    f = F.Fiber(churn, 8192)
    r = f.switch()
    while not f.done:
        r = f.switch()
    print(r, "; main locals intact:", all(expect(i, mine[i]) for i in range(20)))


boot_only()


# Nested: main -> outer -> inner; the GC runs in inner while main and outer
# are suspended in switch().
def nested():
    outer_obj = make(100)

    def inner():
        inner_obj = make(200)
        for r in range(4):
            junk = [bytearray(100) for _ in range(100)]
            del junk
            gc.collect()
        return expect(200, inner_obj)

    def outer():
        g = F.Fiber(inner, 8192)
        ok = g.switch()
        return ok and expect(100, outer_obj)

    main_obj = make(300)
    ok = F.Fiber(outer, 8192).switch()
    print("nested collection kept all three stacks:", ok and expect(300, main_obj))


nested()
