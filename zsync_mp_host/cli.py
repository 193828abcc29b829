"""The `zsync-mp` command.

    zsync-mp board  [--fs DIR] [--board FILE] [--bare] [--pty-file F] [--unconfined]
    zsync-mp deploy [-p P] [--src DIR] [--dest PATH] [--mpy [ARCH]] [--app FILE]
    zsync-mp run    app.py [--interpreter cpython|micropython|wasm] [--virtual-time] [--seed N] [--board FILE] [--timeout S]
    zsync-mp run    -p P app.py [--timeout S]
    zsync-mp sim    app.py [--board FILE] [--seed N] [--mpy [ARCH]]
    zsync-mp parity script.py [--board FILE] [--seed N] [--virtual-time] [--timeout S]
    zsync-mp trace  FILE -o out.svg [--perfetto out.json] [--folded out.txt]
    zsync-mp dump   [-p P] [--stop]
    zsync-mp setup-wasm
    zsync-mp --version

P is a serial device (/dev/ttyUSB0), a virtual board's pty, mpremote's
shortcuts (auto, the default for deploy and dump; u0, a0, c0, id:SERIAL:
zsync_mp_host/_portname.py), or "virtual": a virtual board started for this one
command (in --fs DIR or a temp dir).
`sim` is `make sim`: a fresh virtual board without zsync_mp, a deploy through
mpremote, the app run through mpremote with its output streamed, the board
stopped; the exit status is the app's. `run` without --port runs the app in
simulation on the host (zsync_mp_host/simrun.py; default interpreter micropython);
`parity` runs a script on all three interpreters and diffs their traces with
its oracle (`<stem>.exp` beside it) or, without one, with CPython's (exit 1
when they differ, or one hangs past --timeout). `setup-wasm` installs the
pinned npm package behind `--interpreter wasm` for an installed zsync-mp
(a wheel cannot ship node_modules; zsync_mp_host/_install.py).

Exit status, as mpremote's: the app's own status for `run`/`sim`; 1 when
something failed (a port, a board, a deploy, an app or script past its
--timeout); 2 when the command line or a file it names is wrong and nothing
was done (argparse's usage errors, a bad board file, a missing app, a damaged
trace). Errors print one `zsync-mp: ...` line.
"""
import argparse
import os
import shutil
import sys
import tempfile

from zsync_mp_host import _install, _mpy, _portname
from zsync_mp_host import deploy as dp
from zsync_mp_host import interp, oracle, parity3, simrun, tracetool, vboard


class _Port:
    """A port name, or a virtual board started for one command."""

    def __init__(self, port, fs=None, board=None, bare=False, env=None, out=None):
        self.name = port if port == "virtual" else _portname.resolve(port, dp.DeployError)
        self.vb = None
        self.tmp = None
        if port == "virtual":
            if fs is None:
                self.tmp = fs = tempfile.mkdtemp(prefix="zsync-board-")
            try:
                self.vb = vboard.VirtualBoard(fs, board=board, bare=bare, env=env)
                self.name = self.vb.start()
            except BaseException:
                self.close()
                raise
            if out is not None:
                out.write("== virtual board on %s (fs %s)\n" % (self.name, fs))
                out.flush()

    def close(self):
        if self.vb is not None:
            self.vb.stop()
        if self.tmp is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)


PORT_HELP = ('serial device or virtual board pty, as mpremote takes it: auto (the first USB serial port), '
             'u0 (/dev/ttyUSB0), a0 (/dev/ttyACM0), c0 (COM0), id:SERIAL, or "virtual" (a board for this command)')


def _deploy_args(p):
    p.add_argument("--src", default=dp.PACKAGE, help="package directory (default: zsync_mp)")
    p.add_argument("--dest", help="directory on the board (default: /lib/<package>); a leading \":\" is allowed, a relative path starts at /, and it must stay inside the board's filesystem")
    p.add_argument("--mpy", nargs="?", const="bytecode", metavar="ARCH", type=_mpy_arch,
                   help="compile with mpy-cross; ARCH: %s; @micropython.native/viper functions become ARCH "
                   "code; refused when the board's sys.implementation._mpy cannot load it" % _mpy.HINT)


def _port_args(p, run=False):
    p.add_argument("-p", "--port", help=PORT_HELP + ("; without it the app runs in simulation" if run else
                                                     " (default: auto)"))
    p.add_argument("--fs", help="board filesystem for --port virtual (default: a temp dir)")
    p.add_argument("--board", help="board description file for --port virtual")
    if run:
        p.add_argument("--timeout", type=_seconds, help="seconds the app may run; one still running then is "
                       "stopped and the run fails (default: no limit)")
        p.add_argument("--connect-timeout", type=_seconds, default=10, help="seconds to wait for the board's raw REPL")
    else:
        p.add_argument("--timeout", type=_seconds, default=10, help="seconds to wait for the board's raw REPL")


def cmd_board(args):
    return vboard.run_board(args)


# Arguments checked before a board starts or a file is copied: a missing app
# fails alone, not after the whole package was deployed.
def _check_app(app, board=None):
    if board is not None:
        simrun.check_board(board)
    try:
        with open(app, "rb"):
            pass
    except OSError as e:
        raise simrun.SimError("cannot read app %s: %s" % (app, e.strerror))
    if os.path.isdir(app):
        raise simrun.SimError("cannot read app %s: it is a directory" % app)


def cmd_deploy(args):
    if args.app:
        _check_app(args.app, args.board)
    if not os.path.isdir(args.src):
        raise dp.DeployError("package directory not found: %s" % args.src, 2)
    port = _Port(args.port, args.fs, args.board, bare=True)
    try:
        dp.deploy(port.name, src=args.src, dest=args.dest, mpy=args.mpy, timeout=args.timeout)
        if args.app:
            dp.deploy(port.name, src=os.path.dirname(os.path.abspath(args.app)), dest="/",
                      timeout=args.timeout, only=[os.path.basename(args.app)])
    finally:
        port.close()
    return 0


def cmd_run(args):
    if args.port is None:
        if args.fs:
            raise simrun.SimError("--fs needs --port virtual")
        rc = simrun.run_app(args.app, args.interpreter or "micropython", board=args.board, seed=args.seed,
                            virtual=args.virtual_time, timeout=args.timeout)
        if rc is None:
            raise simrun.SimError("%s still running after %gs: stopped (--timeout)" % (args.app, args.timeout), 1)
        return rc
    if args.interpreter or args.virtual_time:
        raise simrun.SimError("--interpreter and --virtual-time are for simulated runs: drop --port")
    if args.seed is not None and args.port != "virtual":
        raise simrun.SimError("--seed needs a simulated run or --port virtual")
    _check_app(args.app, args.board)
    env = {} if args.seed is None else {"ZSYNC_SEED": str(args.seed)}
    port = _Port(args.port, args.fs, args.board, env=env)
    try:
        return dp.run_app(port.name, args.app, timeout=args.connect_timeout, limit=args.timeout)
    finally:
        port.close()


def cmd_parity(args):
    return parity3.parity(args.script, sys.stdout, board=args.board, seed=args.seed, virtual=args.virtual_time,
                          timeout=args.timeout)


def cmd_sim(args):
    _check_app(args.app, args.board)
    env = {} if args.seed is None else {"ZSYNC_SEED": str(args.seed)}
    out = sys.stdout
    port = _Port("virtual", board=args.board, bare=True, env=env, out=out)
    try:
        out.write("== deploy %s -> /lib/zsync_mp (mpremote)\n" % os.path.relpath(dp.PACKAGE))
        dp.deploy(port.name, mpy=args.mpy, out=out)
        out.write("== run %s on the virtual board (mpremote)\n" % args.app)
        out.flush()
        status = dp.run_app(port.name, args.app)
        out.write("== board stopped; app exit status %d\n" % status)
        return status
    finally:
        port.close()


def cmd_setup_wasm(args):
    return _install.setup_wasm()


def parser():
    p = argparse.ArgumentParser(prog="zsync-mp", description="zsync-mp: boards, deploys and simulation")
    p.add_argument("--version", action="version", version="zsync-mp " + _version())
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("board", help="start a virtual board and print its pty")
    vboard.add_board_args(b)
    b.set_defaults(func=cmd_board)
    d = sub.add_parser("deploy", help="copy zsync_mp to a board, skipping unchanged files")
    _port_args(d)
    _deploy_args(d)
    d.add_argument("--app", help="also copy this app file to / on the board")
    d.set_defaults(func=cmd_deploy)
    r = sub.add_parser("run", help="run an app in simulation, or on a board (--port) through mpremote")
    _port_args(r, run=True)
    r.add_argument("app")
    r.add_argument("--interpreter", choices=interp.NAMES,
                   help="simulation only: the interpreter (default micropython)")
    r.add_argument("--virtual-time", action="store_true",
                   help="simulation only: zs.run() uses a VirtualClock (no real waiting)")
    r.add_argument("--seed", type=int, help="schedule seed (env ZSYNC_SEED)")
    r.set_defaults(func=cmd_run)
    q = sub.add_parser("parity", help="run a script on CPython, MicroPython and WebAssembly; diff the traces")
    q.add_argument("script")
    q.add_argument("--board", help="board description file (JSON)")
    q.add_argument("--seed", type=int, help="schedule seed (env ZSYNC_SEED)")
    q.add_argument("--virtual-time", action="store_true", help="zs.run() uses a VirtualClock")
    q.add_argument("--timeout", type=_seconds, default=120,
                   help="seconds each interpreter may run the script; a hang is a failure (default 120)")
    q.set_defaults(func=cmd_parity)
    s = sub.add_parser("sim", help="virtual board + deploy + run (make sim)")
    s.add_argument("app")
    s.add_argument("--board", help="board description file (JSON)")
    s.add_argument("--seed", type=int, help="schedule seed, passed to the board as ZSYNC_SEED")
    s.add_argument("--mpy", nargs="?", const="bytecode", metavar="ARCH", type=_mpy_arch,
                   help="deploy compiled .mpy (ARCH as for deploy)")
    s.set_defaults(func=cmd_sim)
    t = sub.add_parser("trace", help="a captured zsync_mp.trace to an SVG timeline + flame graph (or Perfetto JSON, folded stacks)")
    tracetool.add_trace_args(t)
    t.set_defaults(func=tracetool.cmd_trace)
    u = sub.add_parser("dump", help="zs.dump() of an app running on a board")
    tracetool.add_dump_args(u)
    u.set_defaults(func=tracetool.cmd_dump)
    w = sub.add_parser("setup-wasm", help="install MicroPython WebAssembly for --interpreter wasm: npm ci into "
                       "%s ($XDG_DATA_HOME)" % _install.WASM_HOME)
    w.set_defaults(func=cmd_setup_wasm)
    return p


def _version():
    from importlib import metadata

    try:
        return metadata.version("zsync-mp")
    except metadata.PackageNotFoundError:
        return "(not installed: run from a checkout)"


def _mpy_arch(text):
    _mpy.check_arch(text, lambda msg, status: argparse.ArgumentTypeError(msg))
    return text


# A time limit: a positive number of seconds.
def _seconds(text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value < float("inf"):
        raise argparse.ArgumentTypeError("must be a positive number of seconds, got %r" % text)
    return value


ERRORS = (dp.DeployError, vboard.BoardError, simrun.SimError, interp.InterpreterError, tracetool.TraceError,
          oracle.OracleError, _install.SetupError)


# 2 for input that is wrong before anything ran (see the module docstring), else 1.
def exit_status(e):
    return getattr(e, "status", 2 if isinstance(e, oracle.OracleError) else 1)


def main(argv=None):
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except ERRORS as e:
        sys.stderr.write("zsync-mp: %s\n" % e)
        return exit_status(e)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
