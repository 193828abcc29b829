"""A virtual board: MicroPython's REPL on a pty, for unmodified mpremote.

    python -m zsync_mp_host.vboard --fs DIR [--board board.json] [--pty-file F] [--bare] [--unconfined]

prints the pty path on one line and relays until SIGTERM/SIGINT. Behind the pty
runs a real MicroPython unix process (`zsync_mp_host/_vboard_child.py`) with DIR mounted
at `/`, the simulated `machine` (zsync_mp_host/board/) and a frozen `zsync_mp` in
`/rom/lib` (read-only copies; zsync_mp omitted with --bare, as on a board
without it), and /lib first on sys.path so deployed files win.

The process is confined with bubblewrap (zsync_mp_host/_vboard_sandbox.py): it sees DIR
and the read-only /rom, no other host file, no host environment, no network
unless the board file says "network": true. Without a working bwrap the board
refuses to start; --unconfined (or ZSYNC_VBOARD_UNCONFINED=1) runs it anyway,
with a warning, as an ordinary host process.

What the relay adds to the unix port's own REPL so it behaves like a board:
- soft reset (Ctrl-D on an empty line, `sys.exit(n)`, `machine.soft_reset()`:
  the REPL process exits with a status other than 102..104) restarts the child,
  prints `MPY: soft reboot` and restores raw REPL mode, as a board does;
- exit statuses 102..104 from the simulated `machine` (hard, watchdog,
  deep-sleep reset) restart it in friendly mode with ZSYNC_RESET_CAUSE set;
- death by a signal, or an exit before MicroPython ran the boot script, is a
  crash: reported on the pty and on stderr, an unfinished raw-REPL exec is
  completed with the report as its error, and the board restarts (a hard
  reset), so the next mpremote command works; but a MicroPython that never
  reaches the boot script BOOT_TRIES times in a row (a wrong --micropython, a
  broken sandbox) stops the board: `failed` says why, and `zsync-mp board`
  exits 1 instead of restarting it forever;
- Ctrl-C while code runs becomes SIGINT (KeyboardInterrupt in the script),
  also code that runs on after a prompt (lines pasted in one write);
- output `\\n` becomes `\\r\\n`; host input is held while the child boots,
  and input a dying child never answered is replayed to the next one (so an
  mpremote command racing a reset still gets its raw REPL).
ZSYNC_VBOARD_TRACE=FILE logs every byte in both directions, for debugging.
Output is buffered while nobody reads the pty; past OUT_LIMIT the oldest is
dropped (a UART with no listener loses bytes, it does not stall the board).
"""
import argparse
import os
import selectors
import shutil
import signal
import sys
import tempfile
import termios
import threading
import time
import tty

from zsync_mp_host import _heap
from zsync_mp_host import _vboard_child as vc
from zsync_mp_host import _vboard_sandbox as sandbox
from zsync_mp_host import _vboard_setup as setup
from zsync_mp_host._vboard_setup import BOOT_SCRIPT, ROOT, BoardError  # noqa: F401 (public names)

OUT_LIMIT = 256 * 1024
RESET_CODES = (102, 103, 104)
CAUSES = {2: "HARD_RESET", 3: "WDT_RESET", 4: "DEEPSLEEP_RESET"}
HARD_RESET = 2
INT_RETRY = 2.0
BOOT_MARK = b"\x00zsync-boot\x00"
BOOT_TRIES = 3
READ, WRITE = selectors.EVENT_READ, selectors.EVENT_WRITE


class VirtualBoard:
    """One virtual board: `open()` gives the pty path, `serve()` relays."""

    def __init__(self, fs, board=None, micropython=None, bare=False, env=None, log=None, fs_kb=None,
                 unconfined=None):
        self.fs = os.path.abspath(fs)
        if os.path.exists(self.fs) and not os.path.isdir(self.fs):
            raise BoardError("board filesystem is not a directory: %s" % fs, 2)
        os.makedirs(self.fs, exist_ok=True)
        spec = setup.check_board_file(board) if board is not None else {}
        self.board = board
        # Flash filesystem capacity (0: as much as the host directory holds).
        self.fs_kb = fs_kb if fs_kb is not None else spec.get("flash_fs_kb", 0)
        if not isinstance(self.fs_kb, int) or isinstance(self.fs_kb, bool) or self.fs_kb < 0:
            raise BoardError("flash_fs_kb must be a whole number of KiB >= 0, got %r" % (self.fs_kb,), 2)
        self.network = spec.get("network", False)
        # The board's heap (KiB, 32-bit), modelled on the unix port (_heap.py); None: not modelled.
        self.heap_kb = spec.get("heap_kb")
        self.micropython = setup.find_micropython(micropython)
        if unconfined is None:
            unconfined = os.environ.get("ZSYNC_VBOARD_UNCONFINED") == "1"
        self.confined = not unconfined
        try:
            self._bwrap = sandbox.find_bwrap() if self.confined else None
        except sandbox.SandboxUnavailable as e:
            raise BoardError(str(e))
        self.bare = bare
        self.extra_env = dict(env or {})
        self.log = log if log is not None else sys.stderr
        self.port = None
        self.crashes = 0
        self.resets = 0  # hard resets: machine.reset(), watchdog, deep sleep, crashes
        self.failed = None  # why the board stopped by itself (MicroPython does not boot)
        self._boot_fails = 0
        self._rom = None
        self._master = self._slave = -1
        self._out = bytearray()
        self._wake_r, self._wake_w = os.pipe()
        self._stopping = False
        self._thread = None
        self._child = None
        self._restore_raw = False
        self._held = b""
        self._unread = b""  # forwarded since the child last spoke: replayed if it dies
        self._hidden = b""
        self._trace = open(os.environ["ZSYNC_VBOARD_TRACE"], "a") if os.environ.get("ZSYNC_VBOARD_TRACE") else None

    # ZSYNC_VBOARD_TRACE=file logs every byte: H> host, C< child, E< emitted, X exit.
    def _log(self, tag, data):
        if self._trace:
            self._trace.write("%.3f %s %s %r\n" % (time.monotonic(), tag, self._tracker.state, data))
            self._trace.flush()

    def _say(self, msg):
        try:
            self.log.write("vboard: %s\n" % msg)
            self.log.flush()
        except (OSError, ValueError):
            pass

    def _child_env(self, cause, run_main):
        fs, rom = (sandbox.BOARD, sandbox.ROM) if self.confined else (self.fs, self._rom)
        env = dict(self.extra_env, **_heap.env(self.heap_kb))
        return setup.child_env(fs, rom, self.fs_kb, cause, run_main, self.board, env)

    def _argv(self, status_fd):
        heap = () if self.heap_kb is None else ("-X", "heapsize=%dK" % _heap.unix_heap_kb(self.heap_kb))
        if not self.confined:
            return [self.micropython] + list(heap) + ["-i", BOOT_SCRIPT]
        return sandbox.command(self._bwrap, self.micropython, self.fs, self._rom, status_fd, self.network, heap)

    def open(self):
        """Create the pty and boot the child; returns the pty path."""
        if not self.confined:
            self._say(sandbox.UNCONFINED_WARNING % self.fs)
        self._rom = setup.make_rom(self.board, self.bare)
        self._master, self._slave = os.openpty()
        tty.setraw(self._slave)
        os.set_blocking(self._master, False)
        self.port = os.ttyname(self._slave)
        self._spawn(cause=1, restore_raw=False)
        return self.port

    def _spawn(self, cause, restore_raw):
        self._tracker = vc.ReplTracker()
        self._lines = vc.LineEndings()
        self._restore_raw = restore_raw
        self._hidden = b""
        self._cause = cause
        self._int_until = None
        self._boot_user = False  # CPython, not MicroPython, handles SIGINT until BOOT_MARK
        self._born = time.monotonic()
        self._child = vc.Child(self._argv, self._child_env(cause, not restore_raw), self.confined)
        self._child.start()

    def _emit(self, data):
        self._log("E<", data)
        self._out += data
        if len(self._out) > OUT_LIMIT:
            del self._out[:len(self._out) - OUT_LIMIT]
            try:
                termios.tcflush(self._slave, termios.TCIFLUSH)
            except termios.error:
                pass
        self._flush_out()

    def _flush_out(self):
        while self._out:
            try:
                n = os.write(self._master, self._out)
            except (BlockingIOError, OSError):
                return
            del self._out[:n]

    def _from_host(self, data):
        tr = self._tracker
        self._log("H>", data)
        if tr.state == vc.BOOT or self._restore_raw:
            if tr.state == vc.BOOT and b"\x03" in data:
                if self._boot_user:
                    self._request_interrupt()
                data = data.replace(b"\x03", b"")
            self._held += data
            return
        if tr.state == vc.INPUT and b"\x03" in data and self._child.interrupt():
            # The prompt was not the last word: lines pasted in one write run on
            # after it. interrupt() signals only a child that catches SIGINT,
            # i.e. one running code; at a real prompt the byte goes through.
            data = data.replace(b"\x03", b"")
        fwd, interrupts = tr.from_host(data)
        if interrupts:
            self._request_interrupt()
        if fwd:
            self._child.write(fwd)
            self._unread = (self._unread + fwd)[-4096:]

    def _from_child(self, data):
        tr = self._tracker
        self._log("C<", data)
        self._unread = b""
        was_boot = tr.state == vc.BOOT
        if was_boot and BOOT_MARK in data:
            data = data.replace(BOOT_MARK, b"")
            self._boot_user = True
            self._boot_fails = 0
        tr.from_child(data)
        if self._restore_raw:
            self._hidden += data
            if tr.state == vc.INPUT and tr.mode == vc.FRIENDLY:
                if was_boot:
                    self._child.write(b"\x01")
            elif tr.state == vc.INPUT and tr.mode == vc.RAW:
                boot_out = self._hidden.split(b"MicroPython ", 1)[0] if b"MicroPython " in self._hidden else b""
                self._restore_raw = False
                self._emit(b"MPY: soft reboot\r\n" + self._lines.convert(boot_out) + vc.RAW_BANNER)
                self._release_held()
            return
        self._emit(self._lines.convert(data))
        if was_boot and tr.state == vc.INPUT:
            self._release_held()

    # Ctrl-C while code runs: retried until the child catches SIGINT (INT_RETRY s).
    def _request_interrupt(self):
        self._int_until = time.monotonic() + INT_RETRY
        self._try_interrupt()

    def _try_interrupt(self):
        if self._int_until is None:
            return
        if self._tracker.state not in (vc.BUSY, vc.BOOT) or time.monotonic() > self._int_until:
            self._int_until = None
        elif self._child.interrupt():
            self._int_until = None

    def _release_held(self):
        held, self._held = self._held, b""
        if held:
            self._from_host(held)

    # The child has gone: decide soft reboot, reset or crash, and start another.
    def _child_gone(self):
        code = self._child.close()
        self._log("X ", code)
        tr = self._tracker
        was_raw = tr.mode == vc.RAW and not self._restore_raw
        if self._stopping:
            return
        soft = False
        if code in RESET_CODES:
            self.resets += 1
            cause = code - 100
            self._say("board reset by machine (%s)" % CAUSES[cause])
            self._emit(tr.unfinished_exec(b"vboard: board reset by machine (%s)\r\n" % CAUSES[cause].encode()))
        elif code is not None and code >= 0 and self._boot_user:
            soft = True
            if not was_raw:  # Ctrl-D, sys.exit(n), machine.soft_reset(): a soft reboot
                self._emit(b"MPY: soft reboot\r\n")
            cause = self._cause
        else:
            self._boot_fails = 0 if self._boot_user else self._boot_fails + 1
            if self._boot_fails >= BOOT_TRIES:
                self.failed = "%s %s %d times in a row before booting: board stopped" % (
                    self.micropython, vc.describe_exit(code), self._boot_fails)
                self._stopping = True
                return
            self.resets += 1
            self.crashes += 1
            msg = "MicroPython %s: board reset" % vc.describe_exit(code)
            self._say(msg)
            line = ("vboard: %s\r\n" % msg).encode()
            self._emit(tr.unfinished_exec(line) or b"\r\n" + line)
            cause = HARD_RESET
            if time.monotonic() - self._born < 0.5:
                time.sleep(0.5)  # a boot loop must not spin a core
        # Input the dying child never answered (mpremote's next command racing
        # the reset) goes to the new one after its boot; never a Ctrl-D, which
        # may be what ended it (a soft reset from the friendly prompt).
        self._held, self._unread = self._unread.replace(b"\x04", b"") + self._held, b""
        self._spawn(cause, restore_raw=soft and was_raw)

    def serve(self):
        """Relay until stop(); call open() first."""
        sel = selectors.DefaultSelector()
        sel.register(self._master, READ, "host")
        sel.register(self._wake_r, READ, "wake")
        child_fd = -1
        try:
            while not self._stopping:
                if self._child.fd != child_fd:
                    if child_fd >= 0:
                        sel.unregister(child_fd)
                    child_fd = self._child.fd
                    sel.register(child_fd, READ, "child")
                # Wait for writability only while bytes wait: a pty nobody reads never is.
                sel.modify(self._master, READ | (WRITE if self._out else 0), "host")
                sel.modify(child_fd, READ | (WRITE if self._child.pending else 0), "child")
                self._try_interrupt()
                for key, events in sel.select(0.02 if self._int_until is not None else 0.5):
                    if key.data == "host" and events & READ:
                        try:
                            data = os.read(self._master, 65536)
                        except (BlockingIOError, OSError):
                            data = b""
                        if data:
                            self._from_host(data)
                    elif key.data == "child" and events & READ:
                        data = self._child.read()
                        if data is None:
                            sel.unregister(child_fd)
                            child_fd = -1
                            self._child_gone()
                            break
                        if data:
                            self._from_child(data)
                    elif key.data == "wake":
                        os.read(self._wake_r, 512)
                self._child.flush()
                self._flush_out()
        finally:
            sel.close()

    def start(self):
        """open() and serve() on a background thread; returns the pty path."""
        port = self.open()
        self._thread = threading.Thread(target=self.serve, name="vboard", daemon=True)
        self._thread.start()
        return port

    def stop(self):
        """Stop relaying, kill the child, close the pty, remove /rom."""
        self._stopping = True
        try:
            os.write(self._wake_w, b"x")
        except OSError:
            pass
        if self._thread is not None:
            self._thread.join(5)
        if self._child is not None:
            self._child.kill()
        for fd in (self._master, self._slave, self._wake_r, self._wake_w):
            try:
                os.close(fd)
            except OSError:
                pass
        self._master = self._slave = self._wake_r = self._wake_w = -1
        if self._rom:
            shutil.rmtree(self._rom, ignore_errors=True)
            self._rom = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


def add_board_args(p):
    p.add_argument("--fs", help="host directory mounted at / on the board (default: a temporary directory, "
                   "printed, removed when the board stops)")
    p.add_argument("--board", help="board description file (JSON) for the simulated machine")
    p.add_argument("--bare", action="store_true", help="no frozen zsync_mp (deploy it to /lib)")
    p.add_argument("--fs-kb", type=int, help="flash filesystem size in KiB (default: the board file's flash_fs_kb, else unlimited)")
    p.add_argument("--pty-file", help="also write the pty path to this file")
    p.add_argument("--micropython", help="MicroPython unix binary (default: next to python)")
    p.add_argument("--unconfined", action="store_true",
                   help="run without the bubblewrap sandbox (board code can reach host files); also "
                        "ZSYNC_VBOARD_UNCONFINED=1")


# Run a board in the foreground until SIGTERM/SIGINT: the pty's path is the
# first line of stdout (scripts read it), the filesystem the second.
def run_board(args):
    tmp = None
    if args.fs is None:
        tmp = tempfile.mkdtemp(prefix="zsync-board-")
    try:
        board = VirtualBoard(args.fs or tmp, board=args.board, micropython=args.micropython, bare=args.bare,
                             fs_kb=args.fs_kb, unconfined=args.unconfined or None)
        port = board.open()
    except BaseException:
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
        raise

    def on_signal(signum, frame):
        board._stopping = True
        os.write(board._wake_w, b"x")

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if args.pty_file:
        part = args.pty_file + ".tmp"
        with open(part, "w") as f:
            f.write(port + "\n")
        os.replace(part, args.pty_file)
    print(port)
    print("filesystem %s%s" % (board.fs, " (temporary: removed when the board stops)" if tmp else ""), flush=True)
    try:
        board.serve()
    finally:
        board.stop()
        if tmp:
            shutil.rmtree(tmp, ignore_errors=True)
    if board.failed:
        raise BoardError(board.failed)
    return 0


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m zsync_mp_host.vboard", description="Run a virtual MicroPython board on a pty.")
    add_board_args(p)
    try:
        return run_board(p.parse_args(argv))
    except BoardError as e:
        sys.stderr.write("vboard: %s\n" % e)
        return e.status


if __name__ == "__main__":
    sys.exit(main())
