"""Where the board comes from, and how it is wired.

A target gives a serial port to open a Dut on, and knows how to bring the
board back after a test broke it:

    VirtualTarget   `python -m zsync_mp_host.vboard` as a child process (bare: zsync_mp
                    is deployed to /lib like on a real board), board file
                    examples/boards/devkit.json (LOOP_OUT wired to LOOP_IN,
                    UART 1 looped back). recover() restarts a dead process.
    SerialTarget    a real board on /dev/ttyUSB0 & co; recover() waits for the
                    port to come back (USB re-enumeration after a reset).
    QemuTarget      a MicroPython qemu-port firmware under qemu-system-* with
                    `-serial pty`, always under `timeout`; recover() restarts it.

PROFILES says which pins and UART each known board uses for the loopback
measurements (hil_tests/README.md shows the jumpers). Host-side only.
"""
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEVKIT = os.path.join(ROOT, "examples", "boards", "devkit.json")
QEMU_LIFETIME = 3600  # s: the `timeout` wrapped around a QEMU session

# loop: (output pin, input pin) wired together; uart: the UART looped back
# (its TX wired to its RX). None: the board cannot run that measurement.
PROFILES = {
    "virtual": {"loop": ["LOOP_OUT", "LOOP_IN"], "uart": {"id": 1, "kw": {}}, "fs": True},
    "nucleo_f446re": {"loop": ["D2", "D3"], "uart": {"id": 6, "kw": {}}, "fs": True},
    "esp32_devkitc": {"loop": [25, 26], "uart": {"id": 1, "kw": {"tx": 32, "rx": 33}}, "fs": True},
    "esp32c3_devkitm": {"loop": [4, 5], "uart": {"id": 1, "kw": {"tx": 6, "rx": 7}}, "fs": True},
    "generic": {"loop": None, "uart": None, "fs": True},
    "qemu": {"loop": None, "uart": None, "fs": False},
}


class TargetError(Exception):
    """The board cannot be started or reached; says what to fix."""


class _Process:
    """A board that is a child process of the suite (virtual board, QEMU)."""

    proc = None
    port = None
    log_path = None

    def _log_bytes(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read()
        except OSError:
            return b""

    def log_tail(self, n=1500):
        return self._log_bytes()[-n:].decode("utf-8", "replace")

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    # Restart a board whose process died; returns the (new) port.
    def recover(self, timeout=30):
        if not self.alive():
            self.stop()
            self.start(timeout)
        return self.port

    # SIGTERM (the relay cleans up; `timeout` passes it to QEMU), then the group.
    def stop(self):
        if self.proc is not None:
            if self.proc.poll() is None:
                self.proc.send_signal(signal.SIGTERM)
                try:
                    self.proc.wait(10)
                except subprocess.TimeoutExpired:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                    self.proc.wait(5)
            self.proc = None


class VirtualTarget(_Process):
    kind = "virtual"

    def __init__(self, fs, board_file=DEVKIT, log_path=None, heap_kb=None):
        self.fs = fs
        self.board_file = board_file
        if board_file:
            self.board_file = self._with_heap(board_file, heap_kb)
        self.log_path = log_path or os.path.join(fs + ".log")
        self.proc = None
        self.port = None
        self.starts = 0

    def _with_heap(self, board_file, heap_kb):
        # The board file's wiring with the heap the suite asks for: None is
        # the board file's own (devkit.json: 105 KB, the floor of an ESP32
        # without PSRAM), 0 MicroPython's (unmodelled).
        with open(board_file) as f:
            spec = json.load(f)
        if heap_kb is not None:
            spec.pop("heap_kb", None)
            if heap_kb:
                spec["heap_kb"] = int(heap_kb)
        path = self.fs + ".board.json"
        os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
        with open(path, "w") as f:
            json.dump(spec, f)
        return path

    # Keep the deployed /lib between runs (deploy then copies nothing); drop the rest.
    def clean_fs(self):
        if os.path.isdir(self.fs):
            for name in os.listdir(self.fs):
                if name != "lib":
                    p = os.path.join(self.fs, name)
                    shutil.rmtree(p) if os.path.isdir(p) else os.remove(p)

    def start(self, timeout=30):
        if not self.starts:
            self.clean_fs()
        pty_file = self.fs + ".pty"
        if os.path.exists(pty_file):
            os.remove(pty_file)
        os.makedirs(self.fs, exist_ok=True)
        log = open(self.log_path, "a" if self.starts else "w")
        cmd = [sys.executable, "-m", "zsync_mp_host.vboard", "--fs", self.fs, "--bare", "--pty-file", pty_file]
        if self.board_file:
            cmd += ["--board", self.board_file]
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=log,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        end = time.monotonic() + timeout
        while not os.path.exists(pty_file):
            if self.proc.poll() is not None:
                raise TargetError("virtual board exited with %s before giving a port; log %s:\n%s"
                                  % (self.proc.returncode, self.log_path, self.log_tail()))
            if time.monotonic() > end:
                self.stop()
                raise TargetError("virtual board gave no port within %d s" % timeout)
            time.sleep(0.05)
        with open(pty_file) as f:
            self.port = f.read().strip()
        self.starts += 1
        return self.port

    # The MicroPython process behind the pty (the board's CPU), for crash tests.
    def child_pid(self):
        try:
            with open("/proc/%d/task/%d/children" % (self.proc.pid, self.proc.pid)) as f:
                pids = [int(p) for p in f.read().split()]
        except OSError:
            return None
        return pids[0] if pids else None

    # Make the port vanish: the relay dies as a USB adapter pulled out would.
    def vanish(self):
        if self.alive():
            child = self.child_pid()
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
            if child:  # its own session: not in the relay's process group
                try:
                    os.kill(child, signal.SIGKILL)
                except OSError:
                    pass


class SerialTarget:
    kind = "serial"

    def __init__(self, port):
        self.port = port

    def start(self, timeout=30):
        if not os.path.exists(self.port) and "://" not in self.port:
            raise TargetError("no such serial port: %s (is the board plugged in? try --port)" % self.port)
        return self.port

    def alive(self):
        return os.path.exists(self.port) or "://" in self.port

    def recover(self, timeout=30):
        end = time.monotonic() + timeout
        while not self.alive():
            if time.monotonic() > end:
                raise TargetError("serial port %s did not come back within %d s" % (self.port, timeout))
            time.sleep(0.2)
        return self.port

    def stop(self):
        pass

    def log_tail(self, n=1500):
        return ""


# qemu-system binary and extra arguments for a machine name.
def qemu_command(machine):
    if machine.startswith("virt"):
        return ["qemu-system-riscv32", "-machine", "virt", "-bios", "none", "-semihosting"], "-kernel"
    return ["qemu-system-arm", "-machine", machine, "-semihosting"], "-kernel"


class QemuTarget(_Process):
    kind = "qemu"

    def __init__(self, firmware, machine="mps2-an385", log_path=None, serial_index=0, paused=False):
        self.firmware = firmware
        self.machine = machine
        self.serial_index = serial_index  # which UART is the REPL; the ones before it go to null
        self.log_path = log_path or os.path.join(ROOT, "build", "hil", "qemu-%s.log" % os.path.basename(firmware))
        self.proc = None
        self.port = None
        # paused: the CPU waits for resume(), so nothing the firmware prints
        # at boot is lost before the pty is opened (QEMU drops it otherwise).
        self.monitor = self.log_path + ".mon" if paused else None

    def command(self):
        base, load = qemu_command(self.machine)
        mon = ["-S", "-monitor", "unix:%s,server=on,wait=off" % self.monitor] if self.monitor else ["-monitor", "none"]
        return (["timeout", "--kill-after=5", str(QEMU_LIFETIME)] + base
                + ["-nographic"] + mon + ["-serial", "null"] * self.serial_index
                + ["-serial", "pty", load, self.firmware])

    def resume(self):
        # Start a paused CPU (see `paused`) through the QEMU monitor.
        import socket

        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        end = time.monotonic() + 10
        while True:
            try:
                s.connect(self.monitor)
                break
            except OSError:
                if time.monotonic() > end:
                    raise TargetError("QEMU monitor %s did not answer" % self.monitor)
                time.sleep(0.05)
        s.sendall(b"cont\n")
        time.sleep(0.2)
        s.close()

    def start(self, timeout=30):
        if not os.path.isfile(self.firmware):
            raise TargetError("no firmware at %s (build the MicroPython qemu port with zsync_mp frozen, "
                              "e.g. `make test-firmware MICROPY_DIR=...`)" % self.firmware)
        cmd = self.command()
        if shutil.which(cmd[3]) is None:
            raise TargetError("%s not found (make setup installs qemu-system-arm/-misc)" % cmd[3])
        os.makedirs(os.path.dirname(os.path.abspath(self.log_path)), exist_ok=True)
        log = open(self.log_path, "w")
        self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=log, stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        log.close()
        end = time.monotonic() + timeout
        seen = b""
        os.set_blocking(self.proc.stdout.fileno(), False)
        while True:
            try:
                seen += self.proc.stdout.read() or b""
            except (BlockingIOError, TypeError):
                pass
            m = re.search(rb"char device redirected to (/dev/pts/\d+)", seen + self._log_bytes())
            if m:
                self.port = m.group(1).decode()
                return self.port
            if self.proc.poll() is not None or time.monotonic() > end:
                self.stop()
                raise TargetError("QEMU gave no pty (%s); output: %s" % (" ".join(cmd), (seen + self._log_bytes())[-800:]))
            time.sleep(0.05)
