# select() registers an Event on each channel it watches. A MemoryError
# while it registers (a full heap) fails that select only, and leaves no
# registration behind: before the fix the channels watched before the
# failure kept the dead select's Event for ever (a leak per failed select,
# and a set() on it at every send). The failure is injected into the second
# channel's list of watchers.
import zsync_mp as zs
from _inject import FailOnce


async def main():
    tx1, rx1 = zs.channel(1)
    tx2, rx2 = zs.channel(1)
    rx2._st.watchers = FailOnce()
    rx2._st.watchers.arm("no room to watch")
    try:
        await zs.select(rx1, rx2)
        print("select: no error?!")
    except MemoryError as e:
        print("select: MemoryError:", e)
    print("watchers left on the channels:", len(rx1._st.watchers), len(rx2._st.watchers))
    await tx2.send("b")
    print("the next select:", await zs.select(rx1, rx2))
    print("watchers left on the channels:", len(rx1._st.watchers), len(rx2._st.watchers))


zs.run(main())
