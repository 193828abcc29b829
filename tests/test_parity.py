# Each behaviour script in tests/ is one pytest test: CPython, MicroPython
# unix and MicroPython WebAssembly must each print its oracle, tests/<name>.exp
# (or the .mpy.exp / .wasm.exp that says why it differs there), and no trace
# may report a problem; a side that skips is reported with its reason.
import pytest

import parity


@pytest.mark.parametrize("name", parity.scripts())
def test_parity(name):
    status, report = parity.check(name)
    if status.startswith("skip"):
        pytest.skip("%s skipped on %s: %s" % (name, status.split(":")[1], report))
    assert status == "pass", report
