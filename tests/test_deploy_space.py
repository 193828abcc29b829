# Package updates on small flash (issue 17): deploy staged every changed file
# beside the old one before renaming any, so updating the whole package needed
# room for two copies and failed with "filesystem full" on a board that holds
# one. Against a virtual board whose board file sets "flash_fs_kb":
# - an update that fits (one copy plus the largest file) succeeds and every
#   file on the board is the new one;
# - one that cannot fit is refused before anything changes, naming the bytes
#   it needs and the bytes os.statvfs reports free; the old package still runs;
# - a power cut part-way (the board's process killed, as a reset would) leaves
#   every module the complete old or the complete new file, the board boots
#   and imports the package, and the next deploy finishes the update.
import io
import json
import os
import shutil

import pytest

from zsync_mp_host import deploy as dp
from zsync_mp_host import vboard
from test_cli import board_files
from test_vboard import mpremote

TINY = ("import zsync_mp as zs\nasync def main():\n    await zs.sleep_ms(1)\n    return 'ok'\n"
        "print(zs.run(main()))\n")
BLOCK = 512  # the virtual board's statvfs block size


def rounded(n):
    return -(-n // BLOCK) * BLOCK


def package_copy(tmp_path, name, change=None):
    # A copy of the real zsync_mp as <name>/zsync_mp; change(rel, text) -> text.
    dst = tmp_path / name / "zsync_mp"
    shutil.copytree(dp.PACKAGE, str(dst), ignore=shutil.ignore_patterns("__pycache__"))
    if change:
        for rel in dp.collect(str(dst)):
            p = dst / rel
            p.write_text(change(rel, p.read_text()))
    return dst


def sizes(src):
    return {rel: len(data) for rel, data in dp.collect(str(src)).items()}


def small_board(tmp_path, kb):
    spec = tmp_path / "small.json"
    spec.write_text(json.dumps({"name": "small", "flash_fs_kb": kb}))
    fs = str(tmp_path / "fs")
    return vboard.VirtualBoard(fs, board=str(spec), bare=True, log=open(os.devnull, "w")), fs


def on_board(fs):
    return {os.path.relpath(p, os.path.join("lib", "zsync_mp")).replace(os.sep, "/"): data
            for p, data in board_files(fs).items()}


def statvfs_free(port):
    r = mpremote(port, "exec", "import os; s = os.statvfs('/lib'); print(s[1], s[1] * s[4])")
    block, free = map(int, r.stdout.split())
    assert block == BLOCK
    return free


def deploy(port, src, out=None):
    return dp.deploy(port, src=str(src), out=out or io.StringIO())


@pytest.fixture
def versions(tmp_path):
    v1 = package_copy(tmp_path, "v1")
    v2 = package_copy(tmp_path, "v2", lambda rel, text: text + "\n# version 2 of %s\n" % rel)
    new = sizes(v2)
    # Room for one copy of version 2 plus its largest file (and a little for
    # rounding), not for both versions side by side.
    kb = -(-(sum(map(rounded, new.values())) + max(map(rounded, new.values())) + 4096) // 1024)
    assert kb * 1024 < sum(sizes(v1).values()) + sum(new.values())
    return v1, v2, kb


@pytest.fixture
def board(tmp_path, versions):
    # A small-flash board holding version 1 (it fits: a fresh filesystem).
    b, fs = small_board(tmp_path, versions[2])
    b.start()
    deploy(b.port, versions[0])
    yield b, fs
    b.stop()


def test_whole_package_update_on_flash_too_small_for_two_copies(versions, board):
    b, fs = board
    out = io.StringIO()
    res = deploy(b.port, versions[1], out)
    assert sorted(res.copied) == sorted(sizes(versions[1])) and res.removed == []
    assert on_board(fs) == dp.collect(str(versions[1]))  # every file is the new one, byte for byte
    assert "%d files verified by sha256" % len(res.copied) in out.getvalue()
    assert mpremote(b.port, "exec", TINY).stdout == "ok\n"


def test_update_that_cannot_fit_is_refused_with_the_numbers(versions, board):
    (b, fs), v1 = board, versions[0]
    before = board_files(fs)
    free = statvfs_free(b.port)
    bulk = free + 3000  # one more module, bigger than all the room left
    (v1 / "_bulk.py").write_text("# padding\n" * (bulk // 10) + "#" * (bulk % 10))
    with pytest.raises(dp.DeployError) as e:
        deploy(b.port, v1)
    # Every other file is unchanged: the update needs room for the new one.
    assert str(e.value) == ("not enough room on the board at %s for this update: it needs %d bytes free, "
                            "os.statvfs('/lib/zsync_mp') reports %d; nothing was changed"
                            % (b.port, rounded(bulk), free))
    assert board_files(fs) == before
    assert mpremote(b.port, "exec", TINY).stdout == "ok\n"


class _PowerCut(io.StringIO):
    """deploy's output stream; kills the board (as a power cut would) at the
    first line `when(line, copies so far)` picks."""

    def __init__(self, board, when):
        super().__init__()
        self.board, self.when, self.copies = board, when, 0

    def isatty(self):
        return True  # so deploy reports byte progress

    def write(self, text):
        self.copies += text.startswith("copied")
        if self.when and self.when(text, self.copies):
            self.when = None
            self.board.stop()
        return super().write(text)


def _halfway_through(size):
    # "\r ... copying /lib/zsync_mp/trace.py 8192/14888 bytes  55% [...]"
    def when(text, _copies):
        words = text.split()
        if not text.startswith("\r ... copying") or len(words) < 5:
            return False
        done, total = map(int, words[3].split("/"))
        return total == size and done * 2 >= total
    return when


@pytest.mark.parametrize("cut", ["after-half-the-files", "two-files-before-the-end", "halfway-through-the-largest"])
def test_power_cut_leaves_every_module_old_or_new(tmp_path, versions, board, cut):
    (b, fs), (v1, v2, _kb) = board, versions
    old, new = dp.collect(str(v1)), dp.collect(str(v2))
    when = {"after-half-the-files": lambda text, n: n == len(new) // 2,
            "two-files-before-the-end": lambda text, n: n == len(new) - 2,
            "halfway-through-the-largest": _halfway_through(max(map(len, new.values())))}[cut]
    with pytest.raises(dp.DeployError, match="failed during deploy"):
        deploy(b.port, v2, _PowerCut(b, when))
    got = on_board(fs)
    half = {rel for rel in old if got.get(rel) not in (old[rel], new[rel])}
    assert half == set()  # no module missing, truncated or mixed
    assert [rel for rel in got if rel not in old and not rel.endswith(".part")] == []
    assert {rel for rel in old if got[rel] == new[rel]}, "the cut came before any module was updated"
    b = vboard.VirtualBoard(fs, board=str(tmp_path / "small.json"), bare=True, log=open(os.devnull, "w"))
    b.start()  # what the board sees after the reset
    try:
        assert mpremote(b.port, "exec", TINY).stdout == "ok\n"
        deploy(b.port, v2)
        assert on_board(fs) == new  # finished, and no .part left
    finally:
        b.stop()
