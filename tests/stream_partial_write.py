# A Stream over a link that takes a few bytes per write and fills up (a
# UART, a board's small socket buffers): awrite/drain send everything, in
# order, however many partial writes and waits it takes; a drain cancelled
# part way keeps the rest, and a write() made then goes after it; drain()
# returns once all left. Over a pure-Python pollable that takes at most 7
# bytes per write and 7 per millisecond (writable only while it has room),
# on the virtual clock.
import zsync_mp as zs
from _wire import Wire


class Narrow(Wire):
    def __init__(self):
        Wire.__init__(self)
        self.room = 7

    def ioctl(self, req, flags):
        if req == 3:
            return 4 & flags if self.room else 0
        return -22

    def write(self, buf):
        k = min(7, self.room, len(buf))
        if not k:
            return None
        self.tx += bytes(buf[:k])
        self.room -= k
        return k


async def link(w):
    while True:
        await zs.sleep_ms(1)
        w.room = 7


async def main():
    w = Narrow()
    st = zs.Stream(w, nb=True)
    body = b"".join(b"%03d," % i for i in range(250))  # 1000 bytes
    async with zs.TaskGroup() as tg:
        tg.spawn(link(w))
        await st.awrite(body)
        print("awrite of", len(body), "bytes: all sent, in order:", w.tx == body)
        w.tx = b""
        msg = b"first part of the message, long enough to take a few ms;"
        st.write(msg)
        print("pending after write():", len(st.out))
        with zs.move_on_after(0.003):
            await st.drain()
        print("drain cancelled after 3 ms: sent", w.tx, "pending", len(st.out))
        st.write(b"second;")
        st.write(bytearray(b"third"))
        await st.drain()
        print("then two writes and drain:", w.tx[-30:], "all in order:", w.tx == msg + b"second;third", "pending", len(st.out))
        w.tx = b""
        await st.awrite(body, 10, 30)
        print("awrite(buf, 10, 30):", w.tx == body[10:40])
        tg.cancel_scope.cancel()


zs.run(main(), clock=zs.VirtualClock())
