# UARTs on the simulated board: loopback, a crossed pair streaming at 9600
# baud through the kernel's poller (taking the time the wire takes), tx FIFO
# limits, timeouts, rx overflow, baud mismatch and scripted input.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import UART
import zsync_mp as zs
from zsync_mp.kernel import core as _kernel

b = machine.board
b.load({"uarts": {"0": {"peer": "loopback"}, "1": {"peer": 2}, "4": {"peer": 5}},
        "uart_inputs": [{"uart": 3, "at_ms": 300, "data": "help\nstatus\n"}]})


class _IoWait:
    # Park the task until the UART is readable/writable (the kernel's poller).
    def __init__(self, write):
        self.write = write

    def _op(self, t, obj):
        _kernel.kernel().io_wait(t, obj, self.write)
        return _kernel._PARKED


_RD = _IoWait(False)
_WR = _IoWait(True)


async def readable(u):
    await _kernel._OP.set(_RD, u)


async def writable(u):
    await _kernel._OP.set(_WR, u)


async def send_all(u, data):
    while data:
        await writable(u)
        n = u.write(data)
        data = data[n or 0:]


async def recv_exactly(u, n):
    got = b""
    first = None
    while len(got) < n:
        await readable(u)
        r = u.read(n - len(got))
        if r:
            if first is None:
                first = zs.ticks_ms()
            got += r
    return got, first


async def main():
    u3 = UART(3, 9600)  # opened early: the outside world types into it at 300 ms
    print("-- loopback at 115200")
    u0 = UART(0, 115200)
    print("write returns", u0.write("hello\n"), "any() at once:", u0.any(), "txdone:", u0.txdone())
    await zs.sleep_ms(1)  # 6 chars * 86.8 us
    print("after 1 ms any():", u0.any(), "readline:", u0.readline(), "txdone:", u0.txdone())

    print("-- pair at 9600 baud, 200 bytes through the poller")
    u1 = UART(1, 9600)
    u2 = UART(2, baudrate=9600, rxbuf=64)
    payload = bytes(range(200))
    t0 = zs.ticks_ms()
    async with zs.TaskGroup() as tg:
        tg.spawn(send_all(u1, payload))
        got, first = await recv_exactly(u2, len(payload))
    dt = zs.ticks_diff(zs.ticks_ms(), t0)
    print("received", len(got), "intact:", got == payload, "first byte after", first - t0, "ms")
    print("took", dt, "ms; the wire needs 200 * 10 bits / 9600 baud = 208.3 ms")

    print("-- tx FIFO (txbuf=256, timeout=0)")
    u1.init(9600, txbuf=256)
    u2.init(9600, rxbuf=1024)
    print("write(300) queued", u1.write(bytes(300)), "then", u1.write(b"x"))
    print(b.log[-1])
    await zs.sleep_ms(2)
    print("2 ms later there is room for", u1.write(bytes(10)), "bytes")
    u1.flush()
    print("flush() waited until", zs.ticks_ms(), "txdone:", u1.txdone())
    u2.read()

    print("-- blocking read with timeout")
    u2.init(9600, timeout=50)
    t = zs.ticks_ms()
    print("read() ->", u2.read(), "after", zs.ticks_diff(zs.ticks_ms(), t), "ms")
    u1.write(b"ab\ncd")
    u2.init(9600, timeout=50, timeout_char=5)
    print("readline() ->", u2.readline(), "read() ->", u2.read())

    print("-- rx overflow (rxbuf=16)")
    u2.init(9600, rxbuf=16)
    u1.write(bytes(40))
    await zs.sleep_ms(50)
    print("any():", u2.any(), "dropped:", b.uart_links[2].dropped, "|", b.log[-1])
    u2.read()

    print("-- baud mismatch")
    u4 = UART(4, 9600)
    u5 = UART(5, 19200)
    u4.write(b"hello")
    await zs.sleep_ms(10)
    print("any():", u5.any(), "lost:", b.uart_links[5].garbled, "|", b.log[-1])

    print("-- scripted input on UART3 at 300 ms (it came while we streamed)")
    print("lines:", u3.readline(), u3.readline(), "then", u3.readline())
    b.load({"uart_inputs": [{"uart": 3, "at_ms": 300, "data": "help\nstatus\n"}]})
    u3 = UART(3, 9600)
    await readable(u3)
    print("after a reload: readable at board time", b.ms())
    await zs.sleep_ms(20)
    print("lines:", u3.readline(), u3.readline(), "then", u3.readline())

    print("-- deinit")
    u3.deinit()
    try:
        u3.any()
    except OSError as e:
        print("OSError:", e)


zs.run(main(), clock=zs.VirtualClock())
