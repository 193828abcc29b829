# A TaskGroup's exit allocates nothing: with the heap locked, the body ends
# and the exit runs to its end, waiting for children that finish while it
# waits, and for none. (It was a coroutine made at exit time, which a full
# or locked heap could not allocate.) MicroPython only: CPython cannot lock
# its heap.
import zsync_mp as zs
import _alloc

_alloc.skip_unless_micropython()
import micropython


async def child(ev, box):
    await ev.wait()
    box[0] += 1


async def run_group(wait_for_children):
    ev = zs.Event()
    box = [0]
    tg = zs.TaskGroup()
    err = None
    try:
        async with tg:
            tg.spawn(child(ev, box))
            tg.spawn(child(ev, box))
            await zs.yield_now()  # both children parked on ev
            if not wait_for_children:
                ev.set()
                await zs.yield_now()  # ... and done before the exit
            micropython.heap_lock()
            ev.set()  # (again: harmless) the exit waits for them if they run late
    except MemoryError as e:
        err = e
    finally:
        micropython.heap_unlock()
    return err, box[0]


async def main():
    for wait in (True, False):
        err, done = await run_group(wait)
        print("children still running at exit:" if wait else "children done before exit:",
              "exit ok" if err is None else "MemoryError", "children done", done)


zs.run(main())
