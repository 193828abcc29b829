# `import uasyncio` is asyncio, as on MicroPython.
from asyncio import *  # noqa: F401,F403
