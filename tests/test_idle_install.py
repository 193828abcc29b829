"""zs.idle.install()/uninstall(): install puts a hook where the kernel calls
it when it would idle; uninstall puts the plain idling back, so the hook is
not called any more; install refuses a hook and options together."""
import pytest

import zsync_mp as zs
from zsync_mp.kernel import core


def test_uninstall_puts_plain_idling_back():
    calls = []

    def hook(K, ms):
        calls.append(ms)
        return False  # did not idle: the kernel idles as usual

    async def nap():
        await zs.sleep_ms(5)

    assert zs.idle.install(hook) is hook and core.idle_hook is hook
    try:
        zs.run(nap())
        assert calls, "the installed hook was not called while the loop idled"
    finally:
        zs.idle.uninstall()
    assert core.idle_hook is None
    n = len(calls)
    zs.run(nap())
    assert len(calls) == n, "an uninstalled hook was still called"


def test_install_takes_a_hook_or_options_not_both():
    with pytest.raises(TypeError, match="a hook or LowPowerIdle options"):
        zs.idle.install(lambda K, ms: False, min_ms=10)
    assert core.idle_hook is None
