"""SVG for `zsync-mp trace`: a task timeline above a CPU flame graph.

Written directly (no dependency): plain SVG 1.1 with <title> tooltips, so any
browser shows it and hovering a slice says what it is. Host-only.
"""
import colorsys
from xml.sax.saxutils import escape

W = 1200  # drawing width
LEFT = 190  # task-name column
ROW = 22
FRAME = 18
FONT0 = "font-family='DejaVu Sans Mono,Menlo,Consolas,monospace'"
FONT = FONT0 + " font-size='11'"
MARKS = {  # kind -> (colour, shape, meaning)
    "spawn": ("#2e7d32", "tri", "spawned"),
    "cancel": ("#c62828", "bar", "cancel()"),
    "timeout": ("#ef6c00", "bar", "deadline passed"),
    "overrun": ("#ad1457", "dia", "ran over budget"),
    "exit": ("#212121", "x", "exit"),
    "mark": ("#6a1b9a", "bar", "trace.mark()"),
}


def _colour(name, warm=False):
    # A stable colour per name, as #rrggbb (every SVG renderer reads it).
    h = 0
    for c in name:
        h = (h * 31 + ord(c)) & 0xFFFFFF
    if warm:
        rgb = colorsys.hls_to_rgb((10 + h % 45) / 360.0, (55 + (h >> 8) % 15) / 100.0, 0.8)
    else:
        rgb = colorsys.hls_to_rgb((h % 360) / 360.0, (45 + (h >> 8) % 12) / 100.0, 0.6)
    return "#%02x%02x%02x" % tuple(int(c * 255) for c in rgb)


def _fit(text, px):
    n = int(px // 6.6)
    if n < 3:
        return ""
    return text if len(text) <= n else text[:n - 1] + "…"


def _step(span_us):
    # A tick step of 1, 2 or 5 × 10^k µs giving about 10 ticks.
    s = 1
    while span_us / s > 12:
        for m in (2, 5, 10):
            if span_us / (s * m) <= 12:
                return s * m
        s *= 10
    return s


def _ms(us):
    return ("%.3f" % (us / 1000.0)).rstrip("0").rstrip(".") + " ms"


def timeline(tr, y0):
    """SVG elements for the timeline starting at y0; returns (parts, height)."""
    order = tr.order()
    rows = {tid: i for i, (tid, _) in enumerate(order)}
    t0, t1 = tr.start(), tr.end()
    span = max(1, t1 - t0)
    pw = W - LEFT - 20

    def X(x):
        return LEFT + (x - t0) * pw / span

    out = []
    top = y0 + 24
    h = len(order) * ROW
    out.append("<text x='10' y='%d' %s font-weight='bold'>Timeline (%s clock): CPU slices per task; thin bars: parked (what on) or sleeping</text>" % (y0 + 12, FONT, tr.clock))
    step = _step(span)
    k = (t0 // step) * step
    while k <= t1:
        if k >= t0:
            x = X(k)
            out.append("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#e0e0e0'/>" % (x, top, x, top + h))
            out.append("<text x='%.1f' y='%d' %s text-anchor='middle' fill='#555'>%s</text>" % (x, top + h + 14, FONT, _ms(k - t0)))
        k += step
    for tid, depth in order:
        y = top + rows[tid] * ROW
        if rows[tid] % 2:
            out.append("<rect x='0' y='%d' width='%d' height='%d' fill='#f7f7f7'/>" % (y, W, ROW))
        name = tr.tasks[tid][0]
        out.append("<text x='%d' y='%d' %s>%s</text>" % (8 + 12 * depth, y + 15, FONT, escape(_fit(name, LEFT - 12 - 12 * depth))))
    for tid, x0, x1, kind, label in tr.waits:
        y = top + rows[tid] * ROW
        a, b = X(x0), X(x1)
        fill = "#90caf9" if kind == "park" else "#cfd8dc"
        what = "parked on %s" % label if kind == "park" else "sleeping"
        out.append("<rect x='%.1f' y='%d' width='%.1f' height='6' fill='%s'><title>%s: %s for %s</title></rect>" % (
            a, y + 8, max(0.5, b - a), fill, escape(tr.tasks[tid][0]), escape(what), _ms(x1 - x0)))
        if kind == "park" and b - a > 40:
            out.append("<text x='%.1f' y='%d' %s fill='#0d47a1'>%s</text>" % (a + 2, y + 20, FONT0 + " font-size='9'", escape(_fit(label, b - a - 4))))
    for tid, x0, x1, cpu, then in tr.runs:
        y = top + rows[tid] * ROW
        a, b = X(x0), X(x1)
        out.append("<rect x='%.1f' y='%d' width='%.1f' height='14' fill='%s'><title>%s ran %d us at %s, then %s</title></rect>" % (
            a, y + 4, max(1.0, b - a), _colour(tr.tasks[tid][0]), escape(tr.tasks[tid][0]), cpu, _ms(x0 - t0), escape(then)))
    for tid, x, kind, arg in tr.marks:
        if kind not in MARKS:
            continue
        colour, shape, meaning = MARKS[kind]
        if kind == "exit" and arg.startswith(("raised", "cancelled")):
            colour = "#c62828" if arg.startswith("raised") else "#757575"
        y = top + rows[tid] * ROW
        x = X(x)
        tip = "<title>%s: %s%s</title>" % (escape(tr.tasks[tid][0]), meaning, escape(" " + arg if arg else ""))
        if kind == "mark" and arg:
            out.append("<text x='%.1f' y='%d' %s fill='%s'>%s</text>" % (x + 3, y + 8, FONT0 + " font-size='8'", colour, escape(arg[:24])))
        if shape == "tri":
            out.append("<path d='M%.1f %d l5 9 h-10 z' fill='%s'>%s</path>" % (x, y + 4, colour, tip))
        elif shape == "bar":
            out.append("<rect x='%.1f' y='%d' width='3' height='%d' fill='%s'>%s</rect>" % (x - 1.5, y + 1, ROW - 2, colour, tip))
        elif shape == "dia":
            out.append("<path d='M%.1f %d l5 7 l-5 7 l-5 -7 z' fill='%s'>%s</path>" % (x, y + 4, colour, tip))
        else:
            out.append("<path d='M%.1f %d l8 8 m0 -8 l-8 8' stroke='%s' stroke-width='2'>%s</path>" % (x - 4, y + 7, colour, tip))
    ly = top + h + 30
    x = 10
    legend = [("#90caf9", "parked"), ("#cfd8dc", "sleeping")] + [(c, m) for c, _, m in MARKS.values()] + [("#c62828", "raised (exit)")]
    for colour, meaning in legend:
        out.append("<rect x='%d' y='%d' width='10' height='10' fill='%s'/><text x='%d' y='%d' %s>%s</text>" % (x, ly, colour, x + 14, ly + 9, FONT, meaning))
        x += 30 + 7 * len(meaning)
    return out, ly + 20 - y0


def _tree(folded):
    root = {"name": "all", "value": 0, "kids": {}}
    for line in folded:
        stack, _, v = line.rpartition(" ")
        v = int(v)
        node = root
        root["value"] += v
        for f in stack.split(";"):
            node = node["kids"].setdefault(f, {"name": f, "value": 0, "kids": {}})
            node["value"] += v
    return root


def _depth(n):
    return 1 + max([_depth(k) for k in n["kids"].values()] or [0])


def flame(folded, y0):
    """SVG elements for a flame graph (root at the bottom) from folded stacks."""
    root = _tree(folded)
    total = max(1, root["value"])
    d = _depth(root)
    out = ["<text x='10' y='%d' %s font-weight='bold'>CPU flame graph: task tree, then what each run ended in (%d us in all)</text>" % (y0 + 12, FONT, total)]
    base = y0 + 24 + d * FRAME
    pw = W - 20

    def draw(n, x, level):
        w = n["value"] * pw / total
        y = base - (level + 1) * FRAME
        pct = 100.0 * n["value"] / total
        out.append("<g><title>%s: %d us (%.1f%%)</title><rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s' stroke='#fff' stroke-width='0.5'/>" % (
            escape(n["name"]), n["value"], pct, x, y, max(0.5, w), FRAME - 1, _colour(n["name"], True)))
        out.append("<text x='%.1f' y='%d' %s>%s</text></g>" % (x + 3, y + 13, FONT, escape(_fit(n["name"], w - 6))))
        for k in sorted(n["kids"].values(), key=lambda k: k["name"]):
            draw(k, x, level + 1)
            x += k["value"] * pw / total

    draw(root, 10, 0)
    return out, base - y0 + 10


def render(tr, folded_lines, title="trace"):
    """The whole SVG document: timeline, then flame graph."""
    parts, h1 = timeline(tr, 30)
    fparts, h2 = flame(folded_lines, 30 + h1 + 10)
    height = 30 + h1 + 10 + h2
    head = ("<?xml version='1.0' encoding='UTF-8'?>\n<svg xmlns='http://www.w3.org/2000/svg' width='%d' height='%d' viewBox='0 0 %d %d'>"
            "<rect width='100%%' height='100%%' fill='white'/><text x='10' y='18' %s font-weight='bold'>zsync-mp trace: %s — %d tasks, %d events</text>") % (
        W, height, W, height, FONT0 + " font-size='14'", escape(title), len(tr.tasks), len(tr.events))
    return head + "\n".join(parts + fparts) + "</svg>\n"
