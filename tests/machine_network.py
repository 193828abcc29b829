# The simulated `network` (ESP32's WLAN) on a scripted radio world: what
# status() reads through a connect, a wrong SSID or key, a dropped link and
# ESP32's retries (until config(reconnects=n) runs out), disconnect(), the AP
# interface, config/ifconfig/ipconfig, a reset powering the radio off, a
# zsync_mp app that waits for the link on the loop's virtual clock, and the
# errors misuse and a bad board file get.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
import network
from network import WLAN, STA_IF, AP_IF
import zsync_mp as zs

b = machine.board
WORLD = {"unique_id": "24a1600dcafe",
         "wifi": {"aps": [{"ssid": "home", "key": "secret", "rssi": -55, "channel": 11},
                          {"ssid": "cafe", "rssi": -80}],
                  "connect_ms": 1200, "ip": ["10.0.0.7", "255.255.255.0", "10.0.0.1", "10.0.0.1"],
                  "drops": [{"at_ms": 20000, "for_ms": 3000}]}}
b.load(WORLD)
b.use_virtual_time()


def err(f, *a, **k):
    try:
        f(*a, **k)
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no error"


def now():  # board time in ms, caught up with its clock
    return b.now_us() // 1000


def log_since(n):
    return [line for line in list(b.log)[n:]]


sta = WLAN(STA_IF)
ap = WLAN(AP_IF)
print("-- interfaces")
print(sta is WLAN(), sta is not ap, repr(sta), repr(ap))
print(network.STAT_IDLE, network.STAT_CONNECTING, network.STAT_GOT_IP, network.STAT_NO_AP_FOUND,
      network.STAT_WRONG_PASSWORD, network.STAT_BEACON_TIMEOUT)
print(WLAN.IF_STA == STA_IF, WLAN(WLAN.IF_AP) is ap, WLAN.SEC_WPA2, WLAN.PM_PERFORMANCE, sta.config("pm"))
print("WLAN(2):", err(WLAN, 2))
print("WLAN('sta'):", err(WLAN, "sta"))

print("-- before active(True)")
print(sta.active(), sta.status(), sta.isconnected(), sta.ifconfig())
print("connect:", err(sta.connect, "home", "secret"))
print("scan:", err(sta.scan))
print("disconnect:", err(sta.disconnect))

print("-- scan and connect")
print(sta.active(True), sta.active())
for ssid, bssid, ch, rssi, auth, hidden in sta.scan():
    print("ap", ssid, len(bssid), ch, rssi, auth, hidden)
sta.connect("home", "secret")
print(now(), sta.status() == network.STAT_CONNECTING, sta.isconnected(), sta.ifconfig()[0])
b.advance(1199)
print(now(), sta.status() == network.STAT_CONNECTING)
b.advance(1)
print(now(), sta.status() == network.STAT_GOT_IP, sta.isconnected(), sta.ifconfig(), sta.status("rssi"))
print(sta.ipconfig("addr4"), sta.ipconfig("gw4"), sta.ipconfig("dhcp4"))

print("-- disconnect, a wrong key, an unknown SSID (ESP32 retries each)")
sta.disconnect()
print(sta.status() == network.STAT_IDLE, sta.isconnected(), err(sta.status, "rssi"))
n = len(b.log)
sta.connect("home", "guess")
b.advance(2500)
print(now(), sta.status() == network.STAT_WRONG_PASSWORD)
sta.connect("nowhere", "x")
b.advance(1200)
print(now(), sta.status() == network.STAT_NO_AP_FOUND)
sta.connect("cafe")  # open network: no key; the last failure reads until it connects, as on ESP32
print(sta.status() == network.STAT_NO_AP_FOUND)
b.advance(1200)
print(now(), sta.status() == network.STAT_GOT_IP, sta.status("rssi"))
for line in log_since(n):
    print(" ", line)

print("-- config")
print(sta.config("mac") == bytes.fromhex("24a1600dcafe"), ap.config("mac") == bytes.fromhex("24a1600dcaff"))
print(ap.config("ssid"), sta.config("ssid"), ap.config("channel"), sta.config("reconnects"))
print(network.hostname(), sta.config("hostname"))
network.hostname("greenhouse")
print(network.hostname(), sta.config("dhcp_hostname"))
print("key:", err(sta.config, "key"))
print("colour:", err(sta.config, "colour"))
print("colour=:", err(sta.config, colour=1))
print("both:", err(sta.config, "ssid", channel=1))
print("two:", err(sta.config, "ssid", "channel"))
print("reconnects=-2:", err(sta.config, reconnects=-2))
print("sta ssid=:", err(sta.config, ssid="x"))
print("ap reconnects=:", err(ap.config, reconnects=1))
print("status('x'):", err(sta.status, "x"))
print("ipconfig('x'):", err(sta.ipconfig, "x"))
print("connect(5):", err(sta.connect, 5))
print("bssid:", err(sta.connect, "home", "secret", bssid=b"123"))

print("-- the AP interface")
print(ap.active(), ap.ifconfig()[0], ap.active(True), ap.ifconfig()[0], ap.isconnected(), ap.status("stations"))
print("ap rssi:", err(ap.status, "rssi"))
print("sta stations:", err(sta.status, "stations"))
ap.config(ssid="sensor-7", channel=6)
print(ap.config("ssid"), ap.config("channel"), ap.active(False))

print("-- reconnects=0: one try, then the reason stays")
sta.config(reconnects=0)
print(sta.config("reconnects"))
n = len(b.log)
sta.connect("nowhere")
b.advance(5000)
print(now(), sta.status() == network.STAT_NO_AP_FOUND, len(log_since(n)))
sta.config(reconnects=-1)

print("-- a static address")
sta.connect("home", "secret")
b.advance(1200)
sta.ifconfig(("192.168.9.9", "255.255.0.0", "192.168.9.1", "8.8.8.8"))
print(sta.ifconfig(), sta.ipconfig("dhcp4"))
print("ifconfig bad:", err(sta.ifconfig, ("1.2.3.4",)))

print("-- an app on the loop's virtual clock rides out the board file's drop at 20-23 s")


async def app():
    sta.connect("home", "secret")
    while not sta.isconnected():
        await zs.sleep_ms(100)
    print("up at", now(), sta.ifconfig()[0])
    while sta.isconnected():
        await zs.sleep_ms(250)
    print("down at", now(), sta.status() == network.STAT_CONNECTING, sta.scan())
    await zs.sleep_ms(1500)
    print(now(), sta.status() == network.STAT_NO_AP_FOUND)  # its first retry found no AP
    while not sta.isconnected():
        await zs.sleep_ms(250)
    print("back at", now())


sta.disconnect()
b.advance(14000 - now())
n = len(b.log)
zs.run(app(), zs.VirtualClock())
for line in log_since(n):
    print(" ", line)

print("-- a reset powers the radio off")
try:
    machine.reset()
except SystemExit as e:
    print("reset", e.code)
print(sta.active(), sta.isconnected(), sta.status() == network.STAT_IDLE, ap.active(), network.hostname())

print("-- bad board files")
for bad in ({"wifi": []}, {"wifi": {"aps": [{"key": "x"}]}}, {"wifi": {"aps": [{"ssid": "a", "pw": "x"}]}},
            {"wifi": {"connect_ms": -1}}, {"wifi": {"drops": [{"at_ms": 5}]}}, {"wifi": {"ip": "10.0.0.1"}},
            {"wifi": {"speed": 1}}):
    print(err(b.load, bad))
b.load(None)
b.use_virtual_time()
print("-- no wifi entry: any SSID connects after 1000 ms")
sta.active(True)
sta.connect("anything", "at-all")
b.advance(1000)
print(sta.isconnected(), sta.ifconfig()[0], sta.scan())

print("-- reconnects=0 and a drop: ESP32 gives up, status() reads the beacon timeout")
b.load({"wifi": {"aps": [{"ssid": "home"}], "drops": [{"at_ms": 3000, "for_ms": 1000}]}})
b.use_virtual_time()
sta.active(True)
sta.config(reconnects=0)
sta.connect("home")
b.advance(1000)
print(now(), sta.isconnected())
b.advance(2500)
print(now(), sta.isconnected(), sta.status() == network.STAT_BEACON_TIMEOUT)
b.advance(5000)
print(now(), sta.isconnected(), sta.status() == network.STAT_BEACON_TIMEOUT)
