# Ballast for the memory-pressure scripts (MicroPython): pin the heap so a
# program has a budget smaller than the interpreter's heap.
import gc


# Pin heap until only `free` bytes are left (the program's budget).
def leave_free(free):
    ballast = [None] * 1024  # preallocated: growing it would need a free block
    n = 0
    gc.collect()
    size = 4096
    while size >= 64 and n < 1024:
        if gc.mem_free() - size > free:
            try:
                ballast[n] = bytearray(size)
                n += 1
                continue
            except MemoryError:
                pass
        size >>= 1
    return ballast
