# The hardware-in-the-loop suite: `pytest hil_tests` (see README.md).
