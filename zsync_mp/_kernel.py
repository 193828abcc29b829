# zsync_mp._kernel: run queue, timers, I/O poll and the one way to park.
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
#               |  +------ yield_now --------+   | return/raise           |
#               |                                v                        |
#               +--------- wake() / kick() ---- DONE <--------------------+
#                (kick() sets THROW: the exception is thrown in on resume;
#                 hand() sets HANDED: READY, owning a lock or a message)
import sys

from ._port import const, new_poller, print_exception, is_coro, env_seed, env_flag, sleep_ms as sleep_real
from ._clock import RealClock, VirtualClock
from ._timers import TimerHeap

READY = const(0)  # in the run queue
RUNNING = const(1)  # the current task
PARKED = const(2)  # data is what it waits on (a WaitQueue or an _IoSlot)
SLEEPING = const(3)  # data is its deadline (ticks)
THROW = const(4)  # in the run queue; data is the exception to throw in
DONE = const(5)
HANDED = const(6)  # in the run queue and owning what a primitive handed it
# (a lock, a message): a cancellation waits for its next checkpoint.

_cur = None  # the running task
_K = None  # the running kernel
# Cancelled scopes still entered + tasks with cancel() pending. While it is 0
# no checkpoint needs to walk a scope chain: the common case costs one test.
pending = 0
# Depth of guarded interrupt handlers running (zsync_mp._irq): while nonzero,
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


class Task:
    """A spawned coroutine. `await task` returns its result or raises its
    exception; cancel() delivers Cancelled at its next checkpoint. Not IRQ-safe."""

    # Class defaults keep an idle task small: only six fields are per instance.
    name = None
    group = None
    _waiters = None
    _creq = False  # cancel() was called
    _edge = False  # True: a cancel() request is delivered once (asyncio tasks)
    _on_done = None  # called with the task when it ends (gather)
    _cexc = Cancelled  # what a cancellation raises in it (asyncio: CancelledError)

    def __init__(self, coro, name=None):
        self.coro = coro
        self.state = READY
        self.data = None
        self.next = None
        self.prev = None
        self.scope = None  # innermost CancelScope, or the group's scope
        if name is not None:
            self.name = name

    def __repr__(self):
        return "<Task %s>" % (self.name or hex(id(self)))

    def done(self):
        return self.state == DONE

    # Once DONE, `data` holds how it ended (1 returned, 2 raised, 3 cancelled;
    # +8 once retrieved) and `coro` the result or exception: ending a task
    # must not add attributes (that allocates; tasks may end under heap_lock).
    @property
    def _out(self):
        return self.data & 7 if self.state == DONE else 0

    @property
    def _res(self):
        return self.coro if self.state == DONE else None

    @property
    def _seen(self):
        return self.state == DONE and self.data & 8 != 0

    def _mark_seen(self):
        if self.state == DONE:
            self.data |= 8

    def cancelled(self):
        return self._out == 3

    def result(self):
        if self.state != DONE:
            raise RuntimeError("task %r is not done" % self)
        return self._outcome()

    def exception(self):
        if self.state != DONE:
            raise RuntimeError("task %r is not done" % self)
        self._mark_seen()
        if self._out == 3:
            raise self._res
        return self._res if self._out == 2 else None

    def cancel(self):
        # Returns False if the task is already done.
        global pending
        if irq:
            raise RuntimeError(_IRQ_CANCEL)
        if self.state == DONE:
            return False
        if not self._creq:
            self._creq = True
            pending += 1
        if trace_hook is not None:
            trace_hook.cancel(self)
        kick(self)
        return True

    # `await task`: park on its waiters until it is done (allocates a generator).
    def _op(self, t, arg):
        if self._waiters is None:
            self._waiters = TaskWaiters(self)
        self._waiters.park(t)
        return _PARKED

    def _outcome(self):
        self._mark_seen()
        if self._out == 1:
            return self._res
        if self._out == 3:
            raise (Cancelled if _cur is None else _cur._cexc)()
        raise self._res

    def __iter__(self):
        t = current_task()
        if self is t:
            raise RuntimeError("task %r cannot await itself" % t)
        if self.state != DONE:
            yield from _OP.set(self, None)
        else:
            check_cancel(t)
        return self._outcome()

    __await__ = __iter__

    # Timer heap entry: a sleeping task is due.
    def _timer_live(self, key):
        return self.state == SLEEPING and self.data == key

    def _timer(self, key):
        if self.state == SLEEPING and self.data == key:
            _K.live -= 1
            self.data = None
            _K.push(self)


class WaitQueue:
    """FIFO of parked tasks, linked through the tasks (allocates nothing)."""

    def __init__(self):
        self.head = None
        self.tail = None

    def park(self, t):
        t.state = PARKED
        t.data = self
        t.next = None
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
        super().__init__()
        self.task = task


_PARKED = object()  # an _op() result meaning "the task is parked"


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

    def set(self, prim, arg):
        self.prim = prim
        self.arg = arg
        return self

    def __iter__(self):
        return self

    __await__ = __iter__

    def __next__(self):
        t = _cur
        prim = self.prim
        if prim is None:
            if t is None:
                raise RuntimeError("zsync_mp awaitable used outside zs.run()")
            v = t.data  # resumed: whoever woke us left the result here
        else:
            self.prim = None
            if t is None:
                raise RuntimeError("zsync_mp awaitable used outside zs.run()")
            if pending and self.check:
                check_cancel(t)
            if prim is _YIELD:
                # yield_now(), the hottest path: _Yield._op() inlined.
                K = _K
                t.state = READY
                t.data = None
                t.next = None
                if K.rq_tail is None:
                    K.rq_head = t
                else:
                    K.rq_tail.next = t
                K.rq_tail = t
                return None
            v = prim._op(t, self.arg)
            if v is _PARKED:
                return None
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
_OP = _Op(True)
_NOCHECK = _Op(False)  # for waits that must not be interrupted before parking


def check_cancel(t):
    # Raise Cancelled if t is effectively cancelled: an unshielded enclosing
    # scope was cancelled, or cancel() was called on the task.
    s = t.scope
    while s is not None:
        if s._cc:
            raise cancelled_exc(t)
        if s.shield:
            return
        s = s._parent
    if t._creq:
        if t._edge:
            consume_cancel(t)
        raise cancelled_exc(t)


_CANCELLED = Cancelled()  # raised when the heap has no room for a new one


def cancelled_exc(t):
    # A new Cancelled of the task's kind; under heap_lock or exhaustion the
    # preallocated one, so a cancellation is never turned into a MemoryError.
    try:
        return t._cexc()
    except MemoryError:
        return _CANCELLED


def consume_cancel(t):
    # An edge-triggered (asyncio) cancel() request is delivered: forget it.
    global pending
    t._creq = False
    pending -= 1


def is_cancelled(t):
    try:
        check_cancel(t)
    except Cancelled:
        return True
    return False


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


def throw(t, exc):
    # Make a parked task ready; `exc` is raised at its await.
    if _K is None:
        return
    unpark(t)
    t.data = exc
    _K.push(t)
    t.state = THROW


def unpark(t):
    if t.state == PARKED:
        t.data.remove(t)
    elif t.state == SLEEPING:
        _K.live -= 1


def kick(t):
    # Unpark t with Cancelled if it is effectively cancelled and parked.
    # Ready and running tasks see the cancellation at their next checkpoint.
    st = t.state
    if (st != PARKED and st != SLEEPING) or _K is None:
        return  # (no loop: a coroutine being closed after run() ended)
    if is_cancelled(t):
        if t._edge and t._creq:
            consume_cancel(t)
        throw(t, cancelled_exc(t))


class _Yield:
    # await yield_now(): go to the back of the run queue. _Op.__next__ does
    # it inline (the hottest path), so this prim is only a marker.
    pass


_YIELD = _Yield()


from ._poll import IoPoller  # noqa: E402 (it imports this module back)


def default_exc_handler(task, exc):
    print("Task exception wasn't retrieved:", task, file=sys.stderr)
    print_exception(exc, sys.stderr)


# The tracer (zsync_mp.trace), or None: then each hook costs one test.
# Methods: spawn(t), run(t) before a task runs, out(t) after it gave up the
# CPU (its state says why: READY, PARKED with data, SLEEPING, DONE), wake(t),
# cancel(t), timeout(scope).
trace_hook = None
idle_hook = None  # zsync_mp.idle: f(K, ms) -> True if it idled; ms to the next timer (-1: none)
start_hooks = []  # f(K) called when a loop starts (the simulated machine arms its events)
_EXC_EXIT = (KeyboardInterrupt, SystemExit)  # To prevent heap allocation in loop


def _never():
    return False


class Kernel(TimerHeap, IoPoller):
    def __init__(self, clock):
        self.clock = clock
        self.diff = clock.diff  # bound once: fetching a bound method allocates
        self.rq_head = None
        self.rq_tail = None
        # Timer heap: deadline, object, sequence (FIFO among equal deadlines).
        self._tk = []
        self._to = []
        self._ts = []
        self.tn = 0  # entries in use (lists never shrink: no realloc)
        self.live = 0  # entries whose owner still waits for them
        self.seq = 0
        self.poller = new_poller()
        self.io = {}  # pollable -> _IoSlot (keyed by the object: id() would allocate)
        self.io_waiting = 0  # slots with a waiter
        self.soft = {}  # pure-Python pollables polled by ioctl (_port.SOFT_POLL)
        self.soft_waiting = 0  # ... of them with a waiter
        self.detached = {}  # spawn()ed tasks still running -> spawn order
        self.groups = {}  # TaskGroups inside `async with` (bury() reaches their children)
        self.unreported = 0  # task failures the heap had no room to report
        self.exc_handler = default_exc_handler
        self.main = None
        self.pending = 0  # the global `pending` while this kernel is not running
        self.stopping = _never  # run(None, keep=True) returns once this says True
        self.wait_forever = False  # asyncio: no deadlock error; idle until woken
        self.rng = 0  # xorshift32 state: nonzero shuffles each pass (seeded runs)
        self._batch = []  # reused by _shuffle

    def push(self, t):
        t.state = READY
        t.next = None
        if self.rq_tail is None:
            self.rq_head = t
        else:
            self.rq_tail.next = t
        self.rq_tail = t

    def _shuffle(self, n):
        # Seeded runs: the tasks ready at the same instant run in an order
        # drawn from xorshift32 (the same on every interpreter), so a seed
        # reproduces one interleaving and other seeds explore others.
        b = self._batch
        i = 0
        while n is not None:
            if i == len(b):
                b.append(n)
            else:
                b[i] = n
            n = n.next
            i += 1
        x = self.rng
        j = i - 1
        while j > 0:
            x ^= (x << 13) & 0xFFFFFFFF
            x ^= x >> 17
            x ^= (x << 5) & 0xFFFFFFFF
            k = x % (j + 1)
            b[j], b[k] = b[k], b[j]
            j -= 1
        self.rng = x
        j = i - 1
        b[j].next = None
        while j > 0:
            b[j - 1].next = b[j]
            j -= 1
        n = b[0]
        while i > 0:
            i -= 1
            b[i] = None
        return n

    def _blocked_report(self):
        t = self.main
        if t is None:
            return "deadlock: every task is blocked and nothing can wake them"
        return "deadlock: every task is blocked and nothing can wake them (main task %s, waiting on %r)" % (
            "done" if t.state == DONE else "parked",
            t.data,
        )

    def run(self, main, keep=False):
        # Run until `main` is done. keep=True returns at once then, leaving
        # the other tasks where they are (asyncio's run_until_complete);
        # otherwise detached tasks are cancelled and run to their end.
        global _cur
        self.main = main
        clock = self.clock
        diff = clock.diff
        virtual = clock.virtual
        ending = False
        while True:
            if keep and (self.stopping() if main is None else main.state == DONE):
                return
            if not ending and main is not None and main.state == DONE:
                # The main task is over: cancel what it left running.
                ending = True
                for t in in_spawn_order(self.detached):
                    t.cancel()
            # 1. Due timers.
            if self.tn:
                now = clock.now()
                k = self._tk
                while self.tn and diff(k[0], now) <= 0:
                    key = k[0]
                    obj = self._to[0]
                    self.pop_timer()
                    obj._timer(key)
            # 2. I/O, and idling until the next event.
            if self.rq_head is None:
                if ending and not self.detached:
                    break
                if self.live == 0 and self.io_waiting == 0:
                    if ending:
                        break
                    if not self.wait_forever:
                        raise RuntimeError(self._blocked_report())
                    # Only an interrupt or a scheduled callback can wake a task now.
                    sleep_real(1)
                    continue
                if self.live == 0 and self.tn:
                    self._compact()
                    continue
                wait = -1
                if self.tn:
                    wait = diff(self._tk[0], clock.now())
                    if wait < 0:
                        wait = 0
                if idle_hook is not None and wait != 0 and idle_hook(self, wait):
                    continue  # it slept (low-power idle): re-check timers and I/O
                if virtual and wait > 0:
                    if self.io_waiting:
                        self._poll(0)
                        if self.rq_head is not None:
                            continue
                    clock.advance(wait)
                    continue
                if self.io_waiting:
                    self._poll(wait)
                elif wait > 0:
                    sleep_real(wait)  # nothing to poll: plain sleep
                continue
            if self.io_waiting:
                self._poll(0)
            # 3. One pass over the tasks that are ready now: take the whole
            # queue; tasks made ready meanwhile wait for the next pass.
            n = self.rq_head
            self.rq_head = self.rq_tail = None
            if self.rng and n.next is not None:
                n = self._shuffle(n)
            tr = trace_hook
            while n is not None:
                t = n
                n = t.next
                _cur = t
                if tr is not None:
                    tr.run(t)
                try:
                    if t.state == THROW:
                        exc = t.data
                        t.data = None
                        t.state = RUNNING
                        t.coro.throw(exc)
                    else:
                        t.state = RUNNING
                        t.coro.send(None)
                    if t.state == RUNNING:
                        _cur = None
                        self.push(t)
                        t.state = THROW
                        t.data = RuntimeError("task %r yielded to the loop outside a zsync_mp await" % t)
                except StopIteration as e:
                    _cur = None
                    finish(t, 1, e.value)
                except Cancelled as e:
                    _cur = None
                    finish(t, 3, e)
                except _EXC_EXIT as e:
                    _cur = None
                    finish(t, 2, e)
                    raise
                except BaseException as e:  # noqa: B902 (the task's own outcome)
                    _cur = None
                    finish(t, 2, e)
                if tr is not None:
                    tr.out(t)
            _cur = None


def finish(t, out, res):
    # The task ended: record the outcome, wake whoever awaits it.
    global pending
    if t._creq:
        pending -= 1
    if t.state == DONE:
        return  # buried already
    t.state = DONE
    t.data = out
    t.coro = res
    K = _K
    K.detached.pop(t, None)
    waiters = t._waiters
    g = t.group
    try:
        if g is not None:
            g._child_done(t)
        elif out == 2 and (waiters is None or waiters.head is None) and t is not K.main:
            K.exc_handler(t, res)
    except MemoryError:
        # No room to report it (heap locked or exhausted): the outcome stays
        # on the task; the kernel and the other tasks go on.
        K.unreported += 1
    if waiters is not None:
        waiters.wake_all()
    if t._on_done is not None:
        t._on_done(t)


def spawn(coro, name=None):
    """Start `coro` as a new task and return its Task. Not IRQ-safe. The task
    is detached: it is cancelled when the main task finishes; prefer
    TaskGroup.spawn() to tie its lifetime to a block."""
    return new_task(coro, name, "spawn", Task, None)


def new_task(coro, name, what, cls=Task, group=None):
    # Check, create, register (in its group, or as detached), then queue: if
    # registering fails (MemoryError), nothing was queued.
    if irq:
        raise RuntimeError(_IRQ_SPAWN)
    if _K is None:
        raise RuntimeError("%s() needs a running loop: call it inside zs.run()" % what)
    if not is_coro(coro):
        hint = "; did you forget to call it?" if callable(coro) else ""
        raise TypeError("%s() needs a coroutine object, got %r%s" % (what, coro, hint))
    if name is not None and not isinstance(name, str):
        raise TypeError("task name must be a str, got %r" % (name,))
    t = cls(coro, name)
    try:
        if group is not None:
            t.group = group
            t.scope = group._scope
            register(group._kids, t)
        else:
            register(_K.detached, t)
    except MemoryError:
        coro.close()
        raise
    _K.push(t)
    if trace_hook is not None:
        trace_hook.spawn(t)
    return t


_spawned = 0  # spawn counter: registries map task -> spawn order


def register(reg, t):
    global _spawned
    reg[t] = _spawned
    _spawned += 1


def in_spawn_order(reg):
    # MicroPython dicts iterate in hash order: sort, so cancelling a group or
    # the leftovers of run() kicks tasks in the same order on every interpreter.
    return sorted(reg, key=reg.get)


def run(coro, clock=None, seed=None):
    """Run `coro` as the main task until it finishes; return its result or
    raise its exception. `clock` injects a time source (zs.VirtualClock() for
    deterministic tests). `seed` (int) shuffles tasks that are ready at the
    same instant with a seeded PRNG: with a VirtualClock a seed replays one
    interleaving exactly (env ZSYNC_SEED sets it when `seed` is None).
    Detached tasks still running are cancelled."""
    if irq:
        raise RuntimeError(_IRQ_RUN)
    if _K is not None:
        if is_coro(coro):
            coro.close()
        raise RuntimeError("zs.run() called inside a running loop: await the coroutine instead")
    if not is_coro(coro):
        hint = "; did you forget to call it?" if callable(coro) else ""
        raise TypeError("run() needs a coroutine object, got %r%s" % (coro, hint))
    if clock is None and env_flag("ZSYNC_VIRTUAL"):
        clock = VirtualClock()  # `zsync-mp run --virtual-time`
    if seed is None:
        seed = env_seed()
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        coro.close()
        raise TypeError("seed must be an int, got %r" % (seed,))
    K = Kernel(clock if clock is not None else RealClock())
    if seed is not None:
        K.rng = (seed & 0xFFFFFFFF) or 0x9E3779B9  # xorshift state must be nonzero
    enter(K)
    t = None
    try:
        t = Task(coro, "main")
        K.push(t)
        K.run(t)
        return t.result()
    except KeyboardInterrupt:
        t = None  # Ctrl-C: leave the tasks as they are for a post-mortem zs.dump()
        raise
    finally:
        leave(K)
        if t is not None and t.state != DONE:
            bury(K, t)
        try:
            K.close()
        except MemoryError:
            pass  # the heap is still locked: keep the exception we are raising


def bury(K, main):
    # The loop failed (a deadlock, an exception out of the kernel) with tasks
    # still suspended. Close their coroutines now, while no loop runs, so
    # their cleanup (finally blocks, `async with` exits) cannot reach a later
    # loop through the garbage collector; kernel calls made by that cleanup
    # are no-ops (wake/throw/kick check for a running loop).
    tasks = [main]
    tasks.extend(K.detached)
    for g in K.groups:
        tasks.extend(g._kids)
    for t in tasks:
        c = t.coro
        if t.state == DONE or c is None:
            continue
        t.state = DONE
        t.data = 3
        t.coro = Cancelled()
        try:
            c.close()
        except BaseException:  # noqa: B902 (cleanup that insisted on awaiting)
            pass


def enter(K):
    # Make K the running kernel (one at a time per process).
    global _K, pending
    if _K is not None:
        raise RuntimeError("a zsync_mp loop is already running")
    _K = K
    pending = K.pending
    for f in start_hooks:
        f(K)


def leave(K):
    global _K, _cur
    K.pending = pending
    _K = None
    _cur = None

