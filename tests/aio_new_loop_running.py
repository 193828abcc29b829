# asyncio layer: asyncio.new_event_loop() called by a running task (as
# micropython-lib's aiorepl does on Ctrl-D, to end asyncio.run). MicroPython
# resets its queues under the running task: the task goes on to its end,
# run() returns its result, the other tasks never resume, and the next run
# starts from an empty loop. zsync_mp.asyncio gives the same trace; there the
# other tasks are cancelled when the main task ends (MicroPython abandons
# them), and the loop is reset when the run is over, also when the main
# task raises. Expected output
# (aio_new_loop_running.exp) is this file run on MicroPython's own asyncio
# (tests/test_aio_small_api.py::test_new_event_loop_in_a_task_matches_micropython).
import sys

if sys.argv[-1:] == ["stock"]:  # a board runs it with no argv
    import asyncio
else:
    import zsync_mp.asyncio as asyncio


async def ticker(name):
    n = 0
    while True:
        n += 1
        print(name, "tick", n)
        await asyncio.sleep(0)


async def main():
    asyncio.create_task(ticker("bg"))
    for _ in range(3):
        await asyncio.sleep(0)
    print("main: resetting the loop")
    loop = asyncio.new_event_loop()
    print("main: got a loop", loop is not None)
    return "main done"


print(asyncio.run(main()))


async def second():
    await asyncio.sleep(0)
    return "second run done"


print(asyncio.run(second()))
print(asyncio.get_event_loop().run_until_complete(second()))


async def failing():
    asyncio.create_task(ticker("bg2"))
    await asyncio.sleep(0)
    asyncio.new_event_loop()
    raise ValueError("raised after the reset")


try:
    asyncio.run(failing())
except ValueError as e:
    print("run:", e)
print(asyncio.run(second()))
