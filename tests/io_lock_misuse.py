# io.lock() refuses a lock it cannot take the way its Io waits, with a
# TypeError naming the problem, before touching the lock: FiberIo and
# AsyncIo need a lock they can await (a thread lock's acquire() would block
# every task, then leave the lock held when the await fails); BlockingIo
# needs a zs.Lock or a thread lock (a zs.Semaphore's acquire() only makes an
# awaitable: `with` would run unlocked and over-release it). Locks each Io
# can take are accepted. No fiber or thread is needed: the refusal comes
# from lock() itself.
import zsync_mp as zs


class ThreadLock:
    # What _thread.allocate_lock() gives (the WebAssembly port has no _thread).
    def __init__(self):
        self.held = False
        self.calls = 0

    def acquire(self, blocking=True, timeout=-1):
        self.calls += 1
        self.held = True
        return True

    def release(self):
        self.held = False

    def locked(self):
        return self.held

    def __enter__(self):
        return self.acquire()

    def __exit__(self, et, ev, tb):
        self.release()

    def __repr__(self):
        return "<thread lock>"


def use(label, io, lk):
    # `with io.lock(lk):` as a user writes it.
    try:
        with io.lock(lk):
            print(label, "entered")
    except Exception as e:
        print(label, "->", type(e).__name__ + ":", str(e).replace(repr(lk), "<lk>"))


def make(label, io, lk):
    try:
        io.lock(lk)
        print(label, "accepted")
    except TypeError as e:
        print(label, "-> TypeError:", str(e).replace(repr(lk), "<lk>"))  # no address


tl = ThreadLock()
use("FiberIo().lock(thread lock)", zs.FiberIo(), tl)
print("  thread lock acquire() calls:", tl.calls, "held:", tl.locked())
make("AsyncIo().lock(thread lock)", zs.AsyncIo(), tl)
make("FiberIo().lock(42)", zs.FiberIo(), 42)
sem = zs.Semaphore(1)
use("BlockingIo().lock(zs.Semaphore(1))", zs.BlockingIo(), sem)
print("  semaphore value after:", sem.value)
make("BlockingIo().lock(zs.Condition())", zs.BlockingIo(), zs.Condition())

print("accepted:")
for label, io, lk in [
    ("FiberIo().lock(zs.Lock())", zs.FiberIo(), zs.Lock()),
    ("FiberIo().lock(zs.Semaphore())", zs.FiberIo(), zs.Semaphore()),
    ("AsyncIo().lock(zs.Lock())", zs.AsyncIo(), zs.Lock()),
    ("BlockingIo().lock(zs.Lock())", zs.BlockingIo(), zs.Lock()),
    ("BlockingIo().lock(thread lock)", zs.BlockingIo(), tl),
]:
    make(label, io, lk)
use("  BlockingIo with thread lock", zs.BlockingIo(), tl)
print("  thread lock held after:", tl.locked())
