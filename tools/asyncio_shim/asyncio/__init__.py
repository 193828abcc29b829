# Makes `import asyncio` mean zsync_mp.asyncio (tools/asyncio_suite.py puts
# this folder first on the path). Not part of the runtime.
from zsync_mp.asyncio import *  # noqa: F403 (this shim is the asyncio it re-exports)
from zsync_mp.asyncio import _core as core
