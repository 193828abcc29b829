# MicroPython's own asyncio tests against zsync_mp.asyncio. They live in the
# user's MicroPython checkout (MICROPY_DIR); the project never copies or
# downloads them, so without MICROPY_DIR this says so and skips.
import os
import subprocess
import sys

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.mark.skipif(not os.environ.get("MICROPY_DIR"), reason="MICROPY_DIR not set: `make asyncio-suite MICROPY_DIR=<micropython checkout>` runs MicroPython's asyncio tests")
def test_micropython_asyncio_suite():
    p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "asyncio_suite.py")], capture_output=True, text=True, timeout=900)
    assert p.returncode == 0, p.stdout[-4000:] + p.stderr[-2000:]
