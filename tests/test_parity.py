# Each behaviour script in tests/ is one pytest test: it must print the same
# trace on CPython, MicroPython unix and MicroPython WebAssembly (or what its
# .exp / .wasm.exp says); a side that skips is reported with its reason.
import pytest

import parity


@pytest.mark.parametrize("name", parity.scripts())
def test_parity(name):
    status, report = parity.check(name)
    if status.startswith("skip"):
        pytest.skip("%s skipped on %s: %s" % (name, status.split(":")[1], report))
    assert status == "pass", report
