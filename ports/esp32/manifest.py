# ESP32 / ESP32-C3 firmware: the port's own frozen modules (networking
# bundle, asyncio, ...: needs lib/micropython-lib) plus zsync_mp.
include("$(PORT_DIR)/boards/manifest.py")
include("../zsync_manifest.py")
