# PNG charts for bench/results/report.md (matplotlib, Agg backend): speed-up
# over asyncio per area, channel throughput, scaling curves (flat = O(1)),
# memory, timer lateness, native instructions per switch. Each chart returns
# its file name, or None when there is nothing to draw. CPython only.
import os

import table as T

COLORS = {"micropython": "#1f77b4", "firmware": "#9467bd", "cpython": "#ff7f0e", "wasm": "#2ca02c"}


def plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as p

    return p


def fmt_x():
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _: "%g×" % v)


def save(fig, out, name):
    fig.tight_layout()
    fig.savefig(os.path.join(out, name), dpi=90)
    plt().close(fig)
    return name


def speedup(rows, out):
    # zsync_mp vs asyncio (peer/ours) per area, one bar per interpreter, with range.
    pick = [r for r in rows if r["peer_label"].startswith("asyncio") and not r["cost"] and r["ratio"]]
    labels = []
    for r in pick:
        if r["what"] not in labels:
            labels.append(r["what"])
    if not labels:
        return None
    p = plt()
    fig, ax = p.subplots(figsize=(10, 0.45 * len(labels) + 1.5))
    h = 0.8 / len(T.INTERPS)
    seen = set()
    for i, interp in enumerate(T.INTERPS):
        for j, what in enumerate(labels):
            r = next((x for x in pick if x["interp"] == interp and x["what"] == what), None)
            if r:
                m, lo, hi = r["ratio"]
                name = T.NAMES[interp]
                ax.barh(j + i * h, m - 1, h, left=1, color=COLORS[interp], xerr=[[m - lo], [hi - m]],
                        label=None if name in seen else name)
                seen.add(name)
    ax.axvline(1.0, color="k", lw=1)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(fmt_x())
    ax.set_yticks([j + h for j in range(len(labels))])
    ax.set_yticklabels(labels, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlabel("asyncio time / zsync_mp time (> 1: zsync_mp faster; log scale)")
    ax.legend(fontsize=8)
    return save(fig, out, "speedup.png")


def scaling(curves, out):
    if not curves:
        return None
    p = plt()
    fig, axes = p.subplots(1, 2, figsize=(11, 4))
    for ax, op, title in ((axes[0], "switch", "ns per switch"), (axes[1], "timer", "ns per timer insert+cancel")):
        for (interp, o, lib), pts in sorted(curves.items()):
            if o != op:
                continue
            xs = [c for c, _ in pts]
            ys = [s["median"] for _, s in pts]
            lo = [s["median"] - s["min"] for _, s in pts]
            hi = [s["max"] - s["median"] for _, s in pts]
            ax.errorbar(xs, ys, yerr=[lo, hi], marker="o", color=COLORS[interp], capsize=3,
                        ls="-" if lib == "zs" else "--", label="%s %s" % (T.NAMES[interp], "zsync_mp" if lib == "zs" else "asyncio"))
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("tasks")
        ax.set_title(title + " (flat = O(1))")
        ax.legend(fontsize=7)
    return save(fig, out, "scaling.png")


def grouped(rows, out, name, area, ylabel, keep=None, log=False):
    # One panel per interpreter: zsync_mp beside each peer for every figure of an area.
    pick = [r for r in rows if r["area"] == area and r["peer"] and (keep is None or keep(r))]
    interps = [i for i in T.INTERPS if any(r["interp"] == i for r in pick)]
    if not interps:
        return None
    p = plt()
    fig, axes = p.subplots(1, len(interps), figsize=(5.5 * len(interps), 4), squeeze=False)
    for ax, interp in zip(axes[0], interps):
        mine = [r for r in pick if r["interp"] == interp]
        whats = []
        for r in mine:
            if r["what"] not in whats:
                whats.append(r["what"])
        for j, what in enumerate(whats):
            rs = [r for r in mine if r["what"] == what]
            bars = [("zsync_mp", rs[0]["ours"])] + [(r["peer_label"], r["peer"]) for r in rs]
            w = 0.8 / len(bars)
            for k, (label, s) in enumerate(bars):
                ax.bar(j + k * w, s["median"], w, yerr=[[s["median"] - s["min"]], [s["max"] - s["median"]]],
                       color=("C%d" % k), label=label.split("(")[0].strip() if j == 0 else None, capsize=2)
        ax.set_xticks([j + 0.4 for j in range(len(whats))])
        ax.set_xticklabels([w.split(" (")[0] for w in whats], rotation=30, ha="right", fontsize=7)
        ax.set_title(T.NAMES[interp], fontsize=9)
        if log:
            ax.set_yscale("log")
        ax.set_ylabel(ylabel + (" (log scale)" if log else ""))
        ax.legend(fontsize=6)
    return save(fig, out, name)


def timers(R, out):
    cells = [(i, lib) for i in T.INTERPS for lib in ("zs", "asyncio") if T.get(R, i, "timer.%s.p50" % lib)]
    if not cells:
        return None
    p = plt()
    fig, ax = p.subplots(figsize=(8, 3.5))
    for k, stat in enumerate(("p50", "p99", "max")):
        ys = [T.get(R, i, "timer.%s.%s" % (lib, stat))["median"] / 1000.0 for i, lib in cells]
        ax.bar([j + k * 0.27 for j in range(len(cells))], ys, 0.27, label="late " + stat)
    ax.set_xticks([j + 0.27 for j in range(len(cells))])
    early = [sum(T.get(R, i, "timer.%s.early" % lib)["samples"]) for i, lib in cells]
    ax.set_xticklabels(["%s\n%s\nearly: %d" % (T.NAMES[i], "zsync_mp" if lib == "zs" else "asyncio", e)
                        for (i, lib), e in zip(cells, early)], fontsize=7)
    ax.set_ylabel("ms late (1000 timers)")
    ax.legend(fontsize=8)
    return save(fig, out, "timers.png")


def native(nrows, out):
    rs = [r for r in nrows if r["insns"] is not None]
    if not rs:
        return None
    p = plt()
    fig, ax = p.subplots(figsize=(8, 3.5))
    xs = range(len(rs))
    ax.bar([x - 0.2 for x in xs], [r["insns"] for r in rs], 0.4, label="zsync_mp switch")
    ax.bar([x + 0.2 for x in xs], [r["minimum"] or 0 for r in rs], 0.4, label="minimum seen (PLATFORM-NOTES)")
    ax.set_xticks(list(xs))
    ax.set_xticklabels([r["target"] for r in rs], rotation=30, ha="right", fontsize=7)
    ax.set_ylabel("instructions per switch")
    ax.legend(fontsize=8)
    return save(fig, out, "native.png")


def draw(R, rows, curves, nrows, out):
    # {chart name: file or None}
    try:
        plt()
    except ImportError:
        return {}
    return {
        "speedup": speedup(rows, out),
        "channels": grouped([r for r in rows if r["what"] != "channel(16) send+recv pair vs one switch"], out,
                            "channels.png", "chan", "ns per message", log=True),
        "switch": grouped(rows, out, "switch.png", "switch", "ns per switch",
                        keep=lambda r: r["what"].startswith("task switch, 100")),
        "memory": grouped(rows, out, "memory.png", "mem", "bytes"),
        "scaling": scaling(curves, out),
        "timers": timers(R, out),
        "native": native(nrows, out),
    }
