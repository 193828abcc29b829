# zsync_mp.kernel.timers: the kernel's timer queue, a binary heap over three
# parallel lists (deadline, object, sequence) that never shrink, so inserting
# and popping allocate nothing once the lists have grown (MicroPython's
# list.pop() would realloc). Entries are objects with _timer(key) and
# _timer_live(key): a sleeping Task, a CancelScope's deadline, a simulated
# hardware event. A cancelled entry stays until popped or compacted (lazy
# deletion); `live` counts the ones still wanted. Equal deadlines fire in
# insertion order. Not IRQ-safe: only the kernel's loop and tasks call it.
#
# Sleeping tasks: with the C Task (_zsync_core) they go to an intrusive
# pairing heap instead (no list slots: a sleeper costs nothing beyond its
# task), rooted at `sleepers`; both heaps draw from one sequence counter and the
# loop fires them merged by (deadline, sequence), so the order is the same
# as with the lists alone. Without it `sleepers` stays None.
from .port import native, const
from .core import YIELDED

SEQ_MASK = const(0x3FFFFFF)  # sequence numbers: 26 bits (the C Task's room)
SEQ_HALF = const(0x2000000)


class TimerHeap:
    # Mixed into Kernel; __init__ there sets timer_deadlines/objects/seqs, timer_count, live, seq, diff,
    # sleepers (root of the sleeping C tasks) and tmask (the clock's period - 1).
    # Sleeping tasks: add_sleep(key, t) is add_timer() for the Python Task
    # (set at the end of the class); unsleep(t) takes a woken-early one out.
    if native is None:

        def unsleep(self, t):
            self.live -= 1  # its entry stays until popped (lazy deletion)

    else:

        def add_sleep(self, key, t):
            self.seq = seq = (self.seq + 1) & SEQ_MASK
            self.sleepers = native.sl_push(self.sleepers, t, seq, self.tmask)

        def unsleep(self, t):
            self.sleepers = native.sl_remove(self.sleepers, t, self.tmask)

    def _sleeper_first(self, s):
        # s, the earliest sleeping C task, if it comes before the list heap's head.
        if not self.timer_count:
            return s
        d = self.diff(s.data, self.timer_deadlines[0])
        if d < 0 or (d == 0 and ((self.timer_seqs[0] - s._seq) & SEQ_MASK) < SEQ_HALF):
            return s
        return None

    def next_due(self):
        # The earliest deadline of both heaps (there must be one).
        s = self.sleepers
        if s is not None:
            s = self._sleeper_first(s)
        return self.timer_deadlines[0] if s is None else s.data

    def fire_due(self, now):
        # Fire every timer due at `now`, in (deadline, sequence) order. With
        # the Python Task `sleepers` is None: the list heap alone, no extra call.
        diff = self.diff
        while True:
            s = self.sleepers
            if s is not None:
                s = self._sleeper_first(s)
                if s is not None:
                    if diff(s.data, now) > 0:
                        return
                    self.sleepers = native.sl_pop(s, self.tmask)
                    s.data = None
                    self.push(s)
                    s.state = YIELDED  # a sleep that ended (see _kernel.YIELDED)
                    continue
            if not self.timer_count:
                return
            key = self.timer_deadlines[0]
            if diff(key, now) > 0:
                return
            obj = self.timer_objects[0]
            self.pop_timer()
            obj._timer(key)

    # Timers: a binary heap over three lists that never shrink.
    def add_timer(self, key, obj):
        if self.timer_count > 64 and self.timer_count > 4 * self.live:
            self._compact()  # before the new entry: its owner marks it live after this returns
        k = self.timer_deadlines
        o = self.timer_objects
        s = self.timer_seqs
        diff = self.diff
        seq = self.seq = (self.seq + 1) & SEQ_MASK
        i = self.timer_count
        if i == len(s):
            # Grow the lists one at a time, so a MemoryError part way leaves
            # each at least as long as before, the longer ones a slot ahead;
            # the next entry catches the others up (s grows last).
            if len(k) == i:
                k.append(key)
            if len(o) == i:
                o.append(obj)
            s.append(seq)
        self.timer_count = i + 1
        self.live += 1
        while i:
            p = (i - 1) >> 1
            d = diff(key, k[p])
            if d > 0 or (d == 0 and ((seq - s[p]) & SEQ_MASK) < SEQ_HALF):
                break
            k[i] = k[p]
            o[i] = o[p]
            s[i] = s[p]
            i = p
        k[i] = key
        o[i] = obj
        s[i] = seq

    def _sift_down(self, i, key, obj, seq):
        k = self.timer_deadlines
        o = self.timer_objects
        s = self.timer_seqs
        diff = self.diff
        n = self.timer_count
        while True:
            c = 2 * i + 1
            if c >= n:
                break
            if c + 1 < n:
                d = diff(k[c + 1], k[c])
                if d < 0 or (d == 0 and ((s[c + 1] - s[c]) & SEQ_MASK) >= SEQ_HALF):
                    c += 1
            d = diff(k[c], key)
            if d > 0 or (d == 0 and ((s[c] - seq) & SEQ_MASK) < SEQ_HALF):
                break
            k[i] = k[c]
            o[i] = o[c]
            s[i] = s[c]
            i = c
        k[i] = key
        o[i] = obj
        s[i] = seq

    def pop_timer(self):
        # Remove the earliest entry (read it from timer_deadlines[0], timer_objects[0] first).
        k = self.timer_deadlines
        o = self.timer_objects
        n = self.timer_count = self.timer_count - 1
        lk = k[n]
        lo = o[n]
        o[n] = None
        if n:
            self._sift_down(0, lk, lo, self.timer_seqs[n])

    def _compact(self):
        # Drop entries nobody waits for any more (cancelled sleeps, exited
        # scopes), then rebuild the heap in place.
        k = self.timer_deadlines
        o = self.timer_objects
        s = self.timer_seqs
        j = 0
        for i in range(self.timer_count):
            if o[i]._timer_live(k[i]):
                k[j] = k[i]
                o[j] = o[i]
                s[j] = s[i]
                j += 1
        for i in range(j, self.timer_count):
            o[i] = None
        self.timer_count = j
        self.live = j
        for i in range((j >> 1) - 1, -1, -1):
            self._sift_down(i, k[i], o[i], s[i])

    if native is None:
        add_sleep = add_timer  # a sleeping Python Task is a list-heap entry
