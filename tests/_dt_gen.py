# Hypothesis strategies for the differential-test language (tests/_dt_run.py
# says what the ops mean). CPython only.
#
# Raw programs use tuples and placeholders; finish() turns one into the JSON
# form: children named t1, t2, ... in spawn order, every sent value unique
# (so a receive says which send it got), a cancel's target index resolved to
# a task name (programs with no child cancel nobody).
# Wake times: sleeps and deadlines come from a small set, so ties between
# tasks happen (they are the interesting cases) but not everywhere; programs
# whose result depends on how a tie is broken are recognised by sampling
# Trio's order (tests/_dt_trio.py).
import json

from hypothesis import strategies as st

SLEEPS = [0, 1, 2, 3, 5, 7, 10, 20]
DEADLINES = [0, 1, 2, 4, 6, 9, 15]
# asyncio.timeout(0) is not compared: CPython expires it one loop round later
# (call_soon), zsync_mp.asyncio at the first await under VirtualClock but
# 1 ms later on the real clock (its slack), so no script can pin it down.
AIO_DEADLINES = DEADLINES[1:]


def _leaves(asyncio_subset):
    ch = st.integers(0, 1)
    sleep = st.tuples(st.just("sleep"), st.sampled_from(SLEEPS))
    common = [
        sleep, sleep, sleep,
        st.just(("check",)),
        st.tuples(st.just("cancel"), st.integers(0, 7)),
        st.tuples(st.just("send"), ch), st.tuples(st.just("send"), ch),
        st.tuples(st.just("recv"), ch), st.tuples(st.just("recv"), ch),
        st.tuples(st.just("lock"), st.integers(0, 1), st.sampled_from(SLEEPS)),
        st.tuples(st.just("set"), ch),
        st.tuples(st.just("wait"), ch),
        st.just(("raise",)),
    ]
    if not asyncio_subset:
        common += [
            st.just(("cancel_group",)),
            st.tuples(st.just("close_tx"), ch),
            st.tuples(st.just("close_rx"), ch),
        ]
    return st.one_of(common)


def _kinds(asyncio_subset):
    return ["move", "fail"] if asyncio_subset else ["move", "fail", "none"]


def raw_programs(asyncio_subset=False, max_leaves=14):
    shield = st.just(False) if asyncio_subset else st.booleans()

    def extend(ch):
        body = st.lists(ch, max_size=4)
        return st.one_of(
            st.tuples(st.just("scope"), st.sampled_from(_kinds(asyncio_subset)),
                      st.sampled_from(AIO_DEADLINES if asyncio_subset else DEADLINES), shield, body),
            st.tuples(st.just("group"), st.lists(body, min_size=1, max_size=3), st.lists(ch, max_size=3)),
            st.tuples(st.just("try"), body),
        )

    ops = st.recursive(_leaves(asyncio_subset), extend, max_leaves=max_leaves)
    return st.fixed_dictionaries(
        {"cap": st.lists(st.integers(0, 2), min_size=2, max_size=2), "main": st.lists(ops, min_size=1, max_size=5)}
    )


def programs(asyncio_subset=False):
    """Finished JSON-ready programs."""
    return raw_programs(asyncio_subset).map(finish)


def finish(raw):
    prog = json.loads(json.dumps(raw))  # tuples -> lists, a private copy
    names = []
    count = [0]

    def name_children(ops):
        for op in ops:
            if op[0] == "group":
                kids = []
                for body in op[1]:
                    names.append("t%d" % (len(names) + 1))
                    kids.append([names[-1], body])
                op[1] = kids
                for _, body in kids:
                    name_children(body)
                name_children(op[2])
            elif op[0] == "scope":
                if op[1] == "none":
                    op[3] = False  # a shield always has a deadline: every program ends
                name_children(op[4])
            elif op[0] == "try":
                name_children(op[1])

    def resolve(ops):
        out = []
        for op in ops:
            if op[0] == "cancel":
                if not names:
                    continue
                op = ["cancel", names[op[1] % len(names)]]
            elif op[0] == "send":
                count[0] += 1
                op = ["send", op[1], count[0]]
            elif op[0] == "group":
                op[1] = [[n, resolve(b)] for n, b in op[1]]
                op[2] = resolve(op[2])
            elif op[0] == "scope":
                op[4] = resolve(op[4])
            elif op[0] == "try":
                op[1] = resolve(op[1])
            out.append(op)
        return out

    name_children(prog["main"])
    prog["main"] = resolve(prog["main"])
    return prog


def walk(ops):
    """Every op of a program, depth first (children's bodies included)."""
    for op in ops:
        yield op
        if op[0] == "group":
            for _, body in op[1]:
                for x in walk(body):
                    yield x
            for x in walk(op[2]):
                yield x
        elif op[0] == "scope":
            for x in walk(op[4]):
                yield x
        elif op[0] == "try":
            for x in walk(op[1]):
                yield x
