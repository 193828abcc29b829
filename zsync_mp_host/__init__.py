# host: the CPython side of zsync-mp (runs on the PC, never on a board).
#
# vboard.py   a virtual board: MicroPython's raw REPL on a pty, backed by a real
#             MicroPython unix process with a board filesystem mounted at `/`,
#             confined by bubblewrap (_vboard_sandbox.py).
# deploy.py   copy zsync_mp (or any package) to a board through mpremote's API,
#             skipping files whose sha256 on the board already matches.
# cli.py      the `zsync-mp` command.
# board/      the simulated `machine` module (runs on MicroPython and CPython).
