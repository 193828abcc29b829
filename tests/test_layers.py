# The package's layers (DESIGN.md "Layers"): each folder of zsync_mp imports
# only the layers below it, no module imports itself back through a cycle
# (lazy imports inside functions included), and `import zsync_mp` loads the
# core (kernel, scopes) and nothing else, on both interpreters; the sync
# layer and the extras load when the app first names them.
import ast
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PKG = os.path.join(ROOT, "zsync_mp")
sys.path.insert(0, ROOT)
from zsync_mp_host import interp

# Layer of each top-level part of the package: a module may import its own
# part and the parts of lower layers. "" is the facade (zsync_mp/__init__.py).
LAYER = {"kernel": 0, "scopes": 1, "sync": 2, "io": 3, "board": 3, "trace": 4,
         "asyncio": 5, "resilience": 5, "sim": 5, "": 6}
CORE = ("kernel", "scopes")


def modules():
    out = {}
    for d, _dirs, names in os.walk(PKG):
        for n in names:
            if n.endswith(".py"):
                rel = os.path.relpath(os.path.join(d, n), PKG)[:-3].split(os.sep)
                is_pkg = rel[-1] == "__init__"
                name = ".".join(["zsync_mp"] + (rel[:-1] if is_pkg else rel))
                out[name] = (os.path.join(d, n), is_pkg)
    return out


def imports(name, path, is_pkg, known):
    # Every zsync_mp module `name` imports, at module level or in a function.
    pkg = name if is_pkg else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(open(path).read())):
        targets = []
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod + "." + a.name for a in node.names] + [mod]
        elif isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        for t in targets:
            while t and t not in known:  # `from pkg import name`: the name may be an attribute
                t = t.rpartition(".")[0]
            if t.startswith("zsync_mp") and t != name:
                found.add(t)
    return found


def part(mod):
    parts = mod.split(".")
    return parts[1] if len(parts) > 1 else ""


def graph():
    mods = modules()
    return {m: imports(m, p, is_pkg, mods) for m, (p, is_pkg) in mods.items()}


def test_each_layer_imports_only_lower_layers():
    bad = []
    for m, targets in sorted(graph().items()):
        for t in sorted(targets):
            if t == "zsync_mp" and part(m) in ("sim", "resilience", "asyncio"):
                continue  # the top layer may use the public facade
            if part(t) != part(m) and LAYER[part(t)] >= LAYER[part(m)]:
                bad.append("%s imports %s (layer %d -> %d)" % (m, t, LAYER[part(m)], LAYER[part(t)]))
    assert not bad, "layer rule broken (DESIGN.md \"Layers\"):\n" + "\n".join(bad)


def test_no_import_cycles():
    g = graph()
    for m in g:  # a package imports its submodules; they import it back only as "zsync_mp" (the facade)
        g[m] = {t for t in g[m] if not m.startswith(t + ".")}
    seen, stack, cycles = set(), [], []

    def visit(m):
        if m in stack:
            cycles.append(" -> ".join(stack[stack.index(m):] + [m]))
            return
        if m in seen:
            return
        seen.add(m)
        stack.append(m)
        for t in sorted(g.get(m, ())):
            visit(t)
        stack.pop()

    for m in sorted(g):
        visit(m)
    assert not cycles, "import cycles:\n" + "\n".join(cycles)


def test_layer_table_covers_every_part():
    assert {part(m) for m in modules()} <= set(LAYER)


PROBE = """
import sys
import zsync_mp
print(" ".join(sorted(m for m in sys.modules if m.startswith("zsync_mp"))))
"""


def _loaded(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60,
                       env=dict(os.environ, MICROPYPATH=ROOT + ":.frozen"))
    assert p.returncode == 0, p.stderr
    return p.stdout.split()


def test_import_loads_only_the_core():
    for cmd in ([sys.executable, "-c", PROBE], [interp.executable("micropython"), "-c", PROBE]):
        loaded = _loaded(cmd)
        extra = [m for m in loaded if m != "zsync_mp" and part(m) not in CORE]
        assert not extra, "%s: import zsync_mp loaded more than the core: %s" % (cmd[0], extra)
        assert "zsync_mp.kernel.loop" in loaded and "zsync_mp.scopes.group" in loaded


LAZY = """
import sys
import zsync_mp as zs
from zsync_mp import idle, Lock
print("sync.channel" in " ".join(sys.modules), Lock.__name__, zs.Event.__name__, zs.channel.__name__,
      "sync.channel" in " ".join(sys.modules))
print(zs.BlockingIo.__name__, zs.fiber.__name__, zs.open_connection.__name__, zs.irq_guard.__name__,
      zs.trace.__name__, idle.__name__, zs.metrics.__name__, zs.watchdog.__name__, zs.dump.__name__)
try:
    zs.no_such_name
except AttributeError as e:
    print("AttributeError", e)
"""


def test_extras_load_on_first_use():
    want = ["False", "Lock", "Event", "channel", "True", "BlockingIo", "fiber", "open_connection", "irq_guard", "zsync_mp.trace", "zsync_mp.board.idle",
            "zsync_mp.board.metrics", "zsync_mp.board.watchdog", "dump", "AttributeError", "module", "'zsync_mp'",
            "has", "no", "attribute", "'no_such_name'"]
    assert _loaded([sys.executable, "-c", LAZY]) == want
    assert _loaded([interp.executable("micropython"), "-c", LAZY]) == want


def test_no_submodule_shadows_a_name_of_its_package():
    # Importing pkg.x sets attribute x of pkg: a lazily imported submodule
    # named like one of the package's functions replaces that function
    # (zsync_mp.trace.dump was once the module trace/dump.py).
    bad = []
    for name, (path, is_pkg) in modules().items():
        if not is_pkg:
            continue
        tree = ast.parse(open(path).read())
        defined = {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}
        defined |= {t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        subs = {os.path.splitext(f)[0] for f in os.listdir(os.path.dirname(path))}
        bad += ["%s.%s" % (name, s) for s in sorted(defined & subs)]
    assert not bad, "submodules that would replace a package attribute when imported: %s" % bad


AIO = """
import sys
import zsync_mp.asyncio as asyncio
def loaded():
    return sorted(m for m in sys.modules if m.startswith("zsync_mp.") and not m.startswith(("zsync_mp.kernel", "zsync_mp.scopes")))
print(",".join(loaded()))
asyncio.Event
print(",".join(loaded()))
print(asyncio.start_server.__name__, asyncio.StreamReader is asyncio.Stream)
"""


def test_the_asyncio_layer_loads_its_extras_on_first_use():
    # As MicroPython's asyncio loads event, lock, funcs and stream: the
    # import is the core and the layer's _core; Event loads _sync.
    for cmd in ([sys.executable, "-c", AIO], [interp.executable("micropython"), "-c", AIO]):
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60,
                           env=dict(os.environ, MICROPYPATH=ROOT + ":.frozen"))
        assert p.returncode == 0, p.stderr
        first, second, last = p.stdout.splitlines()
        assert first == "zsync_mp.asyncio,zsync_mp.asyncio._core", (cmd[0], first)
        assert second.split(",")[:3] == ["zsync_mp.asyncio", "zsync_mp.asyncio._core", "zsync_mp.asyncio._sync"], (cmd[0], second)
        assert last == "start_server True", (cmd[0], last)


def test_the_cpython_port_agrees_with_port_constants():
    # kernel/_cpython.py repeats three of port.py's constants (it may not
    # import port.py, which imports it).
    from zsync_mp.kernel import port, _cpython

    assert (_cpython.TICKS_MAX, _cpython.TICKS_HALF, _cpython.POLLIN) == (port.TICKS_MAX, port.TICKS_HALF, port.POLLIN)


STAR = """
from zsync_mp.asyncio import *
print(gather.__name__, Queue.__name__, TaskGroup.__name__, StreamReader is Stream, start_server.__name__)
"""


def test_star_import_of_the_asyncio_layer_gives_the_lazy_names_too():
    # `from zsync_mp.asyncio import *` reads __all__, which lists the names
    # that load on first use as well as the ones the import made.
    for cmd in ([sys.executable, "-c", STAR], [interp.executable("micropython"), "-c", STAR]):
        p = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, timeout=60,
                           env=dict(os.environ, MICROPYPATH=ROOT + ":.frozen"))
        assert p.returncode == 0, p.stderr
        assert p.stdout.strip() == "gather Queue TaskGroup True start_server", (cmd[0], p.stdout)
