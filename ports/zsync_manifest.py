# zsync_manifest.py - freezes the zsync_mp package into MicroPython firmware.
# Included by ports/<port>/manifest.py; relative paths resolve from this
# directory (MicroPython's manifest rules). Host-only pieces are left out:
# they import CPython-only modules and would only waste flash.
# Usage: include("$(ZSYNC_MP)/ports/zsync_manifest.py") or a relative include.
import os

_HOST_ONLY = ("_greenfiber.py",)  # greenlet backend: CPython only


# Every .py under zsync_mp/, relative to the package, minus the host-only files.
def _portable_files(root):
    out = []
    for d, _dirs, names in os.walk(root):
        for n in sorted(names):
            if n.endswith(".py") and n not in _HOST_ONLY:
                out.append(os.path.relpath(os.path.join(d, n), root))
    return sorted(out)


package("zsync_mp", files=_portable_files("../zsync_mp"), base_path="..", opt=3)
