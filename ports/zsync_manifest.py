# zsync_manifest.py - freezes the zsync_mp package into MicroPython firmware.
# Included by ports/<port>/manifest.py; relative paths resolve from this
# directory (MicroPython's manifest rules). Host-only pieces are left out:
# they import CPython-only modules and would only waste flash.
# Usage: include("$(ZSYNC_MP)/ports/zsync_manifest.py") or a relative include.
import os

_HOST_ONLY = ("greenfiber.py",)  # greenlet backend: CPython only
# Subpackages not to freeze, e.g. ZSYNC_FREEZE_LEAVE_OUT=asyncio for a board
# whose flash is full (tools/build_firmware.py sets it per board).
_LEAVE_OUT = tuple(d for d in os.environ.get("ZSYNC_FREEZE_LEAVE_OUT", "").split(",") if d)


# Every .py under zsync_mp/, relative to the package, minus the host-only files.
def _portable_files(root):
    out = []
    for d, _dirs, names in os.walk(root):
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(d, n), root)
            if n.endswith(".py") and n not in _HOST_ONLY and rel.split(os.sep)[0] not in _LEAVE_OUT:
                out.append(rel)
    return sorted(out)


package("zsync_mp", files=_portable_files("../zsync_mp"), base_path="..", opt=3)
