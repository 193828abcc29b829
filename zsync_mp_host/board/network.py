# network: MicroPython's `network` module on a simulated board (ESP32's WLAN),
# for CPython and the MicroPython unix port, beside the simulated `machine`.
#
# Contract
# - WLAN(STA_IF | AP_IF) as on ESP32: one object per interface; active(),
#   connect(ssid, key, *, bssid), disconnect(), isconnected(), status() and
#   status("rssi" | "stations"), scan(), ifconfig(), ipconfig("addr4" | "gw4"
#   | "dhcp4"), config(...); hostname(); ESP32's STAT_* and AUTH_* values.
#   Misuse raises what ESP32 raises (OSError "Wifi Not Started" before
#   active(True), ValueError for an unknown param), with the value named.
# - The radio world is the board file's "wifi" entry: "aps" (ssid, key,
#   rssi, channel), "connect_ms" (an attempt's time, default 1000), "ip"
#   (what ifconfig() gives once connected) and "drops" (at_ms, for_ms: every
#   AP is off the air for for_ms). Without it any SSID connects.
# - An attempt that fails (unknown SSID or no AP on the air:
#   STAT_NO_AP_FOUND; wrong key: STAT_WRONG_PASSWORD) or a lost link
#   (STAT_BEACON_TIMEOUT) is retried every connect_ms, as ESP32 retries,
#   until config(reconnects=n) runs out; status() reads as on ESP32 meanwhile.
# - Time is board time (machine.board: the zsync_mp loop's clock, virtual or
#   real); each change is a line in the board log ("wifi connected to ...").
#   The radio is a peripheral: a reset powers it off.
# - WLAN models the radio link only: sockets are the host's (on the virtual
#   board, only with "network": true in its board file), up or not.
# - Heap: loading this module costs the program none, as a board's C module.
try:
    import zsync_mp  # noqa: F401 (imported first so it counts as the program's heap)
except ImportError:
    pass
import _simheap

_loan = _simheap.lend()
import _simmachine  # noqa: E402 (the board, loaded outside the program's heap like the rest)
import _simnet  # noqa: E402
from _simnet import *  # noqa: E402, F403 (network's public names)

_simnet.board = _simmachine.board
_simheap.give_back(_loan)
del _loan, _simheap, _simmachine
