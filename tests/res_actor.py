# Actors: call/cast, backpressure on a full mailbox, call timeout, a crash
# answered with ActorCrashed and a supervisor restart (mailbox kept), stop()
# (graceful), calls to a stopped actor, self-calls, misuse.
import zsync_mp as zs
from zsync_mp.resilience import Actor, ActorStopped, ActorCrashed, Supervisor, child, TRANSIENT


class Counter(Actor):
    def started(self):
        self.n = 0
        print("  %3d counter started" % zs.ticks_ms())

    async def handle(self, msg):
        op, arg = msg
        await zs.sleep_ms(arg if op == "slow" else 1)
        if op == "add":
            self.n += arg
        elif op == "boom":
            raise ValueError("boom")
        return self.n


async def main():
    print("unsupervised actor: call and cast")
    c = Counter(capacity=2, name="counter")
    print(" ", c, c.state)
    async with zs.TaskGroup() as tg:
        tg.spawn(c.run())
        print("  call add 5 ->", await c.call(("add", 5)))
        await c.cast(("add", 10))
        print("  call get ->", await c.call(("get", 0)), "at", zs.ticks_ms())

        print("backpressure: casts wait while the mailbox (2) is full")
        for i in range(4):
            await c.cast(("slow", 10))
            print("  cast %d done at %d" % (i, zs.ticks_ms()))
        try:
            c.try_cast(("add", 1))
            c.try_cast(("add", 1))
            c.try_cast(("add", 1))
        except zs.WouldBlock:
            print("  try_cast on a full mailbox -> WouldBlock")

        print("call timeout (the wait for mailbox room counts)")
        try:
            await c.call(("get", 0), timeout_ms=5)
        except zs.TimeoutError as e:
            print("  TimeoutError", e, "at", zs.ticks_ms())

        print("a self-call is refused")

        async def selfcall(msg):
            return await me.call("again")

        me = Actor(selfcall, name="me")

        async def guarded():
            try:
                await me.run()
            except RuntimeError:
                print("  run() raised the crash")

        tg.spawn(guarded())
        try:
            await me.call("x")
        except ActorCrashed as e:
            print("  ActorCrashed:", type(e.error).__name__, e.error)
        print("  unsupervised crash -> state", me.state)
        try:
            await me.call("x")
        except ActorStopped as e:
            print("  then ActorStopped:", e)

        print("stop() is graceful: queued messages are served first")
        r1 = []

        async def caller(tag):
            try:
                r1.append((tag, await c.call(("get", 0))))
            except ActorStopped:
                r1.append((tag, "ActorStopped"))

        tg.spawn(caller("q1"))
        tg.spawn(caller("q2"))
        await zs.sleep_ms(0)
        c.stop()
        print("  stopped?", c.stopped, c.state)
        try:
            await c.cast(("add", 1))
        except ActorStopped as e:
            print("  cast after stop ->", e)
        try:
            c.try_cast(("add", 1))
        except ActorStopped:
            print("  try_cast after stop -> ActorStopped")
    print("  served", r1, c.state, "served total", c.served)
    try:
        await c.call(("get", 0))
    except ActorStopped:
        print("  call after stop -> ActorStopped")

    print("supervised: a crash is answered with ActorCrashed, the actor restarts, the mailbox is kept")

    def log(sup, event, cid, detail):
        if event != "start":
            print("  %3d %s %s %s" % (zs.ticks_ms(), event, cid, detail[0] if event == "exit" else ""))

    c2 = Counter(capacity=4, name="c2")
    sup = Supervisor([child("c2", c2, restart=TRANSIENT)], on_event=log, name="sup")
    results = []

    async def client(req):
        try:
            results.append((req[0], await c2.call(req, timeout_ms=100)))
        except ActorCrashed as e:
            results.append((req[0], "ActorCrashed " + type(e.error).__name__))

    async with zs.TaskGroup() as tg:
        tg.spawn(sup.run())
        for req in (("add", 1), ("boom", 0), ("add", 2), ("get", 0)):
            tg.spawn(client(req))
        await zs.sleep_ms(20)
        print(" ", results)
        print("  while running:", c2.state, sup.children())
        print("stop() a supervised transient actor: not restarted, the supervisor ends")
        c2.stop()
    print("  ", c2.state, sup.children())

    print("when its supervisor ends, queued calls fail fast")
    c3 = Counter(capacity=4, name="c3")
    sup3 = Supervisor([child("c3", c3)], name="sup3")
    out = []

    async def client3():
        try:
            await c3.call(("slow", 50))
            out.append("answered")
        except ActorStopped as e:
            out.append(str(e))
        except ActorCrashed:
            out.append("crashed")

    async with zs.TaskGroup() as tg:
        tg.spawn(sup3.run())
        for i in range(3):
            tg.spawn(client3())
        await zs.sleep_ms(10)
        sup3.stop()
    print(" ", out, c3.state)

    print("misuse")
    for what, mk in [
        ("handler=5", lambda: Actor(5)),
        ("no handler", lambda: Actor()),
        ("capacity=-1", lambda: Actor(print, capacity=-1)),
        ("capacity='x'", lambda: Actor(print, capacity="x")),
        ("name=5", lambda: Actor(print, name=5)),
    ]:
        try:
            mk()
            print(what, "accepted?!")
        except (TypeError, ValueError) as e:
            print(what, "->", type(e).__name__, e)
    a = Actor(lambda m: m)
    try:
        await a.call(1, timeout_ms=-1)
    except ValueError as e:
        print("timeout_ms=-1 ->", e)
    async with zs.TaskGroup() as tg:
        tg.spawn(a.run())
        await zs.sleep_ms(0)
        try:
            await a.run()
        except RuntimeError as e:
            print("run twice ->", e)
        a.stop()


zs.run(main(), clock=zs.VirtualClock())
