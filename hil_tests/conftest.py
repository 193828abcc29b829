# The HIL suite's pytest plugin lives in hil_tests/plugin.py (also usable as
# `-p hil_tests.plugin`); this file only loads it for `pytest hil_tests`.
from hil_tests.plugin import (  # noqa: F401 (pytest finds the hooks and fixtures here)
    dut,
    hil,
    pytest_addoption,
    pytest_configure,
    pytest_runtest_makereport,
    pytest_sessionfinish,
    pytest_terminal_summary,
    report,
)
