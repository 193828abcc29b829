# The fiber backend contract (greenlet on CPython, _zsync_fiber on MicroPython):
# values both ways through switch()/suspend(), return value and .done,
# exceptions out of switch() and into throw(), close() running finally blocks,
# nesting (suspend returns to whoever switched in), current(), and misuse.
from _io_dev import need_fibers

need_fibers()
from zsync_mp.io import fiber as _fiber

B = _fiber.backend()
Fiber = B.Fiber
suspend = B.suspend
current = B.current


def err(f, *a):
    try:
        r = f(*a)
    except Exception as e:
        return type(e).__name__
    return "no error, returned %r" % (r,)


def show(e):
    return "%s%r" % (type(e).__name__, e.args)


print("current() outside:", current())
try:
    suspend(1)
except RuntimeError as e:
    print("suspend() outside:", e)


def three():
    print("  started; current() is f:", current() is f)
    x = suspend("a")
    print("  got", x)
    y = suspend()
    print("  got", y)
    return ("ret", x, y)


f = Fiber(three)
print("new: done", f.done)
print("switch() ->", f.switch())
print("switch(1) ->", f.switch(1))
print("switch() ->", f.switch(), "done", f.done)
print("switch a done fiber:", err(f.switch))
print("throw into a done fiber:", err(f.throw, ValueError("x")))
f.close()
print("close a done fiber: done", f.done)


def raiser():
    suspend(1)
    raise KeyError("from fiber")


f = Fiber(raiser)
f.switch()
try:
    f.switch()
except KeyError as e:
    print("exception out of switch():", show(e), "done", f.done)


def catcher():
    n = 0
    while True:
        try:
            suspend(n)
        except ValueError as e:
            print("  fiber caught", show(e))
            n += 1
        except GeneratorExit:
            print("  GeneratorExit at suspend()")
            raise
        finally:
            pass


f = Fiber(catcher, 0)
print("start ->", f.switch())
print("throw(ValueError('v')) ->", f.throw(ValueError("v")))
print("throw(ValueError) class ->", f.throw(ValueError))
try:
    f.throw(KeyError("not caught"))
except KeyError as e:
    print("uncaught throw comes back:", show(e), "done", f.done)


def cleanup():
    try:
        suspend("parked")
        print("  never resumed")
    finally:
        print("  finally ran in close()")


f = Fiber(cleanup)
f.switch()
f.close()
print("closed: done", f.done)
f.close()
print("second close is a no-op")

ran = []
f = Fiber(lambda: ran.append(1))
f.close()
print("close() before start: done", f.done, "func ran", ran)
f = Fiber(lambda: ran.append(2))
print("throw into unstarted:", err(f.throw, ValueError("u")), "done", f.done, "func ran", ran)


def stubborn():
    while True:
        try:
            suspend()
        except GeneratorExit:
            pass


f = Fiber(stubborn)
f.switch()
print("close() of a fiber that suspends again:", err(f.close))


# Nesting: inner suspends to outer (who switched it in), outer to the top.
def inner():
    print("  inner: current() is fi:", current() is fi)
    v = suspend("inner-1")
    print("  inner got", v)
    return "inner-done"


def outer():
    print("  outer: current() is fo:", current() is fo)
    print("  outer: inner said", fi.switch())
    print("  outer: current() is fo again:", current() is fo)
    v = suspend("outer-1")
    print("  outer got", v, "; resuming inner")
    r = fi.switch("to-inner")
    print("  outer: inner returned", r, "done", fi.done)
    print("  outer: switch itself:", err(fo.switch))
    return "outer-done"


fi = Fiber(inner)
fo = Fiber(outer)
print("outer ->", fo.switch())
print("inner while outer is suspended: done", fi.done)
print("outer ->", fo.switch("to-outer"), "done", fo.done)
print("current() at top:", current())


# A fiber may be resumed from a different fiber than the one that started it.
def worker():
    a = suspend(1)
    b = suspend(a + 1)
    return b * 10


fw = Fiber(worker)
print("start at top ->", fw.switch())
fr = Fiber(lambda: fw.switch(5))
print("resumed from another fiber ->", fr.switch(), "worker done", fw.done)
print("finished at top ->", fw.switch(7), "done", fw.done)

print("Fiber(42):", err(Fiber, 42))
print("Fiber(f, -1):", err(Fiber, worker, -1))
print("stack_size 16384 accepted:", Fiber(worker, 16384).switch())


# Many fibers alive at once, resumed round-robin.
def counter(i):
    s = 0
    for k in range(5):
        s += suspend(i)
    return s


fs = [Fiber((lambda i=i: counter(i)), 8192) for i in range(50)]
for f in fs:
    f.switch()
res = None
for r in range(5):
    res = [f.switch(r) for f in fs]
print("50 fibers, 5 rounds:", res[:3], all(f.done for f in fs))
