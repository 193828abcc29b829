# DESIGN.md invariant 9: no property (or other data descriptor) on the classes
# whose instances the hot paths write. On MicroPython one property in a class
# (or a base) makes every attribute store on its instances look the class up
# first: Task's three properties cost the switch 29% of its instructions.
import inspect

from zsync_mp.kernel import core as _kernel
from zsync_mp.kernel import loop as _loop
from zsync_mp.kernel import task as _task
from zsync_mp.kernel import timers as _timers
from zsync_mp.kernel import poll as _poll
from zsync_mp.asyncio import _core as aio_core

HOT = [_task.Task, aio_core.Task, _kernel.WaitQueue, _kernel.TaskWaiters, _kernel._Op, _kernel._YieldOp,
       _kernel._ParkOp, _loop.Kernel, _timers.TimerHeap, _poll.IoPoller]


def descriptors(cls):
    # Data descriptors a store to an instance would consult (CPython's own
    # __dict__/__weakref__ slots aside: MicroPython classes have none).
    return ["%s.%s" % (c.__name__, name) for c in inspect.getmro(cls) if c is not object
            for name, v in vars(c).items()
            if hasattr(type(v), "__set__") and not (name.startswith("__") and name.endswith("__"))]


def test_hot_classes_have_no_data_descriptors():
    assert [d for cls in HOT for d in descriptors(cls)] == []


def test_the_check_sees_a_property_in_a_subclass():
    class Probe(_task.Task):
        @property
        def x(self):
            return 1

    assert descriptors(Probe) == ["Probe.x"]
