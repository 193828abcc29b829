# Fiber backend: close() raises GeneratorExit at suspend() so finally blocks
# run; unstarted and done fibers close silently; idempotent; misuse errors.
from _fiberc_backend import require

F = require()


def worker(tag):
    def body():
        try:
            while True:
                F.suspend(tag)
        except GeneratorExit:
            print(tag, "saw GeneratorExit")
            raise
        finally:
            print(tag, "finally ran")

    return body


a = F.Fiber(worker("a"))
a.switch()
a.close()
print("a done:", a.done)
a.close()
print("second close is a no-op")

n = F.Fiber(worker("never"))
n.close()
print("unstarted closed, done:", n.done)

d = F.Fiber(lambda: "fin")
d.switch()
d.close()
print("done fiber closed")


# A fiber that swallows GeneratorExit and returns: close() is fine.
def swallow():
    try:
        F.suspend()
    except GeneratorExit:
        print("swallowed")
    return "ended"


s = F.Fiber(swallow)
s.switch()
s.close()
print("swallow done:", s.done)


# A fiber that suspends again after GeneratorExit: RuntimeError.
def stubborn():
    while True:
        try:
            F.suspend()
        except GeneratorExit:
            print("ignoring close")


st = F.Fiber(stubborn)
st.switch()
try:
    st.close()
except RuntimeError:
    print("stubborn: RuntimeError, done:", st.done)


# A finally block that raises: that exception comes out of close().
def bad_finally():
    try:
        F.suspend()
    finally:
        raise ValueError("from finally")


b = F.Fiber(bad_finally)
b.switch()
try:
    b.close()
except ValueError as e:
    print("close raised", e.args, "done:", b.done)


# Closing the running fiber from inside: RuntimeError.
def closes_itself():
    try:
        F.current().close()
    except RuntimeError:
        print("self close: RuntimeError")
    return 1


print(F.Fiber(closes_itself).switch())
