# `import uasyncio` is asyncio, as on MicroPython.
from asyncio import *  # noqa: F403 (this shim is the asyncio it re-exports)
