# ADC curves over virtual time, PWM records, RTC, unique_id, freq, reset_cause.
import sys

sys.path.insert(0, __file__.rsplit("tests", 1)[0] + "zsync_mp_host/board")
import machine
from machine import ADC, PWM, Pin, RTC
import zsync_mp as zs

b = machine.board
b.load({"pins": {"TEMP": 34, "LED": 2, "BTN": 0},
        "adc": {"TEMP": {"vref": 3.3, "points": [[0, 0.5], [1000, 1.5], [2000, 1.5], [3000, 0.0]]}},
        "unique_id": "deadbeef0001", "freq": 240000000, "rtc": [2024, 2, 28, 2, 23, 59, 58, 0]})
b.use_virtual_time()  # board time stays virtual after the loop ends


async def main():
    adc = ADC(Pin("TEMP"), atten=ADC.ATTN_11DB)
    for t in (0, 250, 1000, 1500, 2500, 3000, 4000):
        await zs.sleep_ms(t - zs.ticks_ms())
        print("t=%d read_uv=%d read_u16=%d read=%d" % (t, adc.read_uv(), adc.read_u16(), adc.read()))
    btn = ADC("BTN")
    b.drive("BTN", 1)
    print("digital pin as ADC: high", btn.read_u16(), end=" ")
    b.drive("BTN", 0)
    print("low", btn.read_u16())
    b.set_voltage(35, 1.65)
    print("set_voltage(35, 1.65):", ADC(35).read_u16(), ADC(35).read_uv())


zs.run(main(), clock=zs.VirtualClock())

print("-- PWM")
pwm = PWM(Pin("LED"), freq=1000, duty_u16=16384)
print(pwm.freq(), pwm.duty_u16(), pwm.duty_ns(), pwm.state())
pwm.freq(2000)
pwm.duty_ns(250000)
print(pwm.freq(), pwm.duty_u16(), pwm.duty_ns())
pwm.deinit()
print("\n".join(x for x in b.log if "PWM" in x))

print("-- RTC (board file starts it at 2024-02-28 23:59:58, a leap year)")
rtc = RTC()
print(rtc.datetime())
b.advance(2500)
print(rtc.datetime())
rtc.datetime((2099, 12, 31, 0, 23, 59, 59, 0))
b.advance(500)
print(rtc.datetime())

print("-- ids and clocks")
print("unique_id:", machine.unique_id(), "freq:", machine.freq())
machine.freq(80000000)
print("freq now:", machine.freq(), "reset_cause:", machine.reset_cause() == machine.PWRON_RESET)
