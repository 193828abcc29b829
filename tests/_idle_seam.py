# The kernel's idle hook for idle_* tests. With _kernel.idle_hook (the
# proposed hook) the hook is installed; until then a VirtualClock whose
# advance() -- which the kernel calls exactly where it would idle, with the
# time to the next timer -- calls the hook first stands in for it.
from zsync_mp import VirtualClock
from zsync_mp.kernel import core as _kernel
from zsync_mp import idle


class _SeamClock(VirtualClock):
    def __init__(self, hook, start):
        VirtualClock.__init__(self, start)
        self.hook = hook
        self.inside = False

    def advance(self, ms):
        if self.inside or _kernel._K is None:
            return VirtualClock.advance(self, ms)
        self.inside = True
        try:
            if self.hook(_kernel._K, ms):
                return
        finally:
            self.inside = False
        VirtualClock.advance(self, ms)


def clock_with(hook, start=0):
    if hasattr(_kernel, "idle_hook"):
        idle.install(hook)
        return VirtualClock(start)
    return _SeamClock(hook, start)
