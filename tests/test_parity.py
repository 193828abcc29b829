# Each behaviour script in tests/ is one pytest test: it must print the same
# trace on CPython and on MicroPython (or what its .exp says for MicroPython).
import pytest

import parity


@pytest.mark.parametrize("name", parity.scripts())
def test_parity(name):
    status, report = parity.check(name)
    if status.startswith("skip"):
        pytest.skip("%s printed SKIP on %s" % (name, status.split(":")[1]))
    assert status == "pass", report
