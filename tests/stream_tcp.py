# zs.Stream over real TCP sockets on localhost: start_server, open_connection,
# readline/readexactly/read, write+drain, EOF, close; misuse gives clear errors.
# Every wait goes through the kernel's poller (real clock: sockets are real).
import time

import zsync_mp as zs

# A port of our own (tests run in parallel); retried if it is taken.
PORT = 20000 + time.time_ns() // 1000 % 20000


async def handle(r, w):
    line = await r.readline()
    w.write(b"echo:" + line)
    await w.drain()
    n = await r.readexactly(4)
    w.write(n.upper())
    await w.drain()
    w.close()


async def main():
    global PORT
    for _ in range(20):
        try:
            srv = await zs.start_server(handle, "127.0.0.1", PORT)
            break
        except OSError:
            PORT = 20000 + (PORT + 7919) % 20000
    r, w = await zs.open_connection("127.0.0.1", PORT)
    w.write(b"hello\n")
    await w.drain()
    print(await r.readline())
    w.write(b"abcd")
    await w.drain()
    print(await r.readexactly(4))
    print("eof:", await r.read(10))
    try:
        await r.readexactly(1)
    except EOFError as e:
        print("EOFError:", e)
    try:
        w.write("text")
    except TypeError as e:
        print("TypeError:", e)
    w.close()
    try:
        await r.read(1)
    except OSError as e:
        print("OSError:", e)
    srv.close()
    await srv.wait_closed()
    try:
        await zs.open_connection("127.0.0.1", PORT)
        print("connected to a closed server?!")
    except OSError:
        print("connect refused")
    print("done")


zs.run(main())
