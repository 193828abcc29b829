"""Board port names as mpremote takes them (`mpremote connect ...`).

    resolve("u0") -> "/dev/ttyUSB0"      a0..: /dev/ttyACMn, u0..: /dev/ttyUSBn, c0..: COMn
    resolve("auto") / resolve(None)      the first USB serial port (with a USB VID:PID)
    resolve("id:SERIAL")                 the port whose USB serial number is SERIAL
    resolve("port:/dev/x") -> "/dev/x"   a name that would otherwise read as a shortcut
    resolve("virtual")                   unchanged (a virtual board for one command)

Nothing found raises error(message, 1) saying what was looked for.
"""
import re

SHORT = {"a": "/dev/ttyACM", "u": "/dev/ttyUSB", "c": "COM"}


def _comports():
    import serial.tools.list_ports

    return sorted(serial.tools.list_ports.comports())


def resolve(name, error, comports=_comports):
    if name is None or name == "auto":
        for p in comports():
            if p.vid is not None and p.pid is not None:
                return p.device
        raise error("no board found: no USB serial port is attached (give -p PORT, e.g. -p u0 for /dev/ttyUSB0, "
                    "or -p virtual for a virtual board)", 1)
    m = re.fullmatch(r"([auc])(\d+)", name)
    if m:
        return SHORT[m.group(1)] + m.group(2)
    if name.startswith("id:"):
        for p in comports():
            if p.serial_number == name[3:]:
                return p.device
        raise error("no board with USB serial number %s" % name[3:], 1)
    if name.startswith("port:"):
        return name[5:]
    return name
