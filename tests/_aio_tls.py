# asyncio layer: ssl= on start_server and open_connection, with the
# interpreter's own ssl module (CPython's OpenSSL, MicroPython's mbedTLS):
# the client checks the server's certificate (_tls_cert.pem, self-signed for
# "localhost", made for this test; DER for mbedTLS, which takes no PEM
# file), lines and exact reads both ways, and a
# reply read in 7-byte pieces (bytes the TLS library
# already holds must be read without waiting for the socket). No read to
# EOF: mbedTLS reports a peer's close seconds late (stock asyncio too).
# Run by tests/test_realapps.py on CPython and MicroPython against
# _aio_tls.exp (not by parity.py: the WebAssembly port has no sockets).
import ssl
import time

import zsync_mp.asyncio as asyncio

HERE = __file__.rsplit("/", 1)[0]
PEM = HERE + "/_tls_cert.pem", HERE + "/_tls_key.pem"
DER = HERE + "/_tls_cert.der", HERE + "/_tls_key.der"
PORT = 20000 + time.time_ns() // 1000 % 20000  # ours; retried if taken
BIG = 4000
PATTERN = bytes(range(250)) * (BIG // 250)


async def handle(r, w):
    line = await r.readline()
    n = int(await r.readexactly(5))
    await w.awrite(b"got " + line)
    await w.awrite(PATTERN[:n])
    await w.aclose()


def contexts(cert, key):
    srv = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    srv.load_cert_chain(cert, key)
    cli = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    cli.verify_mode = ssl.CERT_REQUIRED
    cli.load_verify_locations(cafile=cert)
    return srv, cli


async def main():
    global PORT
    try:
        sctx, cctx = contexts(*PEM)
    except ValueError:  # mbedTLS: DER files
        sctx, cctx = contexts(*DER)
    for _ in range(20):
        try:
            srv = await asyncio.start_server(handle, "127.0.0.1", PORT, ssl=sctx)
            break
        except OSError:
            PORT = 20000 + (PORT + 7919) % 20000
    r, w = await asyncio.open_connection("127.0.0.1", PORT, ssl=cctx, server_hostname="localhost")
    await w.awrite(b"hello over tls\n%05d" % BIG)
    print(await r.readline())
    n, same = 0, True
    while n < BIG:
        got = await r.readexactly(min(7, BIG - n))
        same = same and got == PATTERN[n:n + len(got)]
        n += len(got)
    print("big reply intact:", same)
    await w.aclose()
    srv.close()
    await srv.wait_closed()
    try:
        await asyncio.open_connection("127.0.0.1", PORT, ssl="yes")
    except TypeError as e:
        print("TypeError:", e)
    print("done")


asyncio.run(main())
