# UART stream throughput: PARAMS["uart"] = {"id", "kw"} names a UART whose TX
# is wired to its RX (the virtual board's UART 1 is a simulated loopback).
# A writer task streams TOTAL bytes through zs.Stream at BAUD while a reader
# task takes them; prints RESULT {bytes_per_s, wire efficiency, errors} and
# `Test OK`. Lost or corrupted bytes fail the scenario.
import json
import time

from machine import UART
import zsync_mp as zs

BAUD = PARAMS.get("baud", 115200)
TOTAL = PARAMS.get("bytes", 4096)
CHUNK = 64
u = UART(PARAMS["uart"]["id"], BAUD, rxbuf=1024, **PARAMS["uart"]["kw"])
while u.any():
    u.read()
s = zs.Stream(u)
got = [0, 0]  # bytes, mismatches


def pattern(i):
    return (i * 7 + 3) & 0xFF


async def writer():
    buf = bytearray(CHUNK)
    for base in range(0, TOTAL, CHUNK):
        n = min(CHUNK, TOTAL - base)
        for j in range(n):
            buf[j] = pattern(base + j)
        s.write(buf[:n])
        await s.drain()


async def reader():
    buf = bytearray(256)
    while got[0] < TOTAL:
        n = await s.readinto(buf)
        for j in range(n):
            if buf[j] != pattern(got[0] + j):
                got[1] += 1
        got[0] += n


async def main():
    t0 = time.ticks_us()
    with zs.fail_after(TOTAL * 20 / BAUD + 2):
        async with zs.TaskGroup() as tg:
            tg.spawn(reader())
            tg.spawn(writer())
    return time.ticks_diff(time.ticks_us(), t0)


us = zs.run(main())
if got[1]:
    raise AssertionError("%d of %d bytes came back corrupted" % (got[1], TOTAL))
bps = TOTAL * 1000000 // us
print("RESULT", json.dumps({"baud": BAUD, "bytes": TOTAL, "elapsed_us": us, "bytes_per_s": bps,
                            "wire_bytes_per_s": BAUD // 10, "efficiency_pct": bps * 1000 // BAUD}))
print("Test OK")
