# The soak's free-memory series as a CSV and a chart (PNG when matplotlib is
# installed, as `make setup` does; otherwise the CSV alone).
import csv
import os


def write(series, out_dir, label, baseline, final, leak_limit):
    """Write soak-<label>.csv (and .png); return the paths written."""
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.join(out_dir, "soak-" + label)
    with open(base + ".csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["seconds", "mem_free_bytes"])
        for ms, free in series:
            w.writerow(["%.3f" % (ms / 1000.0), free])
    paths = [base + ".csv"]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return paths
    fig, ax = plt.subplots(figsize=(8, 3.5))
    ax.plot([ms / 60000.0 for ms, _ in series], [free / 1024.0 for _, free in series], lw=1.2,
            label="gc.mem_free() after gc.collect()")
    ax.axhline(baseline / 1024.0, color="grey", ls="--", lw=1, label="baseline: idle, after a warm-up run")
    end = series[-1][0] / 60000.0 if series else 0
    ax.plot([end], [final / 1024.0], "o", color="black", label="idle again after the soak (leak check)")
    ax.axhline((baseline - leak_limit) / 1024.0, color="red", ls=":", lw=1, label="leak limit for that point")
    ax.set_xlabel("minutes")
    ax.set_ylabel("free heap (KiB)")
    ax.set_title("zsync_mp soak on %s: free memory over time" % label)
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    fig.savefig(base + ".png", dpi=100)
    plt.close(fig)
    return paths + [base + ".png"]
