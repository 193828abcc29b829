"""`make sim`: run the demo app in simulation on MicroPython and CPython.

Until the virtual board lands (mpremote deploy to a simulated board), this
runs examples/sensor_pipeline.py under the virtual clock on the real
MicroPython unix port and on CPython, shows its output, and checks both
interpreters print the same trace.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
APP = os.path.join(ROOT, "examples", "sensor_pipeline.py")
BIN = os.path.join(ROOT, ".venv", "bin")


def run(cmd, env):
    return subprocess.run(cmd, env=dict(os.environ, **env), capture_output=True, text=True, timeout=60)


mp = run([os.path.join(BIN, "micropython"), APP], {"MICROPYPATH": ROOT + ":.frozen"})
cp = run([os.path.join(BIN, "python"), APP], {"PYTHONPATH": ROOT})
print("== MicroPython (unix port, virtual clock)")
print(mp.stdout + mp.stderr, end="")
same = mp.returncode == 0 and cp.returncode == 0 and mp.stdout == cp.stdout
print("== CPython trace is", "identical" if same else "DIFFERENT:\n" + cp.stdout + cp.stderr)
sys.exit(0 if same else 1)
