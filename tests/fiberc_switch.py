# Fiber backend: switch/suspend values both ways, done, current(), nesting,
# and misuse (resuming running/done fibers, suspend outside, bad arguments).
from _fiberc_backend import require, describe

F = require()


def body():
    print("started, current is me:", F.current() is f)
    a = F.suspend("first")
    print("resumed with", a)
    b = F.suspend("second")
    print("resumed with", b)
    return a + b


f = F.Fiber(body)
print("new done:", f.done, "current outside:", F.current())
print("switch ->", f.switch("ignored"))
print("switch ->", f.switch(10))
print("done before end:", f.done)
print("switch ->", f.switch(32))
print("done:", f.done, "current:", F.current())


# Nesting: the inner fiber suspends back into the outer one, not to main.
def inner():
    v = F.suspend("inner-1")
    return "inner-ret-%s" % v


def outer():
    g = F.Fiber(inner)
    print("outer got", g.switch())
    x = F.suspend("outer-1")
    print("outer resumed with", x)
    print("outer got", g.switch(x))
    print("inner done:", g.done)
    return "outer-ret"


o = F.Fiber(outer)
print("main got", o.switch())
print("main got", o.switch("hello"))
print("outer done:", o.done)


# Resuming a running fiber: itself, or one up the resume chain.
def self_switch():
    try:
        F.current().switch()
    except RuntimeError:
        print("self switch: RuntimeError")
    g = F.Fiber(lambda: parent.switch())
    try:
        g.switch()
    except RuntimeError:
        print("parent switch from child: RuntimeError, child done:", g.done)
    return "ok"


parent = F.Fiber(self_switch)
print(parent.switch())

for name, call in (
    ("switch done", lambda: f.switch()),
    ("throw done", lambda: f.throw(ValueError)),
    ("suspend outside", lambda: F.suspend(1)),
    ("not callable", lambda: F.Fiber(42)),
    ("negative stack", lambda: F.Fiber(body, -1)),
):
    try:
        call()
        print(name, "no error")
    except (RuntimeError, TypeError, ValueError) as e:
        print(name, type(e).__name__)
try:
    F.suspend()
except RuntimeError as e:
    print(describe(e))

# A fiber that never suspends: switch returns its result at once.
print(F.Fiber(lambda: 7 * 6).switch())
# Many round trips.
def counter():
    n = 0
    while True:
        n = F.suspend(n + 1)


c = F.Fiber(counter)
v = c.switch()
for i in range(10000):
    v = c.switch(v)
print("after 10000 round trips:", v)
c.close()
print("closed:", c.done)
