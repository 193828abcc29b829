"""The board's heap in simulation: a board file's "heap_kb" (the KiB of heap
the board's MCU gives MicroPython, a 32-bit build) as a heap of the 64-bit
MicroPython unix port that the virtual board and `zsync-mp run` use.

Contract
- FACTOR: unix-port bytes per board byte. bench/heap_factor.py measures it
  (gc.mem_alloc() at the peak of zsync_mp workloads, PyPI unix port vs the
  QEMU Cortex-M3 firmware, both importing zsync_mp from .py): 1.67 for
  `import zsync_mp`, 2.0 for plain data and channels, 2.7 for parked tasks
  (the firmware's C Task is smaller). FACTOR is the lowest, rounded down, so
  a program that does not fit the board does not fit in simulation either;
  the price is that one made mostly of plain data meets MemoryError in
  simulation up to ~17% (1 - 1.65/2) before the board would.
- env(heap_kb) is what the MicroPython side (board/_simheap.py) reads: the
  program's heap in unix-port bytes. unix_heap_kb(heap_kb) is the `-X
  heapsize` that holds it plus ROOM_KB for the simulation's own Python (the
  boot script, the simulated `machine` and its log), which the program never
  sees: `machine` loads in that room alone (board/_simheap.py holds the
  program's free bytes meanwhile), and needs more than 256 KB to compile.
- WebAssembly grows its heap on demand and CPython has none to set: there the
  heap is not modelled (README says so).
"""
FACTOR = 1.65
ROOM_KB = 512
ENV = "ZSYNC_HEAP"


def program_bytes(heap_kb):
    return int(heap_kb * 1024 * FACTOR)


def unix_heap_kb(heap_kb):
    return -(-program_bytes(heap_kb) // 1024) + ROOM_KB


def env(heap_kb):
    return {} if heap_kb is None else {ENV: str(program_bytes(heap_kb))}


# A `-X heapsize` value ("2M", "512K", "65536") in KiB.
def size_kb(text):
    mult = {"K": 1, "M": 1024}.get(text[-1:].upper())
    return int(text[:-1]) * mult if mult else int(text) // 1024
