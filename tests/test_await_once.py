# CPython only (pytest): the kernel's awaitable completes through a generator
# there (_port.AWAIT_GENERATOR), which also tells a second await of one
# call's result apart from a resume and names the misuse. (On MicroPython the
# preallocated iterator cannot, without a field on the hot path: see
# DESIGN.md's known limits.)
import pytest

import zsync_mp as zs


def test_awaiting_a_consumed_awaitable_names_the_misuse():
    async def main():
        ev = zs.Event()
        ev.set()
        w = ev.wait()
        await w
        with pytest.raises(RuntimeError, match="already awaited"):
            await w
        tx, rx = zs.channel(1)
        await tx.send(5)
        assert await rx.recv() == 5  # a value still comes out of the generator
        return "ok"

    assert zs.run(main()) == "ok"
