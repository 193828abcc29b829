# zsync_mp.kernel.loop: the event loop (Kernel.run), zs.run() and the loop's
# lifetime (enter, leave, bury).
#
# Contract
# - One loop per process; run() makes a Kernel, enters it (the kernel's
#   globals _K and pending), runs the main task to its end, cancels the
#   detached tasks still running, and leaves. A loop that fails is buried:
#   its suspended coroutines are closed before any other loop can run.
# - Each pass: due timers, then I/O (idling until the next event when nothing
#   is ready), then one pass over the tasks ready now; tasks made ready meanwhile
#   wait for the next pass, so one task cannot starve the others.
# - A task's exception ends the task, never the loop (finish() reports it);
#   KeyboardInterrupt and SystemExit end the loop.
# - Seeded runs shuffle the tasks ready at the same instant with xorshift32,
#   the same on every interpreter, so a seed replays one interleaving.
import sys

from . import core
from .core import READY, RUNNING, THROW, DONE, RETURNED, RAISED, CANCELLED, Cancelled, WaitQueue, _IRQ_RUN
from .core import KICKED, cancelled_exc
from .port import const, new_poller, print_exception, is_coro, env_seed, env_flag, sleep_ms as sleep_real, trace_clock, TICKS_PERIOD
from .clock import RealClock, VirtualClock
from .timers import TimerHeap
from .poll import IoPoller
from .task import Task, Reg, finish


def default_exc_handler(task, exc):
    print("Task exception wasn't retrieved:", task, file=sys.stderr)
    print_exception(exc, sys.stderr)



_EXC_EXIT = (KeyboardInterrupt, SystemExit)  # To prevent heap allocation in loop


_WINDOW = const(256)  # seeded shuffles: tasks per window (see _shuffle)


def _never():
    return False


class Kernel(TimerHeap, IoPoller):
    def __init__(self, clock):
        self.clock = clock
        self.diff = clock.diff  # bound once: fetching a bound method allocates
        self.rq_head = None
        self.rq_tail = None
        # Timer heap: deadline, object, sequence (FIFO among equal deadlines).
        self.timer_deadlines = []
        self.timer_objects = []
        self.timer_seqs = []
        self.timer_count = 0  # entries in use (lists never shrink: no realloc)
        self.live = 0  # entries whose owner still waits for them
        self.seq = 0
        self.sleepers = None  # sleeping C tasks (_timers.py)
        self.tmask = getattr(clock, "period", TICKS_PERIOD) - 1
        self.poller = new_poller()
        self.io = {}  # pollable -> _IoSlot (keyed by the object: id() would allocate)
        self.io_waiting = 0  # slots with a waiter
        self.soft = {}  # pure-Python pollables polled by ioctl (_port.SOFT_POLL)
        self.soft_waiting = 0  # ... of them with a waiter
        self.detached = Reg()  # spawn()ed tasks still running (_reg.py)
        self.groups = WaitQueue()  # TaskGroups inside `async with`, chained in entry order
        self.unreported = 0  # task failures the heap had no room to report
        self.exc_handler = default_exc_handler
        self.main = None
        self.pending = 0  # the global `core.pending` while this kernel is not running
        self.coop = core.COOP  # stream operations left before a schedule point (core.spent)
        self.stopping = _never  # run(None, keep=True) returns once this says True
        self.wait_forever = False  # asyncio: no deadlock error; idle until woken
        self.rng_hi = self.rng_lo = 0  # the xorshift32 state, in two 16-bit halves
        self._batch = None  # _shuffle's window: made by run() for a seeded run, which shuffles each pass
        self._last = self._rest = None  # _shuffle_window's other results

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
        # reproduces one interleaving and other seeds explore others. They
        # are shuffled in windows of _WINDOW consecutive tasks, so the batch
        # list stays small (10,000 tasks woken at once must not need a list
        # of 10,000 in a nearly full heap); run() makes it, so a pass
        # allocates nothing (a MemoryError here would end the loop).
        head = tail = None
        while n is not None:
            w = self._shuffle_window(n)
            if tail is None:
                head = w
            else:
                tail.next = w
            tail = self._last
            n = self._rest
        return head

    def _shuffle_window(self, n):
        # Shuffle up to _WINDOW tasks from n on: returns the first; the last
        # and the rest go to _last and _rest (a returned tuple would allocate).
        b = self._batch
        i = 0
        while n is not None and i < _WINDOW:
            b[i] = n
            n = n.next
            i += 1
        # xorshift32 (13, 17, 5) on the state's two 16-bit halves: every
        # value stays a small int on a 32-bit port (the whole 32-bit state
        # would be a big int there, allocated at every step); the numbers
        # drawn are the 32-bit ones, so a seed orders tasks the same way.
        hi = self.rng_hi
        lo = self.rng_lo
        j = i - 1
        while j > 0:
            t = ((hi << 13) | (lo >> 3)) & 0xFFFF
            lo ^= (lo << 13) & 0xFFFF
            hi ^= t
            lo ^= hi >> 1
            t = ((hi << 5) | (lo >> 11)) & 0xFFFF
            lo ^= (lo << 5) & 0xFFFF
            hi ^= t
            t = j + 1
            r = (((hi % t) << 16) + lo) % t  # the state modulo j + 1
            b[j], b[r] = b[r], b[j]
            j -= 1
        self.rng_hi = hi
        self.rng_lo = lo
        j = i - 1
        b[j].next = None
        while j > 0:
            b[j - 1].next = b[j]
            j -= 1
        w = b[0]
        self._last = b[i - 1]
        self._rest = n
        while i > 0:
            i -= 1
            b[i] = None
        return w

    def _requeue(self, n):
        # Put the chain n (the rest of a pass an exception cut short) back
        # at the front of the run queue.
        if n is None:
            return
        last = n
        while last.next is not None:
            last = last.next
        last.next = self.rq_head
        if self.rq_head is None:
            self.rq_tail = last
        self.rq_head = n

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
        self.main = main
        km = core  # the kernel core module as a local (faster than a global): the loop writes km._cur per task
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
                for t in self.detached.order():
                    t.cancel()
            # 1. Due timers.
            if self.timer_count or self.sleepers is not None:
                self.fire_due(clock.now())
            # 2. I/O, and idling until the next event.
            if self.rq_head is None:
                if ending and self.detached.n == 0:
                    break
                if self.live == 0 and self.sleepers is None and self.io_waiting == 0:
                    if ending:
                        break
                    if not self.wait_forever:
                        raise RuntimeError(self._blocked_report())
                    # Only an interrupt or a scheduled callback can wake a task now.
                    sleep_real(1)
                    continue
                if self.live == 0 and self.timer_count:
                    self._compact()
                    continue
                wait = -1
                if self.timer_count or self.sleepers is not None:
                    wait = diff(self.next_due(), clock.now())
                    if wait < 0:
                        wait = 0
                if core.idle_hook is not None and wait != 0 and core.idle_hook(self, wait):
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
            if self._batch is not None and n.next is not None:
                n = self._shuffle(n)
            tr = km.trace_hook
            if tr is not None:
                t0 = trace_clock()  # switch-in of the first step; tr.step() returns the next's
            while n is not None:
                t = n
                n = t.next
                km._cur = t
                try:
                    if t.state == THROW:
                        exc = t.data
                        if exc is KICKED:
                            exc = cancelled_exc(t)  # made now, not at kick() (see _deliver)
                        t.data = None
                        t.state = RUNNING
                        t.coro.throw(exc)
                    else:
                        t.state = RUNNING
                        t.coro.send(None)
                    if t.state == RUNNING:
                        km._cur = None
                        self.push(t)
                        t.state = THROW
                        t.data = RuntimeError("task %r yielded to the loop outside a zsync_mp await" % t)
                except StopIteration as e:
                    km._cur = None
                    finish(t, RETURNED, e.value)
                except Cancelled as e:
                    km._cur = None
                    finish(t, CANCELLED, e)
                except _EXC_EXIT as e:
                    km._cur = None
                    finish(t, RAISED, e)
                    self._requeue(n)  # the rest of this pass stays runnable
                    raise
                except BaseException as e:  # noqa: B902 (the task's own outcome)
                    km._cur = None
                    finish(t, RAISED, e)
                if tr is not None:
                    t0 = tr.step(t, t0)  # one hook per step, with its switch-in time
            km._cur = None



def run(coro, clock=None, seed=None):
    """Run `coro` as the main task until it finishes; return its result or
    raise its exception. `clock` injects a time source (zs.VirtualClock() for
    deterministic tests). `seed` (int) shuffles tasks that are ready at the
    same instant with a seeded PRNG: with a VirtualClock a seed replays one
    interleaving exactly (env ZSYNC_SEED sets it when `seed` is None).
    Detached tasks still running are cancelled."""
    if core.irq:
        raise RuntimeError(_IRQ_RUN)
    if core._K is not None:
        if is_coro(coro):
            coro.close()
        raise RuntimeError("zs.run() called inside a running loop: await the coroutine instead")
    if not is_coro(coro):
        hint = "; did you forget to call it?" if callable(coro) else ""
        raise TypeError("run() needs a coroutine object, got %r%s" % (coro, hint))
    if clock is not None and (isinstance(clock, type) or not (hasattr(clock, "now") and hasattr(clock, "add") and hasattr(clock, "diff"))):
        coro.close()
        hint = "; did you forget to call it?" if isinstance(clock, type) else ""
        raise TypeError("run(clock=) needs a clock object such as zs.VirtualClock() (with now/add/diff), got %r%s" % (clock, hint))
    if clock is None and env_flag("ZSYNC_VIRTUAL"):
        clock = VirtualClock()  # `zsync-mp run --virtual-time`
    if seed is None:
        seed = env_seed()
    if seed is not None and (not isinstance(seed, int) or isinstance(seed, bool)):
        coro.close()
        raise TypeError("seed must be an int, got %r" % (seed,))
    K = Kernel(clock if clock is not None else RealClock())
    if seed is not None:
        x = (seed & 0xFFFFFFFF) or 0x9E3779B9  # xorshift state must be nonzero
        K.rng_hi = x >> 16
        K.rng_lo = x & 0xFFFF
        K._batch = [None] * _WINDOW  # made now: shuffling must not allocate while tasks are ready
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
    # are no-ops (wake/throw/kick check for a running loop). The heap may be
    # exhausted (that may be why the loop failed): nothing here needs it.
    _bury_one(main)
    K.detached.each(_bury_one)
    g = K.groups.head
    while g is not None:
        g._kids.each(_bury_one)
        g = g.next


_BURIED = Cancelled()  # To prevent heap allocation (an exhausted heap)


def _bury_one(t):
    c = t.coro
    if t.state == DONE or c is None:
        return
    t.state = DONE
    t.data = 3
    t.coro = _BURIED
    try:
        c.close()
    except BaseException:  # noqa: B902 (cleanup that insisted on awaiting)
        pass


def enter(K):
    # Make K the running kernel (one at a time per process).
    if core._K is not None:
        raise RuntimeError("a zsync_mp loop is already running")
    core._K = K
    core.pending = K.pending
    for f in core.start_hooks:
        f(K)


def leave(K):
    K.pending = core.pending
    core._K = None
    core._cur = None


