# zsync_mp.resilience._actor: an actor = one task serving a bounded mailbox.
#
# Contract
#
#     new --run()--> running --run() ends--> down --run() again--> running
#                      |                      |   (supervised: messages wait)
#                      +---- stop(), or run() ends unsupervised, or the
#                            supervisor drops it ----> stopped
#
# - The mailbox is a zs.channel(capacity): cast() and call() wait while it is
#   full (backpressure); try_cast() raises zs.WouldBlock instead.
# - Messages are served one at a time, in order, by handle(msg) (a method to
#   override, or the `handler` given; plain or async). A call's reply is what
#   handle returned; a cast's result is dropped.
# - An exception in handle() crashes the actor (run() raises it, so a
#   supervisor can restart it); the caller being served gets ActorCrashed.
#   The mailbox outlives a crash: while a supervised actor is down, messages
#   wait for its restart (a call's timeout_ms bounds that wait).
# - stop() is graceful: new messages raise ActorStopped at once, the ones
#   already queued are served, then run() returns and is never restarted.
#   When an actor stops for any other reason, calls still queued get
#   ActorStopped.
# - Not IRQ-safe. Allocates per message (the mailbox entry, a call's reply).
import zsync_mp as zs

from ._util import check_int, is_awaitable

NEW = "new"
RUNNING = "running"
DOWN = "down"
STOPPED = "stopped"


class ActorStopped(Exception):
    """The actor is stopped: it takes no more messages (or stopped before
    it answered yours)."""


class ActorCrashed(Exception):
    """The actor raised `.error` while serving this call."""

    def __init__(self, msg, error):
        super().__init__(msg)
        self.error = error


class _Reply:
    # Where the actor leaves a call's answer.
    def __init__(self):
        self.ev = zs.Event()
        self.val = None
        self.err = None

    def ok(self, v):
        self.val = v
        self.ev.set()

    def fail(self, e):
        if not self.ev.is_set():
            self.err = e
            self.ev.set()


class Actor:
    """Actor(handler=None, capacity=8, name=None): run it with
    `await actor.run()` (or give it to a Supervisor as a child), talk to it
    with `await actor.call(req, timeout_ms=None)`, `await actor.cast(msg)`,
    `actor.try_cast(msg)`; `actor.stop()`. Subclasses override
    `handle(msg)` and `started()` (called at every (re)start). Not IRQ-safe."""

    def __init__(self, handler=None, capacity=8, name=None):
        if handler is not None and not callable(handler):
            raise TypeError("handler must be callable or None, got %r" % (handler,))
        if handler is None and type(self).handle is Actor.handle:
            raise TypeError("Actor needs a handler: pass handler= or override handle() in a subclass")
        self._handler = handler
        self._cap = check_int("capacity", capacity)
        if name is not None and not isinstance(name, str):
            raise TypeError("name must be a str or None, got %r" % (name,))
        self.name = name or type(self).__name__
        self._tx, self._rx = zs.channel(self._cap)
        self._state = NEW
        self._task = None
        self._user_stopped = False
        self._sup = None  # the Supervisor that owns it, if any
        self.served = 0

    @property
    def state(self):
        """NEW, RUNNING, DOWN (crashed, waiting for a restart) or STOPPED."""
        return self._state

    @property
    def stopped(self):
        return self._user_stopped

    def handle(self, msg):
        # Override (plain or async), or pass handler= to the constructor.
        return self._handler(msg)

    def started(self):
        # Override: runs at each (re)start, before the first message.
        return None

    def _closed(self):
        return ActorStopped("actor %r is stopped" % self.name)

    def _check_caller(self, what):
        if self._state == STOPPED or self._tx.closed:
            raise self._closed()
        if self._task is not None and zs.current_task() is self._task:
            raise RuntimeError("actor %r cannot %s itself (it would wait for its own reply)" % (self.name, what))

    async def call(self, req, timeout_ms=None):
        """Send req and wait for handle(req)'s return value. Raises
        ActorStopped, ActorCrashed (handle raised), or zs.TimeoutError after
        timeout_ms (None: no limit; the wait for mailbox room counts). A
        checkpoint."""
        check_int("timeout_ms", timeout_ms, 0, none_ok=True)
        self._check_caller("call")
        r = _Reply()
        deadline = None if timeout_ms is None else zs.ticks_add(zs.ticks_ms(), timeout_ms)
        with zs.CancelScope(deadline) as sc:
            await self._send((req, r))
            await r.ev.wait()
        if sc.cancelled_caught:
            raise zs.TimeoutError("actor %r: call timed out after %d ms" % (self.name, timeout_ms))
        if r.err is not None:
            raise r.err
        return r.val

    async def cast(self, msg):
        """Queue msg, waiting while the mailbox is full. A checkpoint."""
        self._check_caller("cast to")
        await self._send((msg, None))

    async def _send(self, m):
        # Through a clone of the mailbox's Sender: stop() closes the
        # original, so new messages are refused while a send already
        # waiting for room (on its own handle) is still delivered and served.
        try:
            tx = self._tx.clone()
        except zs.ChannelClosed:
            raise self._closed()
        with tx:
            try:
                await tx.send(m)
            except zs.ChannelClosed:
                raise self._closed()

    def try_cast(self, msg):
        """Queue msg now or raise zs.WouldBlock (mailbox full)."""
        self._check_caller("cast to")
        try:
            self._tx.try_send((msg, None))
        except zs.ChannelClosed:
            raise self._closed()

    def stop(self):
        """Stop gracefully: refuse new messages, serve the queued ones, then
        end run() for good. Idempotent."""
        self._user_stopped = True
        if self._task is None:
            self._halt()
        else:
            self._tx.close()  # run() drains the mailbox (and the sends waiting for room), then sees it closed

    def _halt(self):
        # Stopped for good (until run() revives a non-user-stopped actor):
        # refuse new messages, fail the queued calls.
        self._tx.close()
        while True:
            try:
                m = self._rx.try_recv()
            except (zs.WouldBlock, zs.ChannelClosed):
                break
            if m[1] is not None:
                m[1].fail(ActorStopped("actor %r stopped before serving your call" % self.name))
        self._state = STOPPED

    async def run(self):
        """Serve the mailbox until stop() (returns) or handle() raises (the
        error is raised here). Give the actor itself to a Supervisor to have
        it restarted."""
        if self._task is not None:
            raise RuntimeError("actor %r is already running" % self.name)
        if self._user_stopped:
            if self._state != STOPPED:
                self._halt()
            return
        if self._state == STOPPED:  # revived by a (restarted) supervisor
            self._tx, self._rx = zs.channel(self._cap)
        self._task = zs.current_task()
        self._state = RUNNING
        reply = None
        try:
            r = self.started()
            if is_awaitable(r):
                await r
            while True:
                try:
                    msg, reply = await self._rx.recv()
                except zs.ChannelClosed:
                    return
                r = self.handle(msg)
                if is_awaitable(r):
                    r = await r
                self.served += 1
                if reply is not None:
                    reply.ok(r)
                    reply = None
        except Exception as e:
            if reply is not None:
                reply.fail(ActorCrashed("actor %r crashed serving %r: %r" % (self.name, msg, e), e))
            raise
        except BaseException:
            if reply is not None:
                reply.fail(ActorStopped("actor %r was cancelled while serving your call" % self.name))
            raise
        finally:
            self._task = None
            if self._sup is None or self._user_stopped:
                self._halt()
            else:
                self._state = DOWN

    def __repr__(self):
        return "<Actor %s %s>" % (self.name, self._state)
