# One job of one suite, run once: what callgrind.py counts instructions of.
# Usage: micropython bench/cg_job.py SUITE KEY N  (N = 0 gives the baseline)
import sys
import harness as H

suite, key, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
S = __import__("b_" + suite)
for k, runner, fn, _need, _n in S.jobs():
    if k == key:
        H.run_job(runner, fn, n)
        break
else:
    raise SystemExit("no job %r in suite %r" % (key, suite))
