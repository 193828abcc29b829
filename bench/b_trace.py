# Tracing on vs off: ns per yield_now switch with 100 tasks, zsync_mp.trace
# enabled (a 256-event ring) beside the same run with tracing off. Reports
# nothing where zsync_mp.trace does not exist.
import harness as H
from b_switch import z_switch, TASKS


def traced(n):
    import zsync_mp.trace as tr

    inner = z_switch(TASKS)(n)

    async def main():
        tr.enable(capacity=256)
        try:
            return await inner
        finally:
            tr.disable()

    return main()


def jobs():
    n = H.size(20000)
    return [
        ("trace.off", "zs", z_switch(TASKS), None, n),
        ("trace.on", "zs", traced, "zsync_mp.trace", n),
    ]


def main():
    H.main("trace", jobs)


if __name__ == "__main__":
    main()
