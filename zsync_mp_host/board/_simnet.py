# _simnet: the body of the simulated `network` (WLAN); its contract is in
# network.py, which loads this module outside the program's heap and binds
# it to machine.board. _simboard calls load_world() when a board file is
# loaded.
from _simhw import BoardError
from _simboard import _num, windows

board = None  # machine.board, set by network.py

STA_IF = 0
AP_IF = 1
STAT_IDLE = 1000
STAT_CONNECTING = 1001
STAT_GOT_IP = 1010
STAT_BEACON_TIMEOUT = 200
STAT_NO_AP_FOUND = 201
STAT_WRONG_PASSWORD = 202
STAT_ASSOC_FAIL = STAT_CONNECT_FAIL = 203
STAT_HANDSHAKE_TIMEOUT = 204
_LEAVE = 8  # ESP-IDF's WIFI_REASON_ASSOC_LEAVE: after disconnect()
AUTH_OPEN = 0
AUTH_WEP = 1
AUTH_WPA_PSK = 2
AUTH_WPA2_PSK = 3
AUTH_WPA_WPA2_PSK = 4
AUTH_WPA3_PSK = 6
AUTH_WPA2_WPA3_PSK = 7
_NO_IP = ("0.0.0.0",) * 4
_AP_IP = ("192.168.4.1", "255.255.255.0", "192.168.4.1", "0.0.0.0")
_CONFIG = ("mac", "ssid", "key", "channel", "hidden", "security", "authmode", "hostname", "dhcp_hostname",
           "reconnects", "txpower", "pm", "max_clients")
_AP_ONLY = ("ssid", "key", "hidden", "security", "authmode", "max_clients")  # to set, as on ESP32


def _str(v, what):
    if isinstance(v, (bytes, bytearray)):
        return bytes(v).decode()
    if not isinstance(v, str):
        raise TypeError("%s must be a str, got %s" % (what, type(v).__name__))
    return v


def _quad(v, what, exc=BoardError):
    if not isinstance(v, (list, tuple)) or len(v) != 4 or not all(isinstance(x, str) for x in v):
        raise exc("%s must be 4 strings: [ip, netmask, gateway, dns], got %r" % (what, v))
    return tuple(v)


def load_world(board, spec):
    """The board file's "wifi" entry, checked, and its drops as scripted-input
    items (t_us, action, board, for_us). None: any SSID connects."""
    if spec is None:
        return None, []
    if not isinstance(spec, dict):
        raise BoardError("wifi must be an object")
    for k in spec:
        if k not in ("aps", "connect_ms", "ip", "drops"):
            raise BoardError("wifi: unknown key %r (known: aps, connect_ms, ip, drops)" % (k,))
    aps = spec.get("aps", [])
    if not isinstance(aps, list):
        raise BoardError("wifi.aps must be a list")
    for i, ap in enumerate(aps):
        w = "wifi.aps[%d]" % i
        if not isinstance(ap, dict) or not isinstance(ap.get("ssid"), str):
            raise BoardError("%s needs \"ssid\" (a string)" % w)
        for k in ap:
            if k not in ("ssid", "key", "rssi", "channel"):
                raise BoardError("%s: unknown key %r (known: ssid, key, rssi, channel)" % (w, k))
        if not isinstance(ap.get("key", ""), str):
            raise BoardError("%s.key must be a string (\"\" or absent: an open network)" % w)
        _num(ap.get("rssi", -60), w + ".rssi")
        _num(ap.get("channel", 6), w + ".channel", 1)
    _num(spec.get("connect_ms", 1000), "wifi.connect_ms", 0)
    if "ip" in spec:
        _quad(spec["ip"], "wifi.ip")
    drops = [(int(at * 1000), _drop, board, int(n * 1000)) for at, n in windows(spec.get("drops", []), "wifi.drops")]
    return spec, drops


def _drop(board, for_us):
    radio(board).drop(for_us)


# The radio: both interfaces' state, a peripheral (a reset powers it off).
class _Radio:
    _seq = 0

    def __init__(self, board):
        self.board = board
        self.power_off()

    def power_off(self):
        self.board.cancel(self)
        self.active = [False, False]
        self.connected = False
        self.requested = False
        self.reason = 0
        self.ssid = None
        self.key = None
        self.ap = None  # the AP connected to (its board-file entry)
        self.tries = 0
        self.reconnects = 0  # 0: retry for ever (ESP32's conf_wifi_sta_reconnects)
        self.down_until = 0
        self.static = None
        self.conf = {"ssid": "ESP_%s" % "".join("%02X" % b for b in self.mac(AP_IF)[3:]), "channel": 1,
                     "hidden": False, "security": AUTH_OPEN, "txpower": 20, "pm": 1, "max_clients": 10,
                     "hostname": "mpy-esp32"}

    def mac(self, iface):
        m = bytearray((self.board.uid + bytes(6))[:6])
        m[5] = (m[5] + iface) & 0xFF
        return bytes(m)

    def spec(self, key, default):
        w = self.board.wifi
        return default if w is None else w.get(key, default)

    def attempt(self):
        self.board.schedule(self, self.board.us + int(self.spec("connect_ms", 1000) * 1000))

    def _due(self, t):
        if not (self.requested and self.active[STA_IF]):
            return
        ap = self.find(self.ssid)
        if ap is None:
            self.fail(STAT_NO_AP_FOUND, "no AP found")
        elif ap.get("key", "") not in ("", self.key or ""):
            self.fail(STAT_WRONG_PASSWORD, "authentication failed")
        else:
            self.connected = True
            self.reason = 0
            self.ap = ap
            self.tries = 0
            self.board.note("wifi connected to %s as %s" % (self.ssid, self.ifconfig(STA_IF)[0]))

    # The AP named ssid, if it is on the air now (a drop takes every AP off).
    def find(self, ssid):
        if self.board.us < self.down_until:
            return None
        if self.board.wifi is None:
            return {"ssid": ssid} if ssid else None
        for ap in self.spec("aps", []):
            if ap["ssid"] == ssid:
                return ap
        return None

    # A failed attempt or a lost link: ESP32 tries again unless reconnects ran out.
    def fail(self, reason, why):
        self.connected = False
        self.ap = None
        self.reason = reason
        self.tries += 1
        self.board.note("wifi disconnected: %s" % why)
        if self.reconnects and self.tries >= self.reconnects:
            return
        self.attempt()

    # Every AP off the air for for_us: a connected STA loses its link and
    # retries (failing with no AP found until the APs are back).
    def drop(self, for_us):
        self.down_until = max(self.down_until, self.board.us + for_us)
        if self.connected:
            self.tries = 0
            self.fail(STAT_BEACON_TIMEOUT, "beacon timeout")

    def status(self):
        if self.connected:
            return STAT_GOT_IP
        r = self.reason
        if r in (STAT_NO_AP_FOUND, STAT_WRONG_PASSWORD):
            return r
        if r == _LEAVE:
            return STAT_IDLE
        if self.requested and (not self.reconnects or self.tries < self.reconnects):
            return STAT_CONNECTING
        return STAT_IDLE if r == 0 else r

    def ifconfig(self, iface):
        if iface == AP_IF:
            return _AP_IP if self.active[AP_IF] else _NO_IP
        if not self.connected:
            return _NO_IP
        if self.static is not None:
            return self.static
        return tuple(self.spec("ip", ("192.168.1.42", "255.255.255.0", "192.168.1.1", "192.168.1.1")))


def radio(b=None):
    b = b or board
    r = b.radio
    if r is None:
        r = b.radio = _Radio(b)
    return r


class WLAN:
    """network.WLAN on the simulated board (ESP32's behaviour and constants)."""

    IF_STA = STA_IF
    IF_AP = AP_IF
    SEC_OPEN = AUTH_OPEN
    SEC_WEP = AUTH_WEP
    SEC_WPA = AUTH_WPA_PSK
    SEC_WPA2 = AUTH_WPA2_PSK
    SEC_WPA_WPA2 = AUTH_WPA_WPA2_PSK
    SEC_WPA3 = AUTH_WPA3_PSK
    SEC_WPA2_WPA3 = AUTH_WPA2_WPA3_PSK
    PM_NONE = 0
    PM_PERFORMANCE = 1
    PM_POWERSAVE = 2
    _objs = {}

    def __new__(cls, interface_id=STA_IF):
        if not isinstance(interface_id, int) or isinstance(interface_id, bool):
            raise TypeError("interface_id must be network.STA_IF or network.AP_IF, got %r" % (interface_id,))
        if interface_id not in (STA_IF, AP_IF):
            raise ValueError("invalid WLAN interface identifier")
        o = cls._objs.get(interface_id)
        if o is None:
            o = cls._objs[interface_id] = object.__new__(cls)
            o._if = interface_id
        return o

    def __init__(self, interface_id=STA_IF):
        pass

    def __repr__(self):
        return "<WLAN %s>" % ("STA" if self._if == STA_IF else "AP")

    def _radio(self):
        board.sync()
        return radio()

    def active(self, is_active=None):
        r = self._radio()
        if is_active is not None:
            on = bool(is_active)
            if on and not any(r.active):
                if r not in board._periph:
                    board._periph.append(r)
            if not on and self._if == STA_IF and r.active[STA_IF]:
                r.requested = r.connected = False
                board.cancel(r)
            if on != r.active[self._if]:
                board.note("wifi %s %s" % ("STA" if self._if == STA_IF else "AP", "on" if on else "off"))
            r.active[self._if] = on
        return r.active[self._if]

    def connect(self, ssid=None, key=None, *, bssid=None):
        r = self._radio()
        if ssid is not None:
            r.ssid = _str(ssid, "ssid")
        if key is not None:
            r.key = _str(key, "key")
        if bssid is not None and (not isinstance(bssid, (bytes, bytearray)) or len(bssid) != 6):
            raise ValueError("bssid must be 6 bytes, got %r" % (bssid,))
        if not r.active[STA_IF]:
            raise OSError("Wifi Not Started")
        r.requested = True
        r.connected = False
        r.tries = 0
        board.note("wifi connecting to %s" % r.ssid)
        r.attempt()

    def disconnect(self):
        r = self._radio()
        if not r.active[STA_IF]:
            raise OSError("Wifi Not Started")
        if r.connected or r.requested:
            board.note("wifi disconnected: by the app")
        board.cancel(r)
        r.requested = r.connected = False
        r.reason = _LEAVE

    def isconnected(self):
        r = self._radio()
        return r.connected if self._if == STA_IF else False

    def status(self, param=None):
        r = self._radio()
        if param is None:
            return r.status() if self._if == STA_IF else None
        if param == "rssi":
            if self._if != STA_IF:
                raise OSError("STA required")
            if not r.connected:
                raise OSError("Wifi Not Connected")
            return r.ap.get("rssi", -60)
        if param == "stations":
            if self._if != AP_IF:
                raise OSError("AP required")
            return []
        raise ValueError("unknown status param %r" % (param,))

    def scan(self):
        r = self._radio()
        if not r.active[STA_IF]:
            raise OSError("STA must be active")
        if board.us < r.down_until:
            return []
        return [(ap["ssid"].encode(), bytes((0x02, 0, 0, 0, 0, i + 1)), ap.get("channel", 6), ap.get("rssi", -60),
                 AUTH_WPA2_PSK if ap.get("key") else AUTH_OPEN, False) for i, ap in enumerate(r.spec("aps", []))]

    def ifconfig(self, config=None):
        r = self._radio()
        if config is None:
            return r.ifconfig(self._if)
        q = _quad(config, "ifconfig", ValueError)
        if self._if == STA_IF:
            r.static = q
        return None

    def ipconfig(self, param):
        ip = self.ifconfig()
        if param == "addr4":
            return (ip[0], ip[1])
        if param == "gw4":
            return ip[2]
        if param == "dhcp4":
            return self._radio().static is None
        raise ValueError("unknown ipconfig param %r" % (param,))

    def config(self, *args, **kw):
        r = self._radio()
        if args and kw:
            raise TypeError("either pos or kw args are allowed")
        if len(args) > 1:
            raise TypeError("can query only one param")
        for k, v in kw.items():
            if k not in _CONFIG or k == "mac":
                raise ValueError("unknown config param %r" % (k,))
            if k in _AP_ONLY and self._if != AP_IF:
                raise OSError("AP required")
            if k == "reconnects":
                if self._if != STA_IF:
                    raise OSError("STA required")
                if not isinstance(v, int) or v < -1:
                    raise ValueError("reconnects must be an int >= -1 (-1: for ever), got %r" % (v,))
                r.reconnects = 0 if v == -1 else v + 1
            elif k in ("hostname", "dhcp_hostname"):
                r.conf["hostname"] = _str(v, k)
            else:
                r.conf[k] = v
        if not args:
            return None
        k = args[0]
        if k == "mac":
            return r.mac(self._if)
        if k == "key":
            raise ValueError("key is write-only")
        if k in ("hostname", "dhcp_hostname"):
            return r.conf["hostname"]
        if k == "reconnects":
            return -1 if r.reconnects == 0 else r.reconnects - 1
        if k == "ssid" and self._if == STA_IF:
            return r.ssid or ""
        if k == "authmode":
            k = "security"
        if k not in r.conf:
            raise ValueError("unknown config param %r" % (k,))
        return r.conf[k]


def hostname(name=None):
    r = radio()
    if name is None:
        return r.conf["hostname"]
    r.conf["hostname"] = _str(name, "hostname")
