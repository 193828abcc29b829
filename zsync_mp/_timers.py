# zsync_mp._timers: the kernel's timer queue, a binary heap over three
# parallel lists (deadline, object, sequence) that never shrink, so inserting
# and popping allocate nothing once the lists have grown (MicroPython's
# list.pop() would realloc). Entries are objects with _timer(key) and
# _timer_live(key): a sleeping Task, a CancelScope's deadline, a simulated
# hardware event. A cancelled entry stays until popped or compacted (lazy
# deletion); `live` counts the ones still wanted. Equal deadlines fire in
# insertion order. Not IRQ-safe: only the kernel's loop and tasks call it.


class TimerHeap:
    # Mixed into Kernel; __init__ there sets _tk/_to/_ts, tn, live, seq, diff.
    # Timers: a binary heap over three lists that never shrink.
    def add_timer(self, key, obj):
        k = self._tk
        o = self._to
        s = self._ts
        diff = self.diff
        seq = self.seq = (self.seq + 1) & 0x3FFFFFFF
        i = self.tn
        if i == len(k):
            k.append(key)
            o.append(obj)
            s.append(seq)
        self.tn = i + 1
        self.live += 1
        while i:
            p = (i - 1) >> 1
            d = diff(key, k[p])
            if d > 0 or (d == 0 and ((seq - s[p]) & 0x3FFFFFFF) < 0x20000000):
                break
            k[i] = k[p]
            o[i] = o[p]
            s[i] = s[p]
            i = p
        k[i] = key
        o[i] = obj
        s[i] = seq
        if self.tn > 64 and self.tn > 4 * self.live:
            self._compact()

    def _sift_down(self, i, key, obj, seq):
        k = self._tk
        o = self._to
        s = self._ts
        diff = self.diff
        n = self.tn
        while True:
            c = 2 * i + 1
            if c >= n:
                break
            if c + 1 < n:
                d = diff(k[c + 1], k[c])
                if d < 0 or (d == 0 and ((s[c + 1] - s[c]) & 0x3FFFFFFF) >= 0x20000000):
                    c += 1
            d = diff(k[c], key)
            if d > 0 or (d == 0 and ((s[c] - seq) & 0x3FFFFFFF) < 0x20000000):
                break
            k[i] = k[c]
            o[i] = o[c]
            s[i] = s[c]
            i = c
        k[i] = key
        o[i] = obj
        s[i] = seq

    def pop_timer(self):
        # Remove the earliest entry (read it from _tk[0], _to[0] first).
        k = self._tk
        o = self._to
        n = self.tn = self.tn - 1
        lk = k[n]
        lo = o[n]
        o[n] = None
        if n:
            self._sift_down(0, lk, lo, self._ts[n])

    def _compact(self):
        # Drop entries nobody waits for any more (cancelled sleeps, exited
        # scopes), then rebuild the heap in place.
        k = self._tk
        o = self._to
        s = self._ts
        j = 0
        for i in range(self.tn):
            if o[i]._timer_live(k[i]):
                k[j] = k[i]
                o[j] = o[i]
                s[j] = s[i]
                j += 1
        for i in range(j, self.tn):
            o[i] = None
        self.tn = j
        self.live = j
        for i in range((j >> 1) - 1, -1, -1):
            self._sift_down(i, k[i], o[i], s[i])
