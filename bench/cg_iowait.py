"""Instructions per readiness wait on MicroPython, counted by callgrind: a
reader task waits until a loopback socket is readable and reads one byte; a
writer task sends one byte and yields twice. zsync_mp (`zs.wait_readable`)
against MicroPython asyncio (its IOQueue, as its streams use it), each run
under callgrind with N and with 0 cycles; the difference divided by N.
User-space instructions only (poll(2) and the other syscalls are not
counted). Measured 2026-12 on the PyPI unix port, N=1000: zsync_mp 93.6k
(106.7k before the kernel's hot frames fit the stack), asyncio 63.8k.

  .venv/bin/python bench/cg_iowait.py [--serve micropython|PATH] [--n N]
"""
import os
import random
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")

SETUP = """
import sys, socket
N = int(sys.argv[1]); PORT = int(sys.argv[2])
srv = socket.socket(); srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
addr = socket.getaddrinfo("127.0.0.1", PORT)[0][-1]
srv.bind(addr); srv.listen(1)
b = socket.socket(); b.connect(addr)
a, _ = srv.accept()
a.setblocking(False)
"""
PROGRAMS = {
    "zsync": SETUP + """
import zsync_mp as zs
async def reader():
    for _ in range(N):
        await zs.wait_readable(a)
        a.recv(1)
async def writer():
    for _ in range(N):
        b.send(b"x")
        await zs.yield_now()
        await zs.yield_now()
async def main():
    async with zs.TaskGroup() as tg:
        tg.spawn(reader())
        tg.spawn(writer())
zs.run(main())
print("done")
""",
    "asyncio": SETUP + """
import asyncio
from asyncio import core
async def reader():
    for _ in range(N):
        yield core._io_queue.queue_read(a)
        a.recv(1)
async def writer():
    for _ in range(N):
        b.send(b"x")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
async def main():
    await asyncio.gather(reader(), writer())
asyncio.run(main())
print("done")
""",
}


def count(exe, script, n):
    port = random.randint(30000, 50000)
    env = dict(os.environ, MICROPYPATH=ROOT + ":.frozen")
    if exe == "micropython":  # the PyPI port: its pybind module under callgrind
        code = ("import sys, micropython_run; sys.exit(micropython_run.run_main(%r))"
                % (["micropython", script, str(n), str(port)],))
        argv = [os.path.join(BIN, "python"), "-c", code]
    else:
        argv = [exe, script, str(n), str(port)]
    p = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + argv,
                       cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    m = re.search(r"Collected : (\d+)", p.stderr)
    if p.returncode or not m or "done" not in p.stdout:
        raise SystemExit("callgrind run failed:\n%s%s" % (p.stdout, p.stderr[-1500:]))
    return int(m.group(1))


def main(argv):
    exe = argv[argv.index("--serve") + 1] if "--serve" in argv else "micropython"
    n = int(argv[argv.index("--n") + 1]) if "--n" in argv else 1000
    with tempfile.TemporaryDirectory() as d:
        for name, text in PROGRAMS.items():
            script = os.path.join(d, "iowait_" + name + ".py")  # (not asyncio.py: it would import itself)
            with open(script, "w") as f:
                f.write(text)
            per = (count(exe, script, n) - count(exe, script, 0)) / n
            print("  %-8s %8.0f instructions per readiness wait (n=%d)" % (name, per, n))


if __name__ == "__main__":
    main(sys.argv[1:])
