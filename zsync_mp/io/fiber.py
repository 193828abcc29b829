# zsync_mp.io.fiber: zs.fiber(fn, *args) runs a plain function on its own
# stack with a FiberIo, and the one place that picks the fiber backend.
#
# Backend contract (the C module _zsync_fiber on MicroPython and
# _greenfiber.py on greenlet for CPython implement exactly this, and the
# tests/fiber_*.py scripts run unchanged on both):
#   class Fiber:  Fiber(func, stack_size=0)
#       func callable (TypeError). stack_size in bytes: 0 = the port's
#       default (C: unix 64 KiB, esp32 8 KiB, other MCUs 4 KiB; nonzero
#       below 2048 is a ValueError there); greenlet checks it, ignores it.
#     .switch(value=None): the first call starts func() with no arguments
#       (bind arguments with a closure); later calls resume the fiber, making
#       its suspend() return `value`. Returns the value the fiber passed to
#       suspend(v), or func's return value once it finishes (.done is then
#       True). An exception raised in the fiber propagates out of switch()
#       and .done becomes True. Resuming a fiber that is done raises
#       RuntimeError("fiber is done"); one that is running (the current
#       fiber, or one up the resume chain) RuntimeError("fiber is already
#       running").
#     .throw(exc): resume the fiber raising exc (instance or class) at its
#       suspend(); returns/raises like switch(). An unstarted fiber is done
#       at once and exc is raised out of throw().
#     .done: bool.
#     .close(): if suspended, raise GeneratorExit at its suspend() so its
#       finally blocks run, then free the stack; an unstarted fiber is just
#       freed. Idempotent. GeneratorExit coming out is swallowed, any other
#       exception propagates; RuntimeError("fiber ignored GeneratorExit") if
#       it suspends again; RuntimeError("cannot close a running fiber").
#     A suspended fiber dropped without close() is reclaimed by the GC; on
#     MicroPython its finally blocks do not run then (zs.fiber always closes).
#   suspend(value=None): only inside a fiber: switch back to whoever called
#     switch()/throw(), passing value; returns the value given to the next
#     switch(). Outside a fiber: RuntimeError("suspend() outside a fiber").
#   current(): the running Fiber, or None.
# The stack of a fiber is freed when it finishes or is closed; a suspended
# fiber's stack is a GC root (C module). Nothing is IRQ-safe.
#
# zs.fiber(): the awaiting task drives the fiber. Each io.* call inside it
# suspends with the FiberIo, which holds what to wait on; the task awaits
# that in the kernel and resumes the fiber with the result, or throws the
# exception into it (Cancelled too, so scopes and timeouts apply). If the
# task's coroutine is closed, the fiber is closed (its finally blocks run).
from .colorblind import FiberIo
from ..kernel.port import MICROPYTHON, is_coro


def _load():
    # The C module when the firmware has it, else greenlet, else None.
    try:
        import _zsync_fiber

        return _zsync_fiber
    except ImportError:
        pass
    try:
        from . import greenfiber as _greenfiber

        return _greenfiber
    except ImportError:
        return None


_B = _load()

if MICROPYTHON:
    _MISSING = "zs.fiber needs the _zsync_fiber module: build firmware with native/ (see ports/)"
else:
    _MISSING = "zs.fiber needs greenlet on CPython: pip install greenlet (make setup installs it)"


def backend():
    """The fiber backend module (Fiber, suspend, current), or None."""
    return _B


def use_backend(b):
    # Tests and benchmarks only: force a backend module (None: no fibers).
    global _B
    _B = b


def fiber(fn, *args, stack_size=None):
    """`await zs.fiber(fn, *args)` runs fn(io, *args) on its own stack with
    a FiberIo and returns its result; an exception in fn is raised here.
    stack_size (bytes) overrides the port's default fiber stack. Not
    IRQ-safe; await it at once."""
    B = _B
    if B is None:
        raise RuntimeError(_MISSING)
    if not callable(fn):
        raise TypeError("zs.fiber needs a function to run, got %r" % (fn,))
    if stack_size is None:
        stack_size = 0
    elif not isinstance(stack_size, int) or isinstance(stack_size, bool):
        raise TypeError("zs.fiber stack_size must be an int number of bytes, got %r" % (stack_size,))
    elif stack_size < 0:
        raise ValueError("zs.fiber stack_size must be >= 0 bytes (0 or None: the port's default), got %r" % (stack_size,))
    return _drive(B, fn, args, stack_size)


async def _drive(B, fn, args, stack_size):
    io = FiberIo()
    f = B.Fiber(lambda: fn(io, *args), stack_size)
    io._f = f
    io._cur = B.current
    io._sus = B.suspend
    try:
        r = f.switch()
        while not f.done:
            if r is not io:
                r = f.throw(RuntimeError("a zs.fiber() function must suspend only through its FiberIo, not with %r" % (r,)))
                continue
            try:
                op = io.op
                if op is not None:
                    prim = io.prim
                    arg = io.arg
                    io.prim = io.arg = None
                    v = await op.set(prim, arg)
                else:
                    aw = io.aw
                    io.aw = None
                    v = await aw
            except GeneratorExit:
                raise
            except BaseException as e:  # noqa: B902 (delivered into the fiber)
                r = f.throw(e)
                continue
            r = f.switch(v)
    finally:
        io._f = None
        f.close()
    if is_coro(r):
        r.close()
        raise TypeError("zs.fiber runs plain functions; %r returned a coroutine (await it directly instead)" % (fn,))
    return r
