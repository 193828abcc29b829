# Fault injection into Lock, Semaphore and Condition users: a cancellation
# or an exception at every suspend point of one worker. Afterwards the lock
# is free, the semaphore is back to its value, the condition's lock is free,
# the other workers did all their rounds and the injected worker can use
# the primitive again. A cancellation that lands at any suspend point is
# delivered there (Trio: a checkpoint raises a pending cancel before it
# completes), so every cancel point is "ok", the last yield_now() included.
import _faults
import zsync_mp as zs
from zsync_mp import sim

ROUNDS = 3


async def lock_user(lock, done, i):
    for r in range(ROUNDS):
        async with lock:
            await zs.sleep_ms(1 + i)
        await zs.yield_now()
    done[i] += 1


def lock_scenario(plan):
    lock = zs.Lock()
    done = [0, 0, 0]
    problems = []

    async def again():
        async with lock:  # the victim can still take the lock
            await zs.yield_now()

    async def main():
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(_faults.target(plan, lock_user(lock, done, 0), again))
                tg.spawn(lock_user(lock, done, 1))
                tg.spawn(lock_user(lock, done, 2))
        except zs.TaskGroupError:
            pass
        if lock.locked():
            problems.append("lock left held")
        if plan.kind != "crash" and done[1:] != [1, 1]:
            problems.append("others did %r" % done[1:])
        await again()

    sim.run(main(), seed=7)
    return problems


async def sem_user(sem, done, i):
    for r in range(ROUNDS):
        async with sem:
            await zs.sleep_ms(2)
    done[i] += 1


def sem_scenario(plan):
    sem = zs.BoundedSemaphore(2)
    done = [0, 0, 0, 0]
    problems = []

    async def again():
        async with sem:
            await zs.yield_now()

    async def main():
        try:
            async with zs.TaskGroup() as tg:
                tg.spawn(_faults.target(plan, sem_user(sem, done, 0), again))
                for i in (1, 2, 3):
                    tg.spawn(sem_user(sem, done, i))
        except zs.TaskGroupError:
            pass
        if sem.value != 2:
            problems.append("semaphore left at %d" % sem.value)
        if plan.kind != "crash" and done[1:] != [1, 1, 1]:
            problems.append("others did %r" % done[1:])

    sim.run(main(), seed=7)
    return problems


async def consumer(cond, items, got, i):
    for r in range(2):
        async with cond:
            await cond.wait_for(lambda: len(items) > 0)
            got.append(items.pop(0))


async def producer(cond, items, n):
    for k in range(n):
        await zs.sleep_ms(1)
        async with cond:
            items.append(k)
            cond.notify_all()


def cond_scenario(plan):
    cond = zs.Condition()
    items = []
    got = []
    problems = []

    async def again():
        async with cond:
            cond.notify_all()

    async def main():
        try:
            with zs.move_on_after(1):  # a consumer that lost its items must not hang the test
                async with zs.TaskGroup() as tg:
                    tg.spawn(_faults.target(plan, consumer(cond, items, got, 0), again))
                    tg.spawn(consumer(cond, items, got, 1))
                    tg.spawn(producer(cond, items, 4))
        except zs.TaskGroupError:
            pass
        if cond.locked():
            problems.append("condition lock left held")
        if len(got) + len(items) != 4 and plan.kind != "crash":
            problems.append("items lost: got %r left %r" % (got, items))
        if len(got) != len(set(got)):
            problems.append("item taken twice")

    sim.run(main(), seed=7)
    return problems


_faults.sweep("lock", lock_scenario)
_faults.sweep("semaphore", sem_scenario)
_faults.sweep("condition", cond_scenario)
