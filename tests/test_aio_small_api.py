"""Small parts of the asyncio API that had no test, each run side by side
on CPython's asyncio (the peer that defines them) and on zsync_mp.asyncio:
Task.get_name/set_name, Task.get_coro, loop.is_running/is_closed, Queue
(qsize, get_nowait, QueueEmpty/QueueFull, task_done, join), ensure_future
and iscoroutine. Where zsync_mp.asyncio differs on purpose, a test says so.
tests/aio_small_api.py runs the same calls on MicroPython and WebAssembly."""
import asyncio as std

import pytest

import zsync_mp.asyncio as zaio


@pytest.fixture(params=["asyncio", "zsync_mp.asyncio"])
def aio(request):
    return std if request.param == "asyncio" else zaio


def test_task_names(aio):
    async def child():
        pass

    async def main():
        a = aio.create_task(child())
        b = aio.create_task(child())
        c = aio.create_task(child(), name="worker")
        names = a.get_name(), b.get_name(), c.get_name()
        a.set_name(42)
        after = a.get_name()
        await aio.gather(a, b, c)
        return names, after

    (na, nb, nc), after = aio.run(main())
    # A default name is "Task-<n>", unique; a given one is kept; set_name stores str(name).
    assert na.startswith("Task-") and nb.startswith("Task-") and na != nb
    assert nc == "worker" and after == "42"


def test_get_coro_is_the_coroutine_while_the_task_runs(aio):
    async def child():
        await aio.sleep(0)

    async def main():
        coro = child()
        t = aio.create_task(coro)
        same = t.get_coro() is coro
        await t
        return same

    assert aio.run(main()) is True


def test_get_coro_once_done_is_none_on_zsync_mp():
    # A difference README states: the task's field holds its outcome once it
    # is done (CPython 3.12 returns None too, for eager tasks).
    async def child():
        pass

    async def main():
        t = zaio.create_task(child())
        await t
        return t.get_coro()

    assert zaio.run(main()) is None


def test_loop_is_running_and_is_closed(aio):
    async def main():
        return aio.get_running_loop().is_running()

    loop = aio.new_event_loop()
    aio.set_event_loop(loop)
    assert not loop.is_running() and not loop.is_closed()
    assert loop.run_until_complete(main()) is True
    assert not loop.is_running()
    loop.close()
    assert loop.is_closed()


def test_queue_qsize(aio):
    async def main():
        q = aio.Queue()
        sizes = [q.qsize()]
        for i in range(3):
            q.put_nowait(i)
            sizes.append(q.qsize())
        await q.get()
        sizes.append(q.qsize())
        return sizes

    assert aio.run(main()) == [0, 1, 2, 3, 2]


def test_queue_nowait_join_and_its_errors(aio):
    async def main():
        q = aio.Queue(maxsize=2)
        out = []
        try:
            q.get_nowait()
        except aio.QueueEmpty:
            out.append("empty")
        q.put_nowait("a")
        q.put_nowait("b")
        try:
            q.put_nowait("c")
        except aio.QueueFull:
            out.append("full")
        out.append(q.get_nowait())

        async def finish():
            q.task_done()  # "a"
            await aio.sleep(0)
            out.append(await q.get())
            q.task_done()  # "b"

        t = aio.create_task(finish())
        await q.join()  # returns once every item taken is marked done
        out.append("joined")
        await t
        try:
            q.task_done()
        except ValueError:
            out.append("too many task_done")
        return out

    assert aio.run(main()) == ["empty", "full", "a", "b", "joined", "too many task_done"]


def test_ensure_future_and_iscoroutine(aio):
    async def child():
        return 7

    async def main():
        coro = child()
        is_coro = aio.iscoroutine(coro), aio.iscoroutine(child)
        t = aio.ensure_future(coro)
        same = aio.ensure_future(t) is t  # a task is returned as it is
        return is_coro, same, await t

    assert aio.run(main()) == ((True, False), True, 7)


def test_new_event_loop_in_a_task_matches_micropython():
    # MicroPython's asyncio defines what new_event_loop() does under a running
    # task (aiorepl relies on it): tests/aio_new_loop_running.exp is that
    # script's output on MicroPython's own asyncio, checked here, while the
    # parity run holds zsync_mp.asyncio to it on every interpreter.
    import os
    import subprocess
    from zsync_mp_host import interp
    here = os.path.dirname(os.path.abspath(__file__))
    script = os.path.join(here, "aio_new_loop_running.py")
    argv, env = interp.command("micropython", script, ["stock"], paths=[".frozen"])
    out = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60).stdout
    with open(os.path.join(here, "aio_new_loop_running.exp")) as f:
        assert out == f.read()
