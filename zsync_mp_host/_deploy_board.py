"""What deploy (zsync_mp_host/deploy.py) asks of the board, and its update plan.

Board side, each one snippet run in the raw REPL: the sha256 and size of every
file under a directory or of named files, the free space os.statvfs reports,
renames and removals.

The plan (issue 17, small flash): an update writes each changed file as
<name>.part beside the file it replaces and renames it over that file once
its hash verifies, so at its peak it needs room for the files staged and not
yet renamed. Staging everything at once needs room for two copies of what
changed; plan() orders the steps so that, renamed one by one, the update
needs the least room at once (peak()), and deploy() stages batches that fit
the room the board reports. Sizes count whole filesystem blocks (FAT
clusters, littlefs blocks): a file takes at least that much.
"""
import hashlib

from mpremote.transport import TransportExecError


class DeployError(Exception):
    """A deploy or run that cannot proceed; the message says what to fix."""

    def __init__(self, msg, status=1):
        super().__init__(msg)
        self.status = status  # the exit status: 2 = bad input, nothing done; 1 = a failure


HASH_FN = """
import os, hashlib, binascii
def _zs_hash(p):
    h = hashlib.sha256()
    b = bytearray(512)
    m = memoryview(b)
    n = 0
    with open(p, 'rb') as f:
        while True:
            k = f.readinto(b)
            if not k:
                break
            h.update(m[:k])
            n += k
    return binascii.hexlify(h.digest()).decode() + ' ' + str(n)
"""

HASH_TREE = HASH_FN + """
def _zs_walk(d, rel, deep):
    try:
        it = os.ilistdir(d)
    except OSError:
        return
    for e in it:
        p = d + '/' + e[0]
        r = rel + e[0]
        if e[1] == 0x4000:
            print('d', 0, r)
            if deep:
                _zs_walk(p, r + '/', deep)
        else:
            print(_zs_hash(p), r)
_zs_walk(%r, '', %r)
del _zs_walk, _zs_hash
"""

HASH_FILES = HASH_FN + """
_zs_p = None  # (bound even for no files: the del below needs it)
for _zs_p in %r:
    try:
        print(_zs_hash(_zs_p[0]), _zs_p[1])
    except OSError:
        pass
del _zs_p, _zs_hash
"""

# The free space of the deepest existing directory on the way to the path:
# block size, bytes free, the directory measured.
FREE_SNIPPET = """
import os
_zs_p = %r
while True:
    try:
        _zs_s = os.statvfs(_zs_p)
        break
    except OSError:
        if _zs_p == '/':
            raise
        _zs_p = _zs_p.rsplit('/', 1)[0] or '/'
print(_zs_s[1] or _zs_s[0], (_zs_s[1] or _zs_s[0]) * _zs_s[4], _zs_p)
del _zs_p, _zs_s
"""

RENAME_SNIPPET = """
import os
for _zs_a, _zs_b in %r:
    os.rename(_zs_a, _zs_b)
del _zs_a, _zs_b
"""

REMOVE_SNIPPET = """
import os
for _zs_a in %r:
    try:
        os.remove(_zs_a)
    except OSError:
        pass
del _zs_a
"""


def _exec(t, what, snippet):
    try:
        return t.exec(snippet).decode()
    except TransportExecError as e:
        if "hashlib" in e.error_output or "sha256" in e.error_output:
            raise DeployError("board has no hashlib.sha256: copies cannot be verified")
        raise DeployError("%s on the board failed: %s" % (what, e.error_output.strip()))


def _parse(out):
    got = {}
    for line in out.splitlines():
        digest, size, rel = (line.strip().split(" ", 2) + ["", ""])[:3]
        if digest != "d" and rel:
            got[rel] = (digest, int(size))
    return got


def board_hashes(t, dest, deep=True):
    """{relative path: (sha256 hex, size)} of the files under dest on the board."""
    return _parse(_exec(t, "listing %s" % dest, HASH_TREE % ("" if dest == "/" else dest, deep)))


def file_hashes(t, base, rels):
    """{rel: (sha256 hex, size)} of base + rel for each rel that exists on the board."""
    return _parse(_exec(t, "hashing", HASH_FILES % ([(base + rel, rel) for rel in rels],)))


def board_free(t, dest):
    """(block size, bytes free, directory measured) from os.statvfs on the board."""
    block, free, where = _exec(t, "os.statvfs(%r)" % dest, FREE_SNIPPET % dest).split(" ", 2)
    return int(block), int(free), where.strip()


def mkdirs(t, dest, rel, have):
    parts = ("" if dest == "/" else dest).split("/")[1:] + rel.split("/")[:-1]
    path = ""
    for i, part in enumerate(parts):
        path += "/" + part
        key = "/".join(parts[:i + 1])
        if key in have:
            continue
        if not t.fs_exists(path):
            t.fs_mkdir(path)
        have.add(key)


class Step:
    """Write `rel` (None: write nothing), then remove the files in `removes`
    (a stale .py beside a new .mpy, or a module the package no longer has);
    `new` is the size written, `olds` the sizes of the files it replaces."""

    def __init__(self, rel, new, removes, olds):
        self.rel, self.new, self.removes, self.olds = rel, new, removes, olds

    def delta(self, block):
        return blocks(self.new, block) - sum(blocks(n, block) for n in self.olds)


def blocks(n, block):
    return -(-n // block) * block


def plan(files, before, only):
    """(steps, skipped): how to make the board's `before` ({rel: (hash, size)})
    hold `files` ({rel: bytes}); with `only`, nothing is removed."""
    steps, skipped = [], []
    stale = set() if only else {rel for rel in before if rel not in files and rel.endswith((".py", ".mpy"))}
    for rel in sorted(files):
        if before.get(rel, ("",))[0] == hashlib.sha256(files[rel]).hexdigest():
            skipped.append(rel)
            continue
        stem = rel.rsplit(".", 1)[0]
        twins = sorted(r for r in stale if r.rsplit(".", 1)[0] == stem)  # x.py beside a new x.mpy
        stale.difference_update(twins)
        olds = [before[r][1] for r in twins + ([rel] if rel in before else [])]
        steps.append(Step(rel, len(files[rel]), twins, olds))
    steps += [Step(None, 0, [rel], [before[rel][1]]) for rel in sorted(stale)]
    return steps, skipped


def order(steps, block):
    """The steps in the order that needs the least room at once: those that
    free room first (smallest write first), then those that take room
    (largest file replaced first, while the room it will free is still
    there to stage the rest beside)."""
    frees = sorted((s for s in steps if s.delta(block) <= 0), key=lambda s: (s.new, s.rel or ""))
    takes = sorted((s for s in steps if s.delta(block) > 0), key=lambda s: (-sum(s.olds), s.rel or ""))
    return frees + takes


def peak(steps, block):
    """Bytes free the ordered steps need, renamed one by one: each staged
    file beside what it replaces, after the earlier steps are done."""
    need = held = 0
    for s in steps:
        need = max(need, held + blocks(s.new, block))
        held += s.delta(block)
    return need
