# Shrink a differential-test program (tests/_dt_run.py) that still fails a
# predicate: greedy one-edit-at-a-time (drop an op, splice a scope/try/group
# body into its place, drop a child, lower a number), until no edit keeps
# it failing. Used to turn a generated counterexample into a regression
# script (tests/diff_*.py); hypothesis's own shrinking does the same inside
# the tests, for one failure at a time.
#
#   python tests/_dt_shrink.py bad.json [trio|asyncio]   (a list of programs;
#   prints each one shrunk, with the zsync_mp and oracle results)
import json
import sys


def _edits(ops):
    # Every program body one edit away from `ops` (smaller first).
    for i, op in enumerate(ops):
        rest = ops[:i] + ops[i + 1:]
        yield rest
        k = op[0]
        if k == "scope":
            yield ops[:i] + op[4] + ops[i + 1:]
            for b in _edits(op[4]):
                yield ops[:i] + [op[:4] + [b]] + ops[i + 1:]
            if op[3]:
                yield ops[:i] + [op[:3] + [False, op[4]]] + ops[i + 1:]
            for d in range(op[2]):
                yield ops[:i] + [op[:2] + [d] + op[3:]] + ops[i + 1:]
        elif k == "try":
            yield ops[:i] + op[1] + ops[i + 1:]
            for b in _edits(op[1]):
                yield ops[:i] + [["try", b]] + ops[i + 1:]
        elif k == "group":
            yield ops[:i] + op[2] + ops[i + 1:]
            for j in range(len(op[1])):
                kids = op[1][:j] + op[1][j + 1:]
                yield ops[:i] + [["group", kids, op[2]]] + ops[i + 1:]
                name, body = op[1][j]
                for b in _edits(body):
                    kids = op[1][:j] + [[name, b]] + op[1][j + 1:]
                    yield ops[:i] + [["group", kids, op[2]]] + ops[i + 1:]
            for b in _edits(op[2]):
                yield ops[:i] + [["group", op[1], b]] + ops[i + 1:]
        elif k == "sleep" or k == "lock":
            n = op[-1]
            for d in sorted(set([0, 1, n // 2, n - 1])):
                if 0 <= d < n:
                    yield ops[:i] + [op[:-1] + [d]] + ops[i + 1:]


def shrink(prog, fails, budget=3000):
    """The smallest program reached from `prog` for which fails(p) holds."""
    best = json.loads(json.dumps(prog))
    tries = 0
    progress = True
    while progress and tries < budget:
        progress = False
        for body in _edits(best["main"]):
            tries += 1
            cand = dict(best, main=body)
            if fails(cand):
                best = cand
                progress = True
                break
    for c in range(len(best.get("cap", []))):
        while best["cap"][c] > 0:
            cand = json.loads(json.dumps(best))
            cand["cap"][c] -= 1
            if not fails(cand):
                break
            best = cand
    return best


def main():
    import _dt_zs

    oracle = sys.argv[2] if len(sys.argv) > 2 else "trio"
    if oracle == "trio":
        import _dt_trio

        def truth(p):
            return _dt_trio.run_orders(p, range(64))

        def mine(p):
            return json.dumps(_dt_zs.run(p), sort_keys=True)
    else:
        import _dt_aio

        import _dt_vloop

        truth = _dt_vloop.cpython_orders

        def mine(p):
            return json.dumps(_dt_aio.run_zs(p), sort_keys=True)

    def fails(p):
        return mine(p) not in truth(p)

    for item in json.load(open(sys.argv[1])):
        p = item[0] if isinstance(item, list) else item
        s = shrink(p, fails)
        print(json.dumps(s))
        print("  zsync_mp:", mine(s))
        for t in truth(s):
            print("  oracle:  ", t)


if __name__ == "__main__":
    main()
