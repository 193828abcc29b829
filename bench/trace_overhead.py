# Tracing cost: yield_now switch rate with 100 tasks, zsync_mp.trace off vs
# on (256-event ring), interleaved in one process (bench/b_trace.py's jobs).
# Prints switches/s and the ratio to "off", then the usual BENCH line.
# No timed asserts: the figures are the product. From bench/:
#   PYTHONPATH=..:. ../.venv/bin/python trace_overhead.py [--quick]
#   MICROPYPATH=..:. ../.venv/bin/micropython trace_overhead.py [--quick]
import harness as H
from b_switch import TASKS
from b_trace import jobs


def main():
    figures = H.measure(jobs())
    med = {}
    for k, v in figures.items():
        s = sorted(v)
        med[k] = s[len(s) // 2]
    off = med.get("trace.off")
    print("tracing cost on %s (yield_now, %d tasks, median of %d):" % (H.IMPL, TASKS, H.REPS))
    for k in ("trace.off", "trace.on"):
        if med.get(k):
            print("  %-10s %6d ns/switch %10d switches/s  %5.2fx the time of off" % (k, med[k], 1e9 / med[k], med[k] / off))
    H.emit("trace_overhead", figures)


if __name__ == "__main__":
    main()
