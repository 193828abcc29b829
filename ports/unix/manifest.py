# Unix port firmware: MicroPython's asyncio plus zsync_mp (for
# `make firmware PORT=unix`; the stock unix manifest needs micropython-lib).
include("$(MPY_DIR)/extmod/asyncio")
include("../zsync_manifest.py")
