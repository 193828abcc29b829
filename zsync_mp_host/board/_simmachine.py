# _simmachine: the body of the simulated `machine`; its contract is in machine.py,
# which loads this module outside the program's heap (_simheap.py).
import _simhw
from _simhw import BoardReset, BoardError, PWRON_RESET, HARD_RESET, WDT_RESET, DEEPSLEEP_RESET, SOFT_RESET  # noqa: F401 (machine's public names)
from _simboard import Board
from _simpin import Pin, Signal  # noqa: F401 (machine's public names)
from _simuart import UART
from _simperiph import Timer, ADC, PWM, WDT, RTC
from _simi2c import I2C, SoftI2C  # noqa: F401 (machine's public names)

IDLE = 0
SLEEP = 2
DEEPSLEEP = 4
PIN_WAKE = 2
TIMER_WAKE = 4

board = Board()
Pin.board = UART.board = Timer.board = ADC.board = PWM.board = WDT.board = RTC.board = I2C.board = board
if _simhw.env_board_path():
    board.load(_simhw.env_board_path())
_simhw.hook_kernel(board)
_wake = [0]


def reset():
    board.sync()
    board.power_cycle(HARD_RESET)


def soft_reset():
    board.sync()
    board.power_cycle(SOFT_RESET)


def reset_cause():
    return board.cause


def wake_reason():
    return _wake[0]


def unique_id():
    return board.uid


def freq(hz=None):
    if hz is None:
        return board.freq_hz
    if not isinstance(hz, int) or isinstance(hz, bool) or hz < 1:
        raise ValueError("invalid freq %r: use a positive int of Hz" % (hz,))
    board.freq_hz = hz
    board.note("CPU freq %d Hz" % hz)


def disable_irq():
    return board.disable_irq()


def enable_irq(state=0):
    board.enable_irq(state)


def _sleep_ms(ms, what):
    if ms is not None and (not isinstance(ms, int) or isinstance(ms, bool) or ms < 0):
        raise ValueError("invalid %s time %r: use None or an int of ms >= 0" % (what, ms))


# Wait for the next hardware event, at most 1 ms (a board's tick interrupt).
def idle():
    b = board
    b.sync()
    t = b.us + 1000
    n = b.next_event()
    b.block_until(t if n is None or n > t else n)


def lightsleep(time_ms=None):
    """Sleep `time_ms` (None: until the next hardware event); events on the
    way fire at their times. Recorded in board.power."""
    _sleep_ms(time_ms, "lightsleep")
    b = board
    b.sync()
    if time_ms is None:
        n = b.next_event()
        if n is None:
            raise RuntimeError("lightsleep() without a time, and nothing scheduled can wake the board")
        time_ms = (n - b.us + 999) // 1000
    b.note("lightsleep %d ms" % time_ms)
    b.power.append((b.ms(), "lightsleep", time_ms))
    b.block_until(b.us + time_ms * 1000)


def deepsleep(time_ms=None):
    """Power everything off for `time_ms`, then reset with DEEPSLEEP_RESET
    (raises BoardReset). Recorded in board.power."""
    _sleep_ms(time_ms, "deepsleep")
    b = board
    b.sync()
    b.note("deepsleep %s ms" % time_ms)
    b.power.append((b.ms(), "deepsleep", time_ms))
    for p in b._periph:
        p.power_off()
    b._periph = []
    if time_ms:
        b.block_until(b.us + time_ms * 1000)
        _wake[0] = TIMER_WAKE
    b.power_cycle(DEEPSLEEP_RESET)
