"""zsync_mp.asyncio's CPython-side API (issue 18): run_in_executor on
threads with a default executor that asyncio.run() shuts down, and the
error for CPython asyncio API the layer does not provide."""
import threading

import pytest

import zsync_mp.asyncio as asyncio


def _asyncio_threads():
    return [t for t in threading.enumerate() if t.name.startswith("asyncio")]


def test_run_in_executor_runs_in_a_thread_and_run_shuts_it_down():
    main_thread = threading.get_ident()

    def work(a, b):
        return a * b, threading.get_ident() != main_thread

    async def main():
        loop = asyncio.get_running_loop()
        got = await loop.run_in_executor(None, work, 6, 7)
        assert _asyncio_threads(), "the default executor's thread should be alive during run()"
        return got

    assert asyncio.run(main()) == (42, True)
    assert _asyncio_threads() == [], "asyncio.run() must shut the default executor down"


def test_run_in_executor_raises_the_functions_exception():
    def boom():
        raise ValueError("from the thread")

    async def main():
        with pytest.raises(ValueError, match="from the thread"):
            await asyncio.get_running_loop().run_in_executor(None, boom)
        return "ok"

    assert asyncio.run(main()) == "ok"


def test_run_in_executor_cancelled_while_the_thread_runs():
    go = threading.Event()

    def blocked():
        go.wait(5)
        return "late"

    async def main():
        t = asyncio.get_running_loop().run_in_executor(None, blocked)
        await asyncio.sleep(0.01)
        t.cancel()
        go.set()
        with pytest.raises(asyncio.CancelledError):
            await t
        return t.cancelled()

    assert asyncio.run(main()) is True


def test_gather_of_executor_calls_runs_them_concurrently():
    barrier = threading.Barrier(3, timeout=5)  # all three must run at once

    async def main():
        loop = asyncio.get_running_loop()
        return await asyncio.gather(*(loop.run_in_executor(None, barrier.wait) for _ in range(3)))

    assert sorted(asyncio.run(main())) == [0, 1, 2]


def test_missing_api_is_named_and_still_an_attribute_error():
    assert not hasattr(asyncio, "to_thread")
    with pytest.raises(NotImplementedError, match=r"asyncio\.to_thread is CPython asyncio API"):
        asyncio.to_thread
    with pytest.raises(NotImplementedError, match=r"loop\.add_reader"):
        asyncio.get_event_loop().add_reader
    with pytest.raises(AttributeError):
        asyncio.__wrapped__  # dunder probes stay plain AttributeErrors


def test_run_in_executor_needs_a_callable():
    async def main():
        with pytest.raises(TypeError, match="callable"):
            asyncio.get_running_loop().run_in_executor(None, 42)
        return "ok"

    assert asyncio.run(main()) == "ok"


def test_start_serving_false_defers_accepting_until_serve_forever():
    import socket

    async def handle(r, w):
        await w.awrite(b"hi")
        await w.aclose()

    async def main():
        srv = await asyncio.start_server(handle, "127.0.0.1", 0, start_serving=False)
        port = srv.sockets[0].getsockname()[1]
        log = [srv.is_serving()]
        forever = asyncio.create_task(srv.serve_forever())
        await asyncio.sleep(0)
        log.append(srv.is_serving())
        r, w = await asyncio.open_connection("127.0.0.1", port)
        log.append(await r.read())
        w.close()
        srv.close()
        with pytest.raises(asyncio.CancelledError):
            await forever  # CPython's serve_forever ends so at close()
        log.append(forever.cancelled())  # a task ended by CancelledError counts as cancelled (CPython's rule)
        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", port), timeout=2)
        return log

    assert asyncio.run(main()) == [False, True, b"hi", True]


def test_cancelling_serve_forever_closes_the_server():
    async def main():
        srv = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0, start_serving=False)
        forever = asyncio.create_task(srv.serve_forever())
        await asyncio.sleep(0)
        forever.cancel()
        with pytest.raises(asyncio.CancelledError):
            await forever
        return forever.cancelled(), srv.is_serving()

    assert asyncio.run(main()) == (True, False)
