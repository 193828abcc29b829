# STM32 firmware (NUCLEO_F446RE, PYBV11, ...): the port's drivers (dht,
# onewire: needs lib/micropython-lib) plus zsync_mp. MicroPython's own asyncio
# package is left out: with zsync_mp it no longer fits the 384 KiB text region
# of an STM32F4 with the port's filesystem layout, and zsync_mp.asyncio runs
# asyncio code unchanged (`import zsync_mp.asyncio as asyncio`). Need the
# stock one too? `mpremote mip install asyncio` puts it on the filesystem.
require("dht")
require("onewire")
include("../zsync_manifest.py")
