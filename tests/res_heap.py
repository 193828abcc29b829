# The resilience steady-state paths allocate nothing on MicroPython:
# RateLimiter.try_acquire (refill and take, or refuse), CircuitBreaker checks
# while closed (allow/record_success, `async with breaker:`, state).
import gc

import _alloc

_alloc.skip_unless_micropython()
import micropython

import zsync_mp as zs
from zsync_mp.resilience import RateLimiter, CircuitBreaker


async def run_locked(label, make, n=2000, quiet=False):
    # make(n) returns a coroutine running n rounds; it is created before the
    # heap is locked / measured, so only the rounds themselves count.
    await make(200)  # warm up
    err = None
    c = make(n)
    micropython.heap_lock()
    try:
        await c
    except MemoryError as e:
        err = e
    micropython.heap_unlock()
    c = make(n)
    gc.collect()
    gc.disable()
    before = gc.mem_alloc()
    await c
    grew = gc.mem_alloc() - before
    gc.enable()
    if quiet:
        return err is not None and grew > 0
    if err is None and grew == 0:
        print(label, "allocates nothing")
    else:
        print(label, "ALLOCATES:", "MemoryError under heap_lock;" if err else "", "%d bytes per op" % (grew // n))


async def with_rounds(br, n):
    i = 0
    while i < n:
        async with br:
            pass
        i += 1


async def with_sleep_rounds(br, n):
    # The body awaits: a real call through the breaker, one switch each.
    i = 0
    while i < n:
        async with br:
            await zs.yield_now()
        i += 1


class SlowBreaker(CircuitBreaker):
    # Negative control: an `async def __aenter__` makes a coroutine per use.
    async def __aenter__(self):
        if not self.allow():
            raise self._reject()


async def main():
    rl = RateLimiter(1000, per_ms=1000, burst=4)
    got = [0, 0]

    def rl_step():
        if rl.try_acquire():
            got[0] += 1
        else:
            got[1] += 1
        if got[1] & 1:
            # Refill one token. The clock is moved by hand: the kernel's own
            # virtual-clock sleep is not what is measured here.
            CLOCK.advance(1)
        return None

    await _alloc.measure("RateLimiter.try_acquire (refill, take, refuse)", rl_step)
    print("  took and refused:", got[0] > 0, got[1] > 0)

    br = CircuitBreaker(fail_max=3, reset_ms=100)

    def br_step():
        if br.allow():
            br.record_success()
        br.state
        return None

    await _alloc.measure("CircuitBreaker.allow + record_success (closed)", br_step)
    await run_locked("async with breaker (closed)", lambda n: with_rounds(br, n))
    await run_locked("async with breaker, awaiting body (closed)", lambda n: with_sleep_rounds(br, n))
    print("  still closed:", br.state, br.failures)
    slow = SlowBreaker()
    seen = await run_locked("", lambda n: with_rounds(slow, n), quiet=True)
    print("negative control (async def __aenter__) caught allocating:", seen)


CLOCK = zs.VirtualClock()
zs.run(main(), clock=CLOCK)
print("done")
