# zsync_mp.kernel.reg: the registries of live tasks (a TaskGroup's children, the
# loop's detached tasks), walked in spawn order so cancelling a group or the
# leftovers of run() kicks tasks in the same order on every interpreter.
#
# Contract
# - add(t) when a task is spawned, drop(t) when it ends (or leaves early, as
#   asyncio.run()'s main task); `n` counts the live ones; order() lists them
#   in spawn order; each(fn) calls fn on each live one, in spawn order,
#   allocating nothing (heap-locked group exits).
# - The tasks are linked through t.link (a field of the Task, the Python one
#   and the C one alike): add() and drop() allocate nothing and hash nothing
#   (a dict keyed by a task costs a class lookup per hash on MicroPython: 25%
#   of a TaskGroup spawn+join in instructions, bench/callgrind.py). Ended
#   tasks are unlinked lazily: it holds at most n + 8 ended ones.
# - Not IRQ-safe.
from .core import DONE

_END = object()  # t.link of the last task of a Reg (None: not linked)


class Reg:
    def __init__(self):
        self.head = None
        self.tail = None
        self.n = 0  # live tasks
        self.dead = 0  # ended tasks still linked

    def add(self, t):
        t.link = _END
        if self.tail is None:
            self.head = t
        else:
            self.tail.link = t
        self.tail = t
        self.n += 1

    def drop(self, t):
        if t.link is None:
            return  # not linked here
        self.n -= 1
        if t.state != DONE:
            self._unlink(t)  # leaves before it ends: unlink now
            return
        self.dead += 1
        if self.dead > self.n + 8:
            self._sweep()

    def _unlink(self, t):
        p = None
        c = self.head
        while c is not t:
            p = c
            c = c.link
        n = t.link
        if p is None:
            self.head = None if n is _END else n
        else:
            p.link = n
        if n is _END:
            self.tail = p
        t.link = None

    def _sweep(self):
        # Unlink the ended tasks (their results can be collected).
        p = None
        c = self.head
        while c is not None and c is not _END:
            n = c.link
            if c.state == DONE:
                c.link = None
                if p is None:
                    self.head = None if n is _END else n
                else:
                    p.link = n
            else:
                p = c
            c = n
        self.tail = p
        if p is not None:
            p.link = _END
        self.dead = 0

    def each(self, fn):
        c = self.head
        while c is not None and c is not _END:
            n = c.link
            if c.state != DONE:
                fn(c)
            c = n

    def order(self):
        out = []
        self.each(out.append)
        return out
