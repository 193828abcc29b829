# zsync_mp.kernel.core: task states, the one way to park and wake, and the shared
# awaitables. The loop is _loop.py, the Task _task.py, cancellation delivery
# _deliver.py, the timer heap _timers.py, the poller _poll.py; the running
# loop's state is here (_cur, _K, pending, irq, hooks) so every hot path reads
# one module.
#
# Contract
# - One loop per process, driven by run(). Exactly one task runs at a time;
#   nothing here may be called from an interrupt (Flag.set() is the only
#   IRQ-safe entry, and it only stores a bit the poller reads).
# - A task is in at most one queue at a time: the run queue, one WaitQueue,
#   one I/O slot, or the timer heap (sleeping). The links are fields of the
#   task (next/prev), so queueing allocates nothing.
# - A blocking operation parks the current task on a WaitQueue (or an I/O slot,
#   or the timer heap) and yields once to the loop. Whoever wakes it calls
#   wake(); a cancellation unparks it through the same queue (kick()), so
#   cancellation and timeouts work for every primitive without extra code.
# - Steady-state switching allocates nothing: awaitables are preallocated
#   singletons that are configured by the call and consumed by the first
#   __next__ of the task that awaits them (await them at once), lists never
#   shrink, and timers live in three parallel lists.
# - Timers never fire early: ticks are ms, and the real clock adds one ms of
#   slack because a tick read at x.9 ms still says x.
#
# Task lifecycle (state names are the constants below)
#
#     spawn()            pop from run queue           park()/sleep
#   ---------> READY ---------------------> RUNNING ----------------> PARKED/SLEEPING
#               ^  ^                         |   |                        |
#               |  +- yield_now: YIELDED ----+   | return/raise           |
#               |                                v                        |
#               +--------- wake() / kick() ---- DONE <--------------------+
#                (kick() sets THROW: the exception is thrown in on resume;
#                 hand() sets HANDED: READY, owning a lock or a message;
#                 YIELDED: READY at a bare checkpoint, see below)
from .port import const, native_op, AWAIT_GENERATOR

READY = const(0)  # in the run queue
RUNNING = const(1)  # the current task
PARKED = const(2)  # data is what it waits on (a WaitQueue or an _IoSlot)
SLEEPING = const(3)  # data is its deadline (ticks)
THROW = const(4)  # in the run queue; data is the exception to throw in
DONE = const(5)
HANDED = const(6)  # in the run queue and owning what a primitive handed it
# (a lock, a message): a cancellation waits for its next checkpoint.
YIELDED = const(7)  # in the run queue at a bare checkpoint (yield_now(), a
# sleep that ended): a cancellation that lands now is raised there (Trio
# checks cancellation after its schedule point). READY tasks (new, or woken
# by a primitive) see a cancellation at their next checkpoint.

# How a DONE task ended (its `data`; + SEEN once its outcome was retrieved).
RETURNED = const(1)
RAISED = const(2)
CANCELLED = const(3)
SEEN = const(8)

_cur = None  # the running task
_K = None  # the running kernel
# Cancelled scopes still entered + tasks with cancel() pending. While it is 0
# no checkpoint needs to walk a scope chain: the common case costs one test.
pending = 0
# Depth of guarded interrupt handlers running (zsync_mp.board.irq): while nonzero,
# every call that changes scheduler state raises before changing anything.
irq = 0


def irq_msg(what):
    # Built at import, so raising it from a heap-locked handler allocates nothing.
    return what + " called from an interrupt handler: only zs.Flag.set() is IRQ-safe (set a Flag there and do the rest in the task that waits on it)"


_IRQ_CUR = irq_msg("current_task()")
_IRQ_SPAWN = irq_msg("spawn()")
_IRQ_CANCEL = irq_msg("Task.cancel()")
_IRQ_RUN = irq_msg("zs.run()")


class Cancelled(BaseException):
    """Raised at a checkpoint of a task whose cancel scope (or the task) was
    cancelled. Catch it only to clean up, then re-raise."""


def current_task():
    """The running Task. Not IRQ-safe."""
    if irq:
        raise RuntimeError(_IRQ_CUR)
    if _cur is None:
        raise RuntimeError("no zsync_mp task is running (call this inside zs.run())")
    return _cur


def kernel():
    if _K is None:
        raise RuntimeError("no zsync_mp loop is running (use zs.run(main()))")
    return _K



class WaitQueue:
    """FIFO of parked tasks, linked through the tasks (allocates nothing).
    append()/remove() also chain any object with next/prev fields: the
    kernel's open TaskGroups, a CancelToken's children."""

    def __init__(self):
        self.head = None
        self.tail = None

    def append(self, x):
        x.next = None
        x.prev = self.tail
        if self.tail is None:
            self.head = x
        else:
            self.tail.next = x
        self.tail = x

    def park(self, t):
        t.state = PARKED
        t.data = self
        t.next = None  # append(t), inlined: this is on every park
        t.prev = self.tail
        if self.tail is None:
            self.head = t
        else:
            self.tail.next = t
        self.tail = t

    def remove(self, t):
        p = t.prev
        n = t.next
        if p is None:
            self.head = n
        else:
            p.next = n
        if n is None:
            self.tail = p
        else:
            n.prev = p
        t.next = t.prev = None

    def _pop(self):
        # Unlink and return the head (not None).
        t = self.head
        n = t.next
        self.head = n
        if n is None:
            self.tail = None
        else:
            n.prev = None
        t.prev = None
        return t

    def wake_one(self, value=None):
        # Wake the longest waiter; returns it, or None if nobody waits.
        if self.head is None:
            return None
        t = self._pop()
        wake(t, value)
        return t

    def hand_one(self, value=None):
        # Like wake_one(), for a handoff the task must not lose (see HANDED).
        t = self.wake_one(value)
        if t is not None:
            t.state = HANDED
        return t

    def wake_all(self):
        # Take the whole chain at once, then wake each in order.
        t = self.head
        self.head = self.tail = None
        while t is not None:
            n = t.next
            t.prev = None
            wake(t)
            t = n


class TaskWaiters(WaitQueue):
    # The tasks in `await task`; knows its task (asyncio forwards cancel()).
    def __init__(self, task):
        self.head = None  # WaitQueue.__init__, inlined (super() is slow on MicroPython)
        self.tail = None
        self.task = task


_PARKED = object()  # an _op() result meaning "the task is parked"
_OUTSIDE = "zsync_mp awaitable used outside zs.run()"
_AWAITED = "this awaitable was already awaited (zsync_mp awaitables are single-use: await the call where you make it)"


class _Op:
    # The one preallocated awaitable every blocking call returns. The call
    # stores (prim, arg); the first __next__ runs prim._op(task, arg), which
    # either completes (its value is the result) or parks the task and returns
    # _PARKED, so the task yields to the loop. On resume the result is the
    # value the waker passed to wake() (throw() makes it raise instead). No allocation unless the result is a value other than None.
    def __init__(self, check):
        self.prim = None
        self.arg = None
        self.check = check  # deliver cancellation before the first step
        self.stop = StopIteration()  # To prevent heap allocation per await
        self.replay = self  # the _Op to replay a captured (prim, arg) on

    def set(self, prim, arg):
        self.prim = prim
        self.arg = arg
        return self

    def __iter__(self):
        # Every `await` starts here (a resume goes to __next__ only): a
        # consumed awaitable awaited again is a clear error, never a value.
        if self.prim is None:
            raise RuntimeError(_AWAITED)
        return self

    __await__ = __iter__

    def __next__(self):
        # (With _zsync_core, _OP is a C twin whose iterator slot does the same
        # and returns a value without a StopIteration: native/modzsync_core.c.)
        t = _cur
        prim = self.prim
        if prim is None:
            if t is None:
                raise RuntimeError(_OUTSIDE)
            v = t.data  # resumed: whoever woke us left the result here
        else:
            self.prim = None
            if t is None:
                raise RuntimeError(_OUTSIDE)
            if pending and self.check:
                check_cancel(t)
            v = prim._op(t, self.arg)
            if v is _PARKED:
                return None
        if v is None:
            s = self.stop
            s.__traceback__ = None
            raise s
        raise StopIteration(v)

    if AWAIT_GENERATOR:

        def __await__(self):
            # __next__'s work as a generator: returning from a generator is
            # cheap on CPython, raising StopIteration from __next__ is not.
            t = _cur
            prim = self.prim
            if t is None:
                raise RuntimeError(_OUTSIDE)
            if prim is None:
                raise RuntimeError(_AWAITED)
            self.prim = None
            if pending and self.check:
                check_cancel(t)
            v = prim._op(t, self.arg)
            if v is _PARKED:
                yield None
                v = t.data  # resumed: whoever woke us left the result here
            return v


class _YieldOp(_Op):
    # The schedule points' own _Op (the hottest path): yield_now()'s (_YOP:
    # checks cancellation, the task waits YIELDED) and resched()'s (_ROP: no
    # check, READY). prim is set (_YIELD) until the first __next__ (the
    # await), which queues the task last, _Yield._op() inlined; the next one
    # (resumed) completes: no dispatch, no t.data. A copy of _Op's step kept
    # because it pays: through _OP a task switch costs 46% more instructions
    # (15,473 vs 10,628 per switch, callgrind, bench/callgrind.py switch.zs,
    # MicroPython unix). resched() through _NOCHECK (a dispatch to an _op)
    # cost a microdot request 2% more (1,105k vs 1,082k instructions,
    # bench/cg_microdot.py, PyPI MicroPython); sharing this class costs
    # yield_now ~1% (the read of `after`: 10,744 vs 10,633 per switch; set
    # after construction rather than in __init__ it costs 10,912).
    def __init__(self, check, after):
        _Op.__init__(self, check)
        self.after = after  # the task's state while it waits its turn

    def __iter__(self):  # here too: an inherited one costs a lookup more
        if self.prim is None:
            raise RuntimeError(_AWAITED)
        return self

    __await__ = __iter__

    def __next__(self):
        if self.prim is not None:
            self.prim = None
            t = _cur
            if t is None:
                raise RuntimeError(_OUTSIDE)
            if pending and self.check:
                check_cancel(t)
            K = _K
            t.state = self.after  # K.push(t), inlined (YIELDED: see there)
            t.data = None
            t.next = None
            tail = K.rq_tail
            if tail is None:
                K.rq_head = t
            else:
                tail.next = t
            K.rq_tail = t
            return None
        s = self.stop
        s.__traceback__ = None
        raise s


class _ParkOp(_Op):
    # Event.wait()'s _Op when the event is not set: prim is the Event and
    # the first __next__ parks on prim._q at once (no prim._op() dispatch).
    # Nothing runs between the call and the await. A copy of _Op's step kept
    # because it pays: through _OP an Event ping-pong costs 8.5% more
    # instructions (52,779 vs 48,647 per round trip, callgrind pingpong.zs).
    def __iter__(self):  # here too: an inherited one costs a lookup more
        if self.prim is None:
            raise RuntimeError(_AWAITED)
        return self

    __await__ = __iter__

    def __next__(self):
        t = _cur
        if t is None:
            raise RuntimeError(_OUTSIDE)
        prim = self.prim
        if prim is not None:
            self.prim = None
            if pending:
                check_cancel(t)
            prim._q.park(t)
            return None
        v = t.data  # resumed: whoever woke us left the result here
        if v is None:
            s = self.stop
            s.__traceback__ = None
            raise s
        raise StopIteration(v)


class _Done:
    # An awaitable that is already complete (for __aexit__): allocates nothing.
    def __init__(self):
        self.stop = StopIteration()

    def __iter__(self):
        return self

    __await__ = __iter__

    def __next__(self):
        s = self.stop
        s.__traceback__ = None
        raise s


_DONE = _Done()


def is_op(aw):
    # One of the kernel's shared awaitables (to capture and replay).
    return aw is _OP or aw is _YOP or aw is _POP or aw is _NOCHECK


def wake(t, value=None):
    # Make a parked task ready; `value` is what its _resumed() will see as data.
    K = _K
    if K is None:
        return  # cleanup of a loop that is over (see bury())
    if t.state == SLEEPING:
        K.live -= 1
    t.data = value
    t.state = READY  # K.push(t), inlined: this is on every wake-up
    t.next = None
    if K.rq_tail is None:
        K.rq_head = t
    else:
        K.rq_tail.next = t
    K.rq_tail = t
    if trace_hook is not None:
        trace_hook.wake(t)


def hand(t, value=None):
    wake(t, value)
    t.state = HANDED


class _Yield:
    # _OP.set(_YIELD, None): go to the back of the run queue (yield_now()
    # has its own awaitable, _YOP: the same step without the dispatch).
    def _op(self, t, arg):
        _K.push(t)
        t.state = YIELDED
        t.data = None
        return _PARKED


_YIELD = _Yield()

# Tokio's cooperative budget, for the stream operations that complete
# without waiting (a read that finds its bytes, a write the stream takes
# whole, a drain with nothing left): they go on without a task switch
# (a switch and the poll of its pass cost a microdot request 12% of its
# instructions), except every COOP-th in a kernel, which passes a schedule
# point: a task on a stream that is always ready cannot starve the others.
COOP = const(16)


def spent():
    # True when the caller must pass its schedule point now (resched()).
    K = _K
    if K is None:
        raise RuntimeError(_OUTSIDE)  # as the await would
    n = K.coop - 1
    if n:
        K.coop = n
        return False
    K.coop = COOP
    return True


def resched():
    # A schedule point a cancellation cannot interrupt (Trio's
    # cancel_shielded_checkpoint): the task goes to the back of the run
    # queue as READY (not YIELDED, so kick() leaves it); a cancellation
    # waits for its next checkpoint. For an operation that completed without
    # waiting and must not lose what it did (a read that took bytes, an
    # awrite that sent, a TaskGroup exit). Only the kernel's own coroutines
    # await it, where they call it: nothing captures it (is_op) and no call a
    # handler can make sets it (the IRQ guard leaves it out).
    o = _ROP
    o.prim = _YIELD  # armed; its step does not dispatch on prim
    return o


# The tracer (zsync_mp.trace), or None: then each hook costs one test.
# Methods: step(t, t0) once per task step, after it gave up the CPU (its
# state says why: READY, PARKED with data, SLEEPING, DONE; t0 is its
# switch-in on _port.trace_clock, and step returns its switch-out, the next
# step's t0), spawn(t), done(t) as a task ends (before it wakes anyone),
# wake(t), cancel(t), timeout(scope).
trace_hook = None
idle_hook = None  # zsync_mp.board.idle: f(K, ms) -> True if it idled; ms to the next timer (-1: none)
start_hooks = []  # f(K) called when a loop starts (the simulated machine arms its events)


# Delivering a cancellation at a checkpoint (the await step's part; taking a
# waiting task off its queue is deliver.py). The contract is deliver.py's.
def cancel_source(t):
    # What cancels t now (a scope, or the task whose root scope is
    # cancelled), or None. No side effects.
    o = t  # the task whose root scope comes after the scopes it entered
    s = t.scope
    while s is not None:
        so = s._owner
        if so is not o:  # leaving o's scopes: o's root scope is next
            if o._cancel_requested and (o is t or not o._cancel_once):
                return o
            o = so
        if s._cancel_called:
            return s
        if s.shield:
            return None
        s = s._parent
    if o._cancel_requested and (o is t or not o._cancel_once):
        return o
    return None


def check_cancel(t):
    # Raise Cancelled if t is effectively cancelled.
    src = cancel_source(t)
    if src is not None:
        if t._cancel_once and t._cancel_requested:
            consume_cancel(t)
        raise cancelled_exc(t)


_CANCELLED = Cancelled()  # raised when the heap has no room for a new one
KICKED = Cancelled  # a THROW task's data when kick() sent it: raise cancelled_exc(t)


def cancelled_exc(t):
    # A new Cancelled of the task's kind; under heap_lock or exhaustion the
    # preallocated one, so a cancellation is never turned into a MemoryError.
    try:
        return t._cancelled_class()
    except MemoryError:
        return _CANCELLED


def consume_cancel(t):
    # An edge-triggered (asyncio) cancel() request is delivered: forget it.
    t._cancel_requested = False
    global pending
    pending -= 1


def is_cancelled(t):
    return cancel_source(t) is not None


# The shared awaitables, made once everything the C twin reads exists
# (_cur, pending, check_cancel: op_type() checks them).
_OpType = native_op(_Op, _PARKED, globals())  # _Op, or its C twin (_zsync_core)
_OP = _OpType(True)
_NOCHECK = _OpType(False)  # for waits that must not be interrupted before parking
_YOP = _YieldOp(True, YIELDED)
_ROP = _YieldOp(False, READY)  # resched()'s
_POP = _ParkOp(True)
# Who captures an _Op to await it later (asyncio's create_task, zs.fiber's
# Io) replays its (prim, arg) on aw.replay: _POP's step skips prim's check.
_YOP.replay = _POP.replay = _OP
