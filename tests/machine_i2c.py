# I2C on the simulated board: devices from the board file on buses I2C(0)
# and SoftI2C(scl, sda): scan(), a temperature sensor whose reading follows a
# curve in board time, register pointers that auto-increment, a 16-bit
# EEPROM, a device that answers commands (as an HTU21D does), a device that
# stops answering for a while (OSError ENODEV, as on ESP32) and a zsync_mp
# task that reads through it with retries, on the loop's virtual clock; then
# misuse and bad board files.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import I2C, SoftI2C, Pin
import zsync_mp as zs

b = machine.board
SENSOR = {"regs": {"0x02": [0x4B, 0x00], "0x07": [0xA5]},
          "curves": {"0x00": {"bytes": 2, "points": [[0, 5120], [10000, 7680]]}},
          "nack": [{"at_ms": 3000, "for_ms": 500}]}
BOARD = {"pins": {"SCL": 22, "SDA": 21, "SCL2": 5, "SDA2": 4},
         "i2c": {"0": {"scl": "SCL", "sda": "SDA", "devices": {"0x48": SENSOR, "0x50": {"addrsize": 16}}},
                 "soft": {"scl": "SCL2", "sda": "SDA2", "devices": {"0x3c": {}}}}}
b.load(BOARD)
b.use_virtual_time()


def err(f, *a, **k):
    try:
        f(*a, **k)
    except OSError as e:  # str() differs: "[Errno 19] ENODEV" on MicroPython, "19" on CPython
        return "OSError errno %d" % e.args[0]
    except Exception as e:
        return "%s: %s" % (type(e).__name__, e)
    return "no error"


def celsius(raw):
    return int.from_bytes(raw, "big") / 256  # 8.8 fixed point


i2c = I2C(0, scl=Pin("SCL"), sda=Pin("SDA"), freq=400000)
print("--", repr(i2c))
print("scan", [hex(a) for a in i2c.scan()])
print("temp at 0 ms", celsius(i2c.readfrom_mem(0x48, 0, 2)))
b.advance(2500)
print("temp at 2500 ms", celsius(i2c.readfrom_mem(0x48, 0, 2)))
print("config", i2c.readfrom_mem(0x48, 2, 2), "id", hex(i2c.readfrom_mem(0x48, 7, 1)[0]), "unset", i2c.readfrom_mem(0x48, 9, 1))

print("-- the pointer: writeto sets it, reads and writes move it on")
print(i2c.writeto(0x48, b"\x02"), i2c.readfrom(0x48, 1), i2c.readfrom(0x48, 1))
print(i2c.writeto(0x48, b"\x02\x60\xA0"), i2c.readfrom_mem(0x48, 2, 2))
print(i2c.writevto(0x48, (b"\x05", b"\x11", b"\x22")), i2c.readfrom_mem(0x48, 5, 2))
buf = bytearray(3)
i2c.readfrom_mem_into(0x48, 5, buf)
print(bytes(buf))
i2c.writeto(0x48, b"\x05")
i2c.readfrom_into(0x48, memoryview(buf)[:2])
print(bytes(buf))

print("-- a 16-bit EEPROM")
i2c.writeto_mem(0x50, 0x0100, b"hello", addrsize=16)
print(i2c.readfrom_mem(0x50, 0x0100, 5, addrsize=16), i2c.readfrom_mem(0x50, 0x00FF, 2, addrsize=16))
i2c.writeto(0x50, b"\x01\x02")
print(i2c.readfrom(0x50, 3))

print("-- a device that answers commands; its registers still read through *_mem")
b.load({"pins": {"SCL": 22, "SDA": 21},
        "i2c": {"0": {"scl": "SCL", "sda": "SDA", "devices": {
            "0x40": {"commands": {"0xF3": [0x63, 0x50, 6], "0xF5": [0x7A, 0x1C, 235]}, "regs": {"0xE7": [2]}}}}}})
b.use_virtual_time()
i2c.writeto(0x40, b"\xF3")
print(i2c.readfrom(0x40, 3), i2c.readfrom(0x40, 1))
i2c.writeto(0x40, b"\xF5")
print(i2c.readfrom(0x40, 2), i2c.readfrom(0x40, 2))
print(i2c.readfrom_mem(0x40, 0xE7, 1))
i2c.writeto(0x40, b"\xE7")  # not a command: sets the register pointer
print(i2c.readfrom(0x40, 1))
b.load(BOARD)  # back to the first board, at 3100 ms
b.use_virtual_time()
b.advance(3100)

print("-- no answer: from an empty address, and from the sensor in its window")
print("0x33:", err(i2c.readfrom, 0x33, 1))
print("scan", [hex(a) for a in i2c.scan()], "read:", err(i2c.readfrom_mem, 0x48, 0, 2))
print("write:", err(i2c.writeto, 0x48, b"\x00"))
b.advance(400)  # 3500 ms: answering again
print("scan", [hex(a) for a in i2c.scan()], "temp", celsius(i2c.readfrom_mem(0x48, 0, 2)))

print("-- SoftI2C is the bus wired to its pins")
s = SoftI2C(scl=Pin("SCL2"), sda=Pin("SDA2"))
print(repr(s), [hex(a) for a in s.scan()], SoftI2C(Pin("SCL"), Pin("SDA")).scan() == i2c.scan(),
      SoftI2C(Pin(12), Pin(13)).scan())

print("-- a task reads every 250 ms and retries through a window of no answer")


async def sampler():
    got = []
    misses = 0
    while len(got) < 6:
        try:
            got.append(celsius(i2c.readfrom_mem(0x48, 0, 2)))
        except OSError as e:
            misses += 1
            print(" ", zs.ticks_ms(), "ms: OSError", e.args[0], "- retry in 100 ms")
            await zs.sleep_ms(100)
            continue
        await zs.sleep_ms(250)
    return got, misses


b.load({"pins": {"SCL": 22, "SDA": 21}, "i2c": {"0": {"scl": "SCL", "sda": "SDA", "devices": {"0x48": dict(SENSOR, nack=[{"at_ms": 600, "for_ms": 300}])}}}})
b.use_virtual_time()
print(zs.run(sampler(), zs.VirtualClock()))
print([line for line in b.log if "I2C" in line])

print("-- misuse")
print("I2C(2):", err(I2C, 2))
print("address 200:", err(i2c.readfrom, 200, 1))
print("nbytes -1:", err(i2c.readfrom, 0x48, -1))
print("addrsize 12:", err(i2c.readfrom_mem, 0x48, 0, 1, addrsize=12))
print("memaddr 300:", err(i2c.readfrom_mem, 0x48, 300, 1))
print("freq 0:", err(I2C, 0, freq=0))
print("scl pin 99:", err(I2C, 0, scl=99))

print("-- bad board files")
for bad in ({"i2c": []}, {"i2c": {"0": {"bus": 1}}}, {"i2c": {"0": {"devices": {"0x99": {}}}}},
            {"i2c": {"0": {"devices": {"x": {}}}}}, {"i2c": {"0": {"devices": {"0x10": {"regs": {"0": [300]}}}}}},
            {"i2c": {"0": {"devices": {"0x10": {"addrsize": 12}}}}},
            {"i2c": {"0": {"devices": {"0x10": {"curves": {"0": {"bytes": 5, "points": [[0, 1]]}}}}}}},
            {"i2c": {"0": {"devices": {"0x10": {"nack": [{"at_ms": 1}]}}}}}, {"i2c": {"0": {"scl": "NOPE"}}},
            {"i2c": {"0": {"devices": {"0x10": {"commands": {"0x1F3": [1]}}}}}},
            {"i2c": {"0": {"devices": {"0x10": {"commands": {"0xF3": "ab"}}}}}}):
    print(err(b.load, bad))
