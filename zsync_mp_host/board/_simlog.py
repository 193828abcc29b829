# _simlog: the simulated board's log (machine.board.log), "<ms> <text>" per
# line, the newest LOG_BYTES of them.
#
# Contract
# - A real board keeps no such log, so noting a line keeps nothing on the
#   heap: the lines live in one bytearray, their starts in one array, both
#   made when `machine` loads (outside the program's heap when a board file
#   sets "heap_kb": _simheap lends room for `machine`). Noting a line still
#   makes it as a string first (garbage the next collection takes back).
# - When full, the oldest lines go (at least half the bytes and half the
#   lines at once, so dropping is rare). A line longer than the log is cut.
# - Read it as a list of str: len(), log[i], log[a:b], iteration, clear().
#   Indexes count the lines held now (they shift once old lines go).
from array import array

LOG_BYTES = 32768
LOG_LINES = 2048


class BoardLog:
    def __init__(self, size=LOG_BYTES, lines=LOG_LINES):
        self.buf = bytearray(size)
        self.starts = array("I", [0] * lines)  # starts[i]: where line i begins
        self.n = 0  # lines held
        self.end = 0  # bytes used: lines back to back, each ending in b"\n"

    def append(self, line):
        b = line.encode()
        size = len(self.buf)
        if len(b) >= size:
            b = b[:size - 1]
        need = len(b) + 1
        if self.end + need > size or self.n == len(self.starts):
            self._drop(need)
        at = self.end
        self.buf[at:at + len(b)] = b
        self.buf[at + len(b)] = 10
        self.starts[self.n] = at
        self.n += 1
        self.end = at + need

    def _drop(self, need):
        # Keep the newest lines that fit in half the used bytes and half the
        # line slots, with room for `need` more: the kept bytes start at p >=
        # their length, so moving them to 0 never overlaps.
        size = len(self.buf)
        starts = self.starts
        i = max(1, self.n - len(starts) // 2)
        while i < self.n and (2 * starts[i] < self.end or starts[i] < self.end + need - size):
            i += 1
        p = starts[i] if i < self.n else self.end
        kept = self.end - p
        if kept:
            self.buf[0:kept] = memoryview(self.buf)[p:self.end]
        for j in range(i, self.n):
            starts[j - i] = starts[j] - p
        self.n -= i
        self.end = kept

    def clear(self):
        self.n = 0
        self.end = 0

    def _lines(self):
        out = []
        for i in range(self.n):
            stop = self.starts[i + 1] if i + 1 < self.n else self.end
            out.append(bytes(self.buf[self.starts[i]:stop - 1]).decode())
        return out

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        return self._lines()[i]

    def __iter__(self):
        return iter(self._lines())

    def __repr__(self):
        return repr(self._lines())
