# asyncio layer: MicroPython's Stream API (awrite with off/sz, awritestr,
# aclose, get_extra_info) and the Server that CPython code drives
# (is_serving(), serve_forever() ending with CancelledError at close(),
# wait_closed() waiting for the connections still running), over real
# loopback sockets. Connections are asyncio Tasks. (start_serving= is
# CPython's only: tests/test_aio_cpython.py.)
# Plus: every public name of MicroPython's asyncio (README's table) is
# here, iscoroutinefunction, and the error for CPython API not provided.
# Run by tests/test_realapps.py on CPython and MicroPython against
# _aio_stream_api.exp (not by parity.py: the WebAssembly port has no sockets).
import time

import zsync_mp.asyncio as asyncio

PORT = 20000 + time.time_ns() // 1000 % 20000  # ours; retried if taken
log = []


async def handle(r, w):
    t = asyncio.current_task()
    log.append("handler task cancelling() = %d" % t.cancelling())
    line = await r.readline()
    four = await r.readexactly(4)
    log.append("got %r %r" % (line, four))
    log.append("peername given: %s" % (w.get_extra_info("peername") is not None))
    log.append("default: %s" % w.get_extra_info("no-such-key", "dflt"))
    await w.awrite(four.upper())
    log.append("eof: %r" % (await r.read(10)))
    await w.aclose()


async def slow(r, w):
    await asyncio.sleep_ms(30)
    log.append("slow handler done")
    await w.aclose()


async def listen(cb, **kw):
    global PORT
    for _ in range(20):
        try:
            return await asyncio.start_server(cb, "127.0.0.1", PORT, **kw)
        except OSError:
            PORT = 20000 + (PORT + 7919) % 20000
    raise RuntimeError("no free port")


async def forever(srv):
    try:
        await srv.serve_forever()
    except asyncio.CancelledError:
        log.append("serve_forever: CancelledError after close()")


async def main():
    srv = await listen(handle)
    print("serving:", srv.is_serving())
    r, w = await asyncio.open_connection("127.0.0.1", PORT)
    await w.awritestr("hello\n")
    await w.awrite(b"xxabcdyy", 2, 4)
    print("reply:", await r.readexactly(4))
    await w.aclose()
    srv.close()
    await srv.wait_closed()
    print("serving after close():", srv.is_serving())
    for line in log:
        print(line)
    log[:] = []

    srv = await listen(slow)
    t = asyncio.create_task(forever(srv))
    await asyncio.sleep_ms(5)
    r, w = await asyncio.open_connection("127.0.0.1", PORT)
    await asyncio.sleep_ms(5)  # the slow handler is running
    srv.close()
    await srv.wait_closed()
    log.append("wait_closed returned")
    await t
    print("task of serve_forever cancelled():", t.cancelled())
    w.close()
    for line in log:
        print(line)

    async def co():
        pass

    def plain():
        pass

    print("iscoroutinefunction:", asyncio.iscoroutinefunction(co), asyncio.iscoroutinefunction(plain))
    print("hasattr(asyncio, 'to_thread'):", hasattr(asyncio, "to_thread"))
    try:
        asyncio.to_thread
    except AttributeError as e:
        print("AttributeError:", e)
    print("MicroPython asyncio names missing:", missing_names())
    print("done")


# MicroPython's asyncio (extmod/asyncio/*.py): module names, then per class.
NAMES = {
    "": "CancelledError TimeoutError sleep sleep_ms create_task run run_until_complete get_event_loop "
        "current_task new_event_loop Loop Task Event ThreadSafeFlag Lock wait_for wait_for_ms gather "
        "StreamReader StreamWriter open_connection start_server __version__",
    "Loop": "create_task run_forever run_until_complete stop close set_exception_handler "
            "get_exception_handler default_exception_handler call_exception_handler",
    "Task": "done cancel",
    "Event": "is_set set clear wait",
    "ThreadSafeFlag": "set clear wait ioctl",
    "Lock": "locked release acquire __aenter__ __aexit__",
    "StreamWriter": "get_extra_info close wait_closed read readinto readexactly readline write drain aclose "
                    "awrite awritestr __aenter__ __aexit__",
    "Server": "close wait_closed __aenter__ __aexit__",
}


def missing_names():
    out = []
    for cls, names in NAMES.items():
        obj = getattr(asyncio, cls) if cls else asyncio
        out += [(cls + "." if cls else "") + n for n in names.split() if not hasattr(obj, n)]
    return out


asyncio.run(main())
