# Fiber backend: exceptions both ways. Out of the fiber through switch(),
# into it through throw() (class or instance, caught or not), through nested
# fibers, on an unstarted fiber, and finally blocks on the way out.
from _fiberc_backend import require, describe

F = require()


class Boom(Exception):
    pass


def raiser():
    F.suspend("ready")
    try:
        raise Boom("from fiber", 7)
    finally:
        print("raiser finally ran")


f = F.Fiber(raiser)
print(f.switch())
try:
    f.switch()
except Boom as e:
    print("caught", type(e).__name__, e.args, "done:", f.done)


# throw(): caught inside, the fiber goes on and suspends again.
def catcher():
    n = 0
    while True:
        try:
            F.suspend(n)
        except ValueError as e:
            n += 1
            print("fiber caught", describe(e))
        except KeyError:
            print("fiber lets KeyError out")
            raise


c = F.Fiber(catcher)
print(c.switch())
print("throw class ->", c.throw(ValueError))
print("throw instance ->", c.throw(ValueError("second")))
try:
    c.throw(KeyError("k"))
except KeyError as e:
    print("main caught KeyError", e.args, "done:", c.done)

# throw() into an unstarted fiber: it never runs, the exception comes out.
ran = []
u = F.Fiber(lambda: ran.append(1))
try:
    u.throw(Boom("early"))
except Boom as e:
    print("unstarted throw:", e.args, "done:", u.done, "ran:", ran)

# throw() needs an exception.
t = F.Fiber(catcher)
t.switch()
try:
    t.throw(42)
except TypeError:
    print("throw(42): TypeError, still usable:", t.switch() == 0)
t.close()


# Nested: the inner fiber's exception goes through the outer fiber to main.
def inner():
    F.suspend()
    raise Boom("inner")


def outer():
    g = F.Fiber(inner)
    g.switch()
    try:
        g.switch()
    finally:
        print("outer finally, inner done:", g.done)


o = F.Fiber(outer)
try:
    o.switch()
except Boom as e:
    print("main caught", e.args, "outer done:", o.done)


# An exception thrown into a fiber that is inside its own switch() into a
# child is raised at the point the fiber suspended (here: not in the child).
def parent_body():
    try:
        F.suspend("p")
    except Boom as e:
        return "parent handled %s" % e.args[0]


p = F.Fiber(parent_body)
p.switch()
print(p.throw(Boom("x")))

# BaseException subclasses travel too (SystemExit-like control flow).
def exits():
    raise SystemExit(3)


try:
    F.Fiber(exits).switch()
except SystemExit as e:
    print("SystemExit out of fiber:", e.args)
