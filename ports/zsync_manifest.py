# zsync_manifest.py - freezes the zsync_mp package into MicroPython firmware.
# Included by ports/<port>/manifest.py; relative paths resolve from this
# directory (MicroPython's manifest rules). Host-only pieces are left out:
# they import CPython-only modules and would only waste flash.
# Usage: include("$(ZSYNC_MP)/ports/zsync_manifest.py") or a relative include.
import os

# A module whose first lines say "# zsync-mp: host-only" (io/greenfiber.py,
# greenlet on CPython) is left out; `zsync-mp deploy` and the flash tool read
# the same line (zsync_mp_host/deploy.py HOST_ONLY_MARK).
_HOST_ONLY_MARK = "# zsync-mp: host-only"


def _host_only(path):
    with open(path) as f:
        return any(f.readline().startswith(_HOST_ONLY_MARK) for _ in range(3))

# Subpackages not to freeze, e.g. ZSYNC_FREEZE_LEAVE_OUT=asyncio for a board
# whose flash is full (tools/build_firmware.py sets it per board).
_LEAVE_OUT = tuple(d for d in os.environ.get("ZSYNC_FREEZE_LEAVE_OUT", "").split(",") if d)


# Every .py under zsync_mp/, relative to the package, minus the host-only ones.
def _portable_files(root):
    out = []
    for d, _dirs, names in os.walk(root):
        for n in sorted(names):
            rel = os.path.relpath(os.path.join(d, n), root)
            if n.endswith(".py") and rel.split(os.sep)[0] not in _LEAVE_OUT and not _host_only(os.path.join(d, n)):
                out.append(rel)
    return sorted(out)


package("zsync_mp", files=_portable_files("../zsync_mp"), base_path="..", opt=3)
