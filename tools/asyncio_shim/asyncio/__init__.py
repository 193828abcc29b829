# Makes `import asyncio` mean zsync_mp.asyncio (tools/asyncio_suite.py puts
# this folder first on the path). Not part of the runtime.
from zsync_mp.asyncio import *  # noqa: F401,F403
from zsync_mp.asyncio import _core as core  # noqa: F401
