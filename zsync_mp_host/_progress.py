"""Byte progress of an upload on a terminal line (deploy and run)."""


class Progress:
    """Bytes sent so far as one rewritten terminal line, as mpremote's
    progress bar (only on a terminal, only for files of PROGRESS_MIN bytes
    or more); the line is cleared when the file is done."""

    WIDTH = 20

    def __init__(self, out, label, op="copying"):
        isatty = getattr(out, "isatty", None)
        self.out = out if isatty is not None and isatty() else None
        self.label = "%s %s" % (op, label)
        self.shown = 0

    def __call__(self, done, total):
        if self.out is None or total < PROGRESS_MIN:
            return
        if done >= total:
            line = "\r" + " " * self.shown + "\r"
        else:
            bar = done * self.WIDTH // total
            line = "\r ... %s %d/%d bytes %3d%% [%s%s]" % (self.label, done, total, done * 100 // total, "#" * bar,
                                                          "-" * (self.WIDTH - bar))
            self.shown = len(line)
        self.out.write(line)
        self.out.flush()


PROGRESS_MIN = 2048
