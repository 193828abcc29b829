# wifi_reconnect: keep a WLAN link up, and send readings only while it is.
#
# A link keeper asks for the access point and waits for the link under a
# deadline, with a growing pause between tries; it holds an Event set while
# the link is up and LED on with it. A sampler reads every 250 ms into a
# bounded channel, and drops new readings once the link has been down long
# enough to fill it. An uploader waits for the link and sends what is queued,
# in order. The board file has the access point vanish at 5 s for 3 s; the app
# rides it out. Runs unchanged on MicroPython and CPython, on the simulated
# board (virtual time: the run is instant and the same every time):
#
#   ZSYNC_BOARD=examples/boards/devkit_wifi.json MICROPYPATH=.:zsync_mp_host/board .venv/bin/micropython examples/wifi_reconnect.py
#   ZSYNC_BOARD=examples/boards/devkit_wifi.json PYTHONPATH=.:zsync_mp_host/board .venv/bin/python examples/wifi_reconnect.py
import network
from machine import Pin

import zsync_mp as zs

SSID, KEY = "greenhouse", "tomatoes"
RUN_MS = 12000


def log(msg):
    print("%5d ms  %s" % (zs.ticks_ms(), msg))


async def keep_link(wlan, up, led):
    wlan.active(True)
    pause = 500
    while True:
        if not wlan.isconnected():
            up.clear()
            led.value(0)
            log("link: connecting to %s" % SSID)
            wlan.connect(SSID, KEY)
            with zs.move_on_after(2.0) as scope:
                while not wlan.isconnected():
                    await zs.sleep_ms(100)
            if scope.cancelled_caught:
                log("link: no link after 2 s (status %d); next try in %d ms" % (wlan.status(), pause))
                wlan.disconnect()
                await zs.sleep_ms(pause)
                pause = min(pause * 2, 4000)
                continue
            pause = 500
            log("link: up as %s, rssi %d" % (wlan.ifconfig()[0], wlan.status("rssi")))
            up.set()
            led.value(1)
        await zs.sleep_ms(200)


async def sampler(tx, dropped):
    n = 0
    while True:
        n += 1
        try:
            tx.try_send(n)
        except zs.WouldBlock:
            dropped[0] += 1
        await zs.sleep_ms(250)


async def uploader(rx, up, wlan, sent):
    while True:
        await up.wait()
        v = await rx.recv()
        if not wlan.isconnected():  # the link went while we waited: keep it for later
            log("upload: link lost, reading %d waits" % v)
            up.clear()
            await up.wait()
        await zs.sleep_ms(20)  # the request
        sent.append(v)
        if len(sent) % 8 == 0:
            log("upload: %d readings sent, last #%d" % (len(sent), v))


async def main():
    wlan = network.WLAN(network.STA_IF)
    led = Pin("LED", Pin.OUT, value=0)
    up = zs.Event()
    tx, rx = zs.channel(8)
    dropped = [0]
    sent = []
    with zs.move_on_after(RUN_MS / 1000):
        async with zs.TaskGroup() as tg:
            tg.spawn(keep_link(wlan, up, led), name="link")
            tg.spawn(sampler(tx, dropped), name="sampler")
            tg.spawn(uploader(rx, up, wlan, sent), name="uploader")
    log("stopped: %d readings sent, %d dropped while the link was down, in order: %s"
        % (len(sent), dropped[0], sent == sorted(sent)))


zs.run(main(), clock=zs.VirtualClock())
