"""`zsync-mp trace` and `zsync-mp dump`: read what zsync_mp.trace captured.

    python -m zsync_mp_host.tracetool trace FILE -o out.svg [--perfetto out.json] [--folded out.txt]
    python -m zsync_mp_host.tracetool dump --port P [--stop] [--timeout S]

FILE is the text `zsync_mp.trace.save()` writes (or a console log holding
its `=== zsync-mp trace begin/end ===` block). `-o` writes one SVG (open it
in a browser): a timeline, one row per task in TaskGroup order (CPU slices,
waits with what they wait on, spawns, cancels, timeouts, exits, overruns),
above a flame graph of CPU time by task tree and by what each slice ended
in (its park site). `--perfetto` writes Chrome/Perfetto trace-event JSON
(ui.perfetto.dev), `--folded` folded stacks (flamegraph.pl, speedscope).
Under a virtual clock the timeline runs on the loop's (virtual) ms, each ms
widened by the real µs spent in it (capped at 999 µs), so sleeps keep their
length; CPU figures are always real µs.

`dump` asks a running app for zs.dump() over its serial port: the app runs
`zsync_mp.trace.serve_dump()` as a task, which prints the dump when the
request byte arrives on stdin (the app keeps running). `--stop` instead
interrupts the app (Ctrl-C through mpremote, no soft reset) and prints the
dump of its loop as it was stopped (tracing must have been on).
Errors raise TraceError with a message naming the problem.
"""
import argparse
import json
import os
import subprocess
import sys
import time

from zsync_mp_host import _portname
from zsync_mp_host import _tracesvg as svg
from zsync_mp.trace import KINDS

BEGIN = "=== zsync-mp trace begin ==="
END = "=== zsync-mp trace end ==="
DUMP_BEGIN = "=== zsync-mp dump begin ==="
DUMP_END = "=== zsync-mp dump end ==="
DUMP_KEY = b"\x1c"  # what serve_dump() waits for (Ctrl-\ on a terminal)


class TraceError(Exception):
    """A trace file (status 2) or a board (status 1) that cannot be read; says why."""

    def __init__(self, msg, status=2):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


class Trace:
    """A parsed trace: tasks {tid: (name, parent, owner)}, events
    [(x_us, real_us, ms, kind, tid, arg)], slices per task."""

    def __init__(self, clock, tasks, events):
        self.clock = clock
        self.tasks = tasks
        self.events = events
        self.runs = []  # (tid, x0, x1, cpu_us, then)
        self.waits = []  # (tid, x0, x1, kind, label)
        self.marks = []  # (tid, x, kind, arg)
        self._slices()

    def _slices(self):
        cur = {}
        parked = {}
        for x, us, ms, kind, tid, arg in self.events:
            if kind == "run":
                cur[tid] = (x, us)
                w = parked.pop(tid, None)
                if w is not None:
                    self.waits.append((tid, w[0], x, w[1], w[2]))
            elif kind in ("yield", "park", "sleep", "exit"):
                r = cur.pop(tid, None)
                if r is not None:
                    then = kind if not arg else "%s %s" % (kind, arg)
                    if kind == "sleep":
                        then = "sleep %s ms" % arg
                    self.runs.append((tid, r[0], x, max(0, us - r[1]), then))
                if kind in ("park", "sleep"):
                    parked[tid] = (x, kind, arg)
                if kind == "exit":
                    self.marks.append((tid, x, "exit", arg))
            else:
                self.marks.append((tid, x, kind, arg))
        end = self.end()
        for tid, w in parked.items():
            self.waits.append((tid, w[0], end, w[1], w[2]))

    def start(self):
        return self.events[0][0] if self.events else 0

    def end(self):
        return self.events[-1][0] if self.events else 0

    def path(self, tid):
        """Task names from the root of the tree down to tid."""
        out = []
        seen = set()
        while tid is not None and tid in self.tasks and tid not in seen:
            seen.add(tid)
            name, parent, owner = self.tasks[tid]
            out.append(name)
            tid = owner if owner is not None else parent
        return out[::-1]

    def order(self):
        """(tid, depth) in tree order: children under their group owner."""
        kids = {}
        roots = []
        for tid, (name, parent, owner) in sorted(self.tasks.items()):
            p = owner if owner is not None else parent
            (kids.setdefault(p, []) if p in self.tasks else roots).append(tid)
        out = []

        def walk(t, d):
            out.append((t, d))
            for k in kids.get(t, ()):
                walk(k, d + 1)

        for r in roots:
            walk(r, 0)
        return out


def _block(text):
    lines = text.replace("\r", "").split("\n")
    if BEGIN in lines:
        i = lines.index(BEGIN)
        if END not in lines[i:]:
            raise TraceError("the trace block has no %r line (capture cut short?)" % END)
        lines = lines[i + 1:lines.index(END, i)]
    return [ln for ln in lines if ln.strip()]


def parse(text):
    """Parse the text zsync_mp.trace.save() wrote; returns a Trace. A trace
    cut short (no `end` line, fewer events than its header says) or holding a
    line this format does not have is refused with one line naming it."""
    lines = _block(text)
    if not lines or lines[0].strip() != "zsync-mp-trace 1":
        raise TraceError("not a zsync-mp trace: the first line must be 'zsync-mp-trace 1' (write it with zsync_mp.trace.save())")
    clock = "real"
    period = 1 << 30
    tasks = {}
    raw = []
    counts = None  # (recorded, kept) from the header
    ended = False
    for n, ln in enumerate(lines[1:], 2):
        f = ln.split(" ")
        if ended:
            raise TraceError("line %d of the trace follows its 'end' line: %r" % (n, ln[:80]))
        try:
            if f[0] == "clock" and f[1] in ("real", "virtual"):
                clock = f[1]
            elif f[0] == "ticks_us_period" and int(f[1]) > 0:
                period = int(f[1])
            elif f[0] == "events" and f[2] == "kept":
                counts = (int(f[1]), int(f[3]))
            elif f[0] == "task":
                tasks[int(f[1])] = (" ".join(f[4:]), None if f[2] == "-" else int(f[2]), None if f[3] == "-" else int(f[3]))
            elif f[0] == "ev" and f[3] in KINDS:
                raw.append((int(f[1]), int(f[2]), f[3], int(f[4]), " ".join(f[5:])))
            elif ln.strip() == "end":
                ended = True
            else:
                raise ValueError(ln)
        except (IndexError, ValueError):
            raise TraceError("line %d of the trace is malformed: %r" % (n, ln[:80]))
    if not ended:
        raise TraceError("the trace is truncated: it stops at line %d without its 'end' line (copy it whole)"
                         % len(lines))
    if counts is not None and counts[1] != len(raw):
        raise TraceError("the trace is truncated or damaged: its header says %d events kept, it holds %d"
                         % (counts[1], len(raw)))
    for r in raw:
        if r[3] not in tasks:
            raise TraceError("event for unknown task %d: %r" % (r[3], r))
    names = [t[0] for t in tasks.values()]
    for tid, (name, parent, owner) in list(tasks.items()):
        if names.count(name) > 1:  # restarts: tell the rows apart
            tasks[tid] = ("%s #%d" % (name, tid), parent, owner)
    tr = Trace(clock, tasks, _timeline(raw, clock, period))
    tr.recorded = counts[0] if counts else len(raw)
    return tr


def _timeline(raw, clock, period):
    # Unwrap ticks_us, then place each event on the x axis (µs).
    out = []
    off = 0
    prev = None
    base_ms = base_us = None
    last_x = 0
    for us, ms, kind, tid, arg in raw:
        if prev is not None and us + off < prev - period // 2:
            off += period
        us += off
        prev = us
        if clock == "virtual":
            if base_ms is None:
                base_ms0 = ms
            if ms != base_ms:
                base_ms, base_us = ms, us
            x = (ms - base_ms0) * 1000 + min(999, us - base_us)
        else:
            if base_us is None:
                base_us = us
            x = us - base_us
        last_x = x = max(x, last_x)
        out.append((x, us, ms, kind, tid, arg))
    return out


def folded(tr, waits=False):
    """Folded stacks: `root;...;task;then <site> <µs>` per line. CPU µs by
    default; waits=True gives the time parked instead (off-CPU)."""
    acc = {}
    if waits:
        for tid, x0, x1, kind, label in tr.waits:
            k = ";".join(tr.path(tid) + ["%s %s" % (kind, label) if kind == "park" else "sleep"])
            acc[k] = acc.get(k, 0) + (x1 - x0)
    else:
        for tid, x0, x1, cpu, then in tr.runs:
            k = ";".join(tr.path(tid) + ["-> " + then.replace(";", ",")])
            acc[k] = acc.get(k, 0) + cpu
    return ["%s %d" % (k, v) for k, v in sorted(acc.items()) if v > 0]


def perfetto(tr):
    """Chrome/Perfetto trace-event JSON (a dict; json.dump it)."""
    ev = [{"ph": "M", "pid": 1, "name": "process_name", "args": {"name": "zsync-mp (%s clock)" % tr.clock}}]
    for i, (tid, depth) in enumerate(tr.order()):
        ev.append({"ph": "M", "pid": 1, "tid": tid, "name": "thread_name", "args": {"name": "  " * depth + tr.tasks[tid][0]}})
        ev.append({"ph": "M", "pid": 1, "tid": tid, "name": "thread_sort_index", "args": {"sort_index": i}})
    for tid, x0, x1, cpu, then in tr.runs:
        ev.append({"ph": "X", "pid": 1, "tid": tid, "ts": x0, "dur": max(1, x1 - x0), "name": "run", "cat": "cpu",
                   "args": {"cpu_us": cpu, "then": then}})
    for tid, x0, x1, kind, label in tr.waits:
        name = "wait: %s" % label if kind == "park" else "sleep"
        ev.append({"ph": "X", "pid": 1, "tid": tid, "ts": x0, "dur": max(1, x1 - x0), "name": name, "cat": "wait"})
    for tid, x, kind, arg in tr.marks:
        if kind in ("wake", "spawn") and not arg:
            continue
        ev.append({"ph": "i", "s": "t", "pid": 1, "tid": tid, "ts": x, "name": "%s %s" % (kind, arg) if arg else kind, "cat": kind})
    return {"traceEvents": ev, "displayTimeUnit": "ms"}


def cmd_trace(args):
    """`zsync-mp trace FILE -o out.svg [--perfetto F] [--folded F]`."""
    try:
        with open(args.file, "rb") as f:
            data = f.read()
    except OSError as e:
        raise TraceError("cannot read %s: %s" % (args.file, e.strerror))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise TraceError("%s is not a zsync-mp trace: not text (byte 0x%02x at offset %d)" % (
            args.file, data[e.start], e.start))
    try:
        tr = parse(text)
    except TraceError as e:
        raise TraceError("%s: %s" % (args.file, e))
    if not tr.events:
        raise TraceError("%s holds no events (was tracing on while the app ran?)" % args.file)
    if not (args.output or args.perfetto or args.folded):
        raise TraceError("nothing to write: give -o out.svg, --perfetto out.json or --folded out.txt")
    if args.output:
        with open(args.output, "w") as f:
            f.write(svg.render(tr, folded(tr), title=os.path.basename(args.file)))
    if args.perfetto:
        with open(args.perfetto, "w") as f:
            json.dump(perfetto(tr), f)
    if args.folded:
        with open(args.folded, "w") as f:
            f.write("\n".join(folded(tr, args.waits)) + "\n")
    cpu = sum(r[3] for r in tr.runs)
    if tr.recorded > len(tr.events):
        print("zsync-mp trace: the ring buffer kept the last %d of %d events: the picture starts mid-run "
              "(a larger zsync_mp.trace.enable(capacity) keeps more)" % (len(tr.events), tr.recorded))
    print("zsync-mp trace: %d events, %d tasks, %d run slices (%d us CPU) -> %s" % (
        len(tr.events), len(tr.tasks), len(tr.runs), cpu, ", ".join(p for p in (args.output, args.perfetto, args.folded) if p)))
    return 0


def add_trace_args(p):
    p.add_argument("file", help="trace text written by zsync_mp.trace.save() (or a console log holding it)")
    p.add_argument("-o", "--output", help="SVG to write: timeline + flame graph")
    p.add_argument("--perfetto", help="Chrome/Perfetto trace-event JSON to write (ui.perfetto.dev)")
    p.add_argument("--folded", help="folded stacks to write (CPU µs; --waits: time parked)")
    p.add_argument("--waits", action="store_true", help="folded stacks of time parked instead of CPU")


def dump_live(port, timeout=5.0, key=DUMP_KEY):
    """Ask the app's serve_dump() task for a dump over the serial port;
    returns the dump text. The app keeps running."""
    import serial

    try:
        s = serial.Serial(port, 115200, timeout=0.1)
    except (serial.SerialException, OSError) as e:
        raise TraceError("cannot open %s: %s" % (port, e), 1)
    try:
        s.reset_input_buffer()
        s.write(key)
        s.flush()
        buf = b""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            buf += s.read(4096)
            text = buf.decode("utf-8", "replace").replace("\r", "")
            if DUMP_END in text and DUMP_BEGIN in text:
                return text[text.rindex(DUMP_BEGIN) + len(DUMP_BEGIN):text.rindex(DUMP_END)].strip("\n") + "\n"
        raise TraceError("no dump from %s within %g s: is the app running zsync_mp.trace.serve_dump() as a task? "
                         "(or use --stop to interrupt it and dump)" % (port, timeout), 1)
    finally:
        s.close()


def dump_stopped(port, timeout=10.0, mpremote=None):
    """Interrupt the app through mpremote (no soft reset) and dump its loop."""
    # mpremote is a dependency: its module runs wherever zsync-mp does, activated or not.
    mp = [mpremote] if mpremote else [sys.executable, "-m", "mpremote"]
    code = "import zsync_mp.trace as T\nT.dump()\n"
    try:  # --timeout bounds the whole dump, mpremote's connect included
        p = subprocess.run(mp + ["connect", port, "resume", "exec", code], capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise TraceError("no dump from %s within %g s (mpremote stopped): is a board there?" % (port, timeout), 1)
    except OSError as e:
        raise TraceError("mpremote failed on %s: %s" % (port, e), 1)
    out = p.stdout.decode("utf-8", "replace").replace("\r", "")
    if p.returncode:
        raise TraceError("dump on %s failed: %s" % (port, (out + p.stderr.decode("utf-8", "replace")).strip()[-400:]), 1)
    return out


def cmd_dump(args):
    """`zsync-mp dump --port P [--stop]`."""
    port = _portname.resolve(args.port, TraceError)
    text = dump_stopped(port, args.timeout) if args.stop else dump_live(port, args.timeout)
    sys.stdout.write(text)
    return 0


def add_dump_args(p):
    p.add_argument("-p", "--port", help="serial device or virtual board pty; auto (the default), u0, a0, c0, "
                   "id:SERIAL as for mpremote")
    p.add_argument("--stop", action="store_true", help="interrupt the app (Ctrl-C) and dump its stopped loop")
    p.add_argument("--timeout", type=float, default=5.0, help="seconds to wait for the dump")


def main(argv=None):
    p = argparse.ArgumentParser(prog="tracetool", description="zsync-mp traces and task dumps")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("trace", help="a captured trace to SVG / Perfetto JSON / folded stacks")
    add_trace_args(t)
    t.set_defaults(func=cmd_trace)
    d = sub.add_parser("dump", help="zs.dump() of an app running on a board")
    add_dump_args(d)
    d.set_defaults(func=cmd_dump)
    args = p.parse_args(argv)
    try:
        return args.func(args)
    except TraceError as e:
        sys.stderr.write("zsync-mp: %s\n" % e)
        return e.status


if __name__ == "__main__":
    sys.exit(main())
