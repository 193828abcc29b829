# STM32 firmware (NUCLEO_F446RE, PYBV11, ...): the port's own frozen modules
# (asyncio, dht, onewire: needs lib/micropython-lib) plus zsync_mp.
include("$(PORT_DIR)/boards/manifest.py")
include("../zsync_manifest.py")
