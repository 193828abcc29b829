# QEMU port firmware (MPS2_AN385, VIRT_RV32, ...): asyncio plus zsync_mp.
include("$(MPY_DIR)/extmod/asyncio")
include("../zsync_manifest.py")
