# Task-switch rate and memory on the board: N tasks loop on yield_now() for
# DURATION_MS of real time. Prints RESULT {switches_per_s, mem_free before /
# with the tasks / after, bytes_per_task} and `Test OK`. Figures only.
import gc
import json
import time

import zsync_mp as zs

N = PARAMS.get("tasks", 10)
DURATION_MS = PARAMS.get("duration_ms", 500)
count = [0]
stop = [False]
mem = {}


async def spinner():
    while not stop[0]:
        await zs.yield_now()
        count[0] += 1


async def main():
    gc.collect()
    mem["free_before"] = gc.mem_free()
    async with zs.TaskGroup() as tg:
        for _ in range(N):
            tg.spawn(spinner())
        gc.collect()
        mem["free_with_tasks"] = gc.mem_free()
        t0 = time.ticks_ms()
        await zs.sleep_ms(DURATION_MS)
        stop[0] = True
        mem["elapsed_ms"] = time.ticks_diff(time.ticks_ms(), t0)
        mem["switches"] = count[0]


gc.collect()
zs.run(main())
gc.collect()
free_after = gc.mem_free()
print("RESULT", json.dumps({
    "tasks": N, "elapsed_ms": mem["elapsed_ms"], "switches": mem["switches"],
    "switches_per_s": mem["switches"] * 1000 // max(1, mem["elapsed_ms"]),
    "mem_free_before": mem["free_before"], "mem_free_with_tasks": mem["free_with_tasks"],
    "mem_free_after": free_after, "heap_total": free_after + gc.mem_alloc(),
    "bytes_per_task": (mem["free_before"] - mem["free_with_tasks"]) // N}))
print("Test OK")
