"""microdot's requests per second on zsync_mp.asyncio vs stock asyncio
(issue 18), on one interpreter: `micropython`, `cpython` or a firmware path.

A CPython driver, not a portable suite: it starts microdot (PyPI, unedited;
tests/_realapp.py redirects `import asyncio`) on the interpreter under test,
once per runtime per repetition, alternating which runtime goes first, and
times N GETs of / from 4 client threads over loopback (a new connection per
request: microdot answers HTTP/1.0), and reads the server's CPU time
(/proc/<pid>/task/*/schedstat) around them: wall time gives requests per second, CPU
time per request is the quieter figure on a shared machine. Prints each
figure, the ratios and one BENCH line (ns per request; run.py turns them
into the table rows). The goal is judged on the median of the
per-repetition ratios (7 repetitions). The fastest repetition of each is
printed too: neither is steady on a shared machine (2026-12, PyPI
MicroPython, five runs: medians 0.80x, 0.95x, 1.23x, 1.20x, 1.15x; fastest
repetitions 1.13x, 1.04x, 1.09x, 0.99x, 0.89x; with the streams'
cooperative budget, two runs: medians 1.30x, 1.20x, fastest 1.26x,
1.11x); bench/cg_microdot.py counts instructions.

  .venv/bin/python bench/b_microdot.py --serve micropython [--quick|--tiny|--reps N]
  .venv/bin/python bench/b_microdot.py --serve build/firmware/unix/micropython [--frozen]
"""
import importlib.util
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

BENCH = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(BENCH)
BIN = os.path.join(ROOT, ".venv", "bin")
LAUNCHER = os.path.join(ROOT, "tests", "_realapp.py")
CLIENTS = 4
RUNTIMES = ("zsync", "stock")


def argv_of(serve):
    if serve == "cpython":
        return [os.path.join(BIN, "python")]
    if serve == "micropython":
        return [os.path.join(BIN, "micropython")]
    if os.access(serve, os.X_OK):  # a unix firmware
        return [serve]
    raise SystemExit("--serve needs micropython, cpython or an interpreter's path, got %r" % serve)


def source(argv, serve_on):
    # The checkout whose zsync_mp is served; None with --frozen: the one
    # frozen into a firmware (what a board runs: its qstrs and bytecode in
    # ROM, as stock asyncio's are; from source, every qstr zsync_mp adds
    # slows each new str the app makes, see cg_microdot.py).
    if "--frozen" in argv:
        if serve_on in ("cpython", "micropython"):
            raise SystemExit("--frozen needs a firmware with zsync_mp frozen in (--serve PATH)")
        return None
    return os.environ.get("PYTHONPATH", ROOT).split(os.pathsep)[0] or ROOT


def libdir():
    spec = importlib.util.find_spec("microdot")
    if spec is None:
        raise SystemExit("microdot is not installed: .venv/bin/pip install microdot (pyproject's dev dependencies)")
    d = tempfile.mkdtemp(prefix="b_microdot")
    os.symlink(spec.submodule_search_locations[0], os.path.join(d, "microdot"))
    return d


def get(port):
    with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
        s.sendall(b"GET / HTTP/1.0\r\nHost: localhost\r\n\r\n")
        data = b""
        while True:
            b = s.recv(4096)
            if not b:
                break
            data += b
    if not data.endswith(b"hello from microdot"):
        raise RuntimeError("unexpected reply: %r" % data[:200])


def serve(cmd, runtime, src, lib):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    e = dict(os.environ)
    src = [src] if src else []  # None (--frozen): a firmware's frozen zsync_mp
    if cmd[0] == os.path.join(BIN, "python"):
        e["PYTHONPATH"] = os.pathsep.join(src + [os.path.join(ROOT, "tests"), lib])
    else:
        e["MICROPYPATH"] = ":".join(src + [os.path.join(ROOT, "tests"), lib, ".frozen"])  # src before a firmware's frozen zsync_mp
    p = subprocess.Popen(cmd + [LAUNCHER, runtime, "microdot", str(port)], cwd=ROOT, env=e,
                         stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    for _ in range(400):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).close()
            return p, port
        except OSError:
            if p.poll() is not None:
                raise RuntimeError("the server exited: %s" % p.stderr.read().decode()[-2000:])
            time.sleep(0.025)
    p.kill()
    raise RuntimeError("the server did not listen")


def cpu_s(pid):
    # The process's CPU seconds so far, all threads (schedstat: ns, where
    # /proc/<pid>/stat counts 10 ms ticks).
    d = "/proc/%d/task" % pid
    ns = 0
    for tid in os.listdir(d):
        try:
            with open(os.path.join(d, tid, "schedstat")) as f:
                ns += int(f.read().split()[0])
        except OSError:  # a thread that just ended
            pass
    return ns / 1e9


def measure(cmd, runtime, n, src, lib):
    # (wall seconds, server CPU seconds, requests) for n GETs from CLIENTS
    # threads (after a warm-up).
    p, port = serve(cmd, runtime, src, lib)
    try:
        for _ in range(20):
            get(port)
        per = n // CLIENTS
        errs = []

        def client():
            try:
                for _ in range(per):
                    get(port)
            except Exception as e:
                errs.append(e)

        ts = [threading.Thread(target=client) for _ in range(CLIENTS)]
        c0, t0 = cpu_s(p.pid), time.perf_counter()
        for t in ts:
            t.start()
        for t in ts:
            t.join()
        dt, cpu = time.perf_counter() - t0, cpu_s(p.pid) - c0
        if errs:
            raise errs[0]
        try:
            socket.create_connection(("127.0.0.1", port), timeout=5).sendall(b"GET /shutdown HTTP/1.0\r\n\r\n")
        except OSError:
            pass
        p.wait(timeout=10)
        return dt, cpu, per * CLIENTS
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def main(argv):
    serve_on = argv[argv.index("--serve") + 1] if "--serve" in argv else "micropython"
    tiny, quick = "--tiny" in argv, "--quick" in argv
    n = 40 if tiny else (400 if quick else 1000)
    reps = int(argv[argv.index("--reps") + 1]) if "--reps" in argv else (2 if tiny else (3 if quick else 7))
    src = source(argv, serve_on)
    cmd, lib = argv_of(serve_on), libdir()
    ns = {r: [] for r in RUNTIMES}
    cpu = {r: [] for r in RUNTIMES}
    for i in range(reps):
        for r in (RUNTIMES if i % 2 == 0 else RUNTIMES[::-1]):  # alternate who goes first
            dt, c, done = measure(cmd, r, n, src, lib)
            ns[r].append(dt * 1e9 / done)
            cpu[r].append(c * 1e9 / done)
            print("  %-6s rep %d: %7.0f requests/s, server CPU %4.0f us/request" % (r, i + 1, done / dt, c * 1e6 / done))
    rps = {r: 1e9 / statistics.median(v) for r, v in ns.items()}
    print("microdot on %s, %d clients, %d requests x %d: zsync_mp.asyncio %.0f req/s, stock asyncio %.0f req/s"
          % (serve_on, CLIENTS, n, reps, rps["zsync"], rps["stock"]))
    for what, v in (("requests/s", ns), ("server CPU per request", cpu)):
        rs = sorted(b / a for a, b in zip(v["zsync"], v["stock"]) if a)
        if rs:
            print("  zsync_mp vs stock, %s: %.2fx (range %.2f-%.2f, quartiles %.2f-%.2f, %d of %d above 1; "
                  ">1 = zsync_mp better)" % (what, statistics.median(rs), rs[0], rs[-1], rs[len(rs) // 4],
                                              rs[3 * len(rs) // 4], sum(r > 1 for r in rs), len(rs)))
    best = {r: min(v) for r, v in ns.items()}
    print("  fastest repetition: zsync_mp.asyncio %.0f req/s, stock asyncio %.0f req/s: %.2fx"
          % (1e9 / best["zsync"], 1e9 / best["stock"], best["stock"] / best["zsync"]))
    print("BENCH " + json.dumps({"figures": {"microdot.zs": ns["zsync"], "microdot.asyncio": ns["stock"],
                                             "microdot.best.zs": [best["zsync"]], "microdot.best.asyncio": [best["stock"]],
                                             "microdot.cpu.zs": cpu["zsync"], "microdot.cpu.asyncio": cpu["stock"]},
                                 "meta": {"rps": rps, "clients": CLIENTS, "requests": n}}))


if __name__ == "__main__":
    main(sys.argv[1:])
