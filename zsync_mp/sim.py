# zsync_mp.sim: deterministic simulation testing (FoundationDB/TigerBeetle
# style). A run is fixed by (program, virtual clock, seed): among tasks ready
# at the same instant, the order comes from a seeded PRNG that gives the same
# sequence on CPython and MicroPython, so a failing seed replays exactly on
# either interpreter with `ZSYNC_SEED=<seed> <the same command>`.
# Not for use on a device's hot path (the shuffle allocates a little).
import zsync_mp as zs


def run(main, seed=None, start=0, period=1 << 30):
    """Run `main` (a coroutine) under a fresh VirtualClock with `seed`."""
    return zs.run(main, clock=zs.VirtualClock(start, period), seed=seed)


def explore(factory, seeds, start=0, period=1 << 30):
    """Run factory() once per seed; on the first failure print the seed and
    how to replay it, then re-raise. Returns the list of results."""
    out = []
    for s in seeds:
        try:
            out.append(run(factory(), s, start, period))
        except BaseException as e:  # noqa: B902 (re-raised after the report)
            print("zsync_mp.sim: seed %d failed with %s: replay with ZSYNC_SEED=%d" % (s, type(e).__name__, s))
            raise
    return out
