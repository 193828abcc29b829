# An uncaught simulated reset ends the process with exit code 100 + cause
# (what the virtual board watches for), ZSYNC_RESET_CAUSE sets reset_cause(),
# and ZSYNC_BOARD loads a board file (a bad one fails loudly at import).
# Run from CPython, which starts CPython and MicroPython children; MicroPython
# itself cannot start processes, so it prints SKIP.
import sys

if sys.implementation.name != "cpython":
    print("SKIP")
    sys.exit(0)
import os
import shutil
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")
PATH = os.pathsep.join([os.path.join(ROOT, "zsync_mp_host", "board"), ROOT])
CHILDREN = {
    "unfed WDT": "import machine\nmachine.WDT(timeout=100)\nmachine.lightsleep(150)\nprint('not reached')",
    "machine.reset()": "import machine\nmachine.reset()",
    "deepsleep": "import machine\nmachine.deepsleep(10)",
    "soft_reset": "import machine\nmachine.soft_reset()",
    "WDT in a loop": (
        "import machine, zsync_mp as zs\n"
        "async def main():\n"
        "    machine.WDT(timeout=200)\n"
        "    await zs.sleep_ms(1000)\n"
        "zs.run(main(), clock=zs.VirtualClock())\n"
    ),
    "reset cause": "import machine\nprint('reset_cause', machine.reset_cause())",
    "board file": "import machine\nprint(machine.board.name, machine.Pin('LED').value())",
}


def run(interp, code, env_extra):
    env = dict(os.environ)
    env.pop("ZSYNC_BOARD", None)
    env.pop("ZSYNC_RESET_CAUSE", None)
    env.update(env_extra)
    if interp == "micropython":
        cmd = [os.path.join(BIN, "micropython"), "-c", code]
        env["MICROPYPATH"] = PATH
    else:
        cmd = [os.path.join(BIN, "python"), "-c", code]
        env["PYTHONPATH"] = PATH
    p = subprocess.run(cmd, env=env, capture_output=True, timeout=60, cwd=ROOT)
    err = p.stderr.decode().strip().splitlines()
    return p.returncode, p.stdout.decode().strip(), err[-1] if err else ""


board = os.path.join(ROOT, "examples", "boards", "devkit.json")
tmp = tempfile.mkdtemp()  # a private directory, not a fixed name in the shared temp dir
bad = os.path.join(tmp, "bad.json")
with open(bad, "w") as f:
    f.write('{"pins": {"LED": 2}, "wires": [["LED", "NOPE"]]}')
for interp in ("cpython", "micropython"):
    print("--", interp)
    for name, code in CHILDREN.items():
        extra = {}
        if name == "reset cause":
            extra = {"ZSYNC_RESET_CAUSE": "3"}
        if name == "board file":
            extra = {"ZSYNC_BOARD": board}
        rc, out, err = run(interp, code, extra)
        print("%-16s rc=%d stdout=%r stderr=%r" % (name, rc, out, err))
    rc, out, err = run(interp, "import machine", {"ZSYNC_BOARD": bad})
    # MicroPython prints an uncaught traceback on stdout, CPython on stderr.
    last = [x for x in (out + "\n" + err).splitlines() if "BoardError" in x][-1]
    print("%-16s rc=%d error=%r" % ("bad board file", rc, last.split(": ", 1)[-1].replace(tmp, "<tmp>")))
shutil.rmtree(tmp)
