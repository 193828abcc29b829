# zsync_mp.trace.kinds: the trace's event kinds and ring layout, shared by
# the recorder (trace/__init__.py) and its readers (read, dump, export).
# Event kinds (the index into KINDS is what the ring stores).
SPAWN = 1  # arg: the new task's record (_Stat)
RUN = 2  # switched in
YIELD = 3  # switched out, still ready (yield_now, a handoff, a throw)
PARK = 4  # switched out, parked; arg: the WaitQueue / I/O slot
SLEEP = 5  # switched out, sleeping; arg: the deadline (kernel ticks)
EXIT = 6  # switched out for good; arg: its record (.out: 1 ok, 2 raised, 3 cancelled)
WAKE = 7  # made ready by someone
CANCEL = 8  # cancel() called on it
TIMEOUT = 9  # a deadline of one of its scopes passed; arg: the scope
OVERRUN = 10  # it ran arg µs without a checkpoint (over budget)
MARK = 11  # mark(text) by the app; arg: the text
KINDS = ("?", "spawn", "run", "yield", "park", "sleep", "exit", "wake", "cancel", "timeout", "overrun", "mark")
OUTCOMES = ("", "returned", "raised", "cancelled")
SLOT = 6  # values per ring slot: us, ms, kind, task, arg, switch-in
OUTSIDE = 32  # kind flag: recorded between steps (no task running)
PRE = 64  # kind flag: recorded at a step's end but belongs before its RUN
