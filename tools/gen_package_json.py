"""Write package.json, mip's description of zsync_mp, from the package's files.

    python tools/gen_package_json.py           # (re)write package.json at the repository root
    python tools/gen_package_json.py --check   # exit 1 if the committed one is stale

With it, `mpremote mip install github:<owner>/<repo>` (or a local checkout:
`mpremote mip install <checkout>/package.json`), or `mip.install(...)` on a
board with network, copies the runtime into the board's /lib. The file list
is the one the firmware freezes: ports/zsync_manifest.py is run as
MicroPython's makemanifest runs it (its package() call captured here), so
host-only modules are left out by the same rule, and a module added or moved
under zsync_mp/ needs nothing here, only this command run again.
"""
import json
import os
import sys
import tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUTPUT = "package.json"
COMMAND = "python tools/gen_package_json.py"
LEAVE_OUT = "ZSYNC_FREEZE_LEAVE_OUT"  # a firmware build's per-board choice: mip installs it all


def run_manifest(root=ROOT, leave_out=None):
    """The arguments of the manifest's package() call: {name, files, base_path, opt}.
    The manifest runs in its own directory, as makemanifest runs it, with
    ZSYNC_FREEZE_LEAVE_OUT set to `leave_out` (unset when None)."""
    manifest = os.path.join(root, "ports", "zsync_manifest.py")
    got = {}

    def package(name, files, base_path=".", opt=None):
        got.update(name=name, files=files, base_path=base_path, opt=opt)

    with open(manifest) as f:
        code = compile(f.read(), manifest, "exec")
    cwd, env = os.getcwd(), os.environ.pop(LEAVE_OUT, None)
    if leave_out is not None:
        os.environ[LEAVE_OUT] = leave_out
    try:
        os.chdir(os.path.dirname(manifest))
        exec(code, {"package": package})
    finally:
        os.chdir(cwd)
        os.environ.pop(LEAVE_OUT, None)
        if env is not None:
            os.environ[LEAVE_OUT] = env
    if not got:
        raise SystemExit("%s: the manifest called no package()" % manifest)
    return got


def package_json(root=ROOT):
    """mip's package.json as a dict: each frozen file copied to <target>/<name>/<file>
    from the same path relative to the repository root."""
    m = run_manifest(root)
    src = os.path.relpath(os.path.normpath(os.path.join(root, "ports", m["base_path"], m["name"])), root)
    urls = []
    for rel in sorted(f.replace(os.sep, "/") for f in m["files"]):
        urls.append([m["name"] + "/" + rel, src.replace(os.sep, "/") + "/" + rel])
    with open(os.path.join(root, "pyproject.toml"), "rb") as f:
        version = tomllib.load(f)["project"]["version"]
    return {"urls": urls, "deps": [], "version": version}


# One [dest, source] pair a line, as micropython-lib writes them.
def render(data):
    pairs = ",\n".join("    " + json.dumps(pair) for pair in data["urls"])
    rest = "".join(',\n  %s: %s' % (json.dumps(k), json.dumps(v)) for k, v in data.items() if k != "urls")
    return '{\n  "urls": [\n%s\n  ]%s\n}\n' % (pairs, rest)


def main(argv, root=ROOT):
    data = package_json(root)
    text = render(data)
    path = os.path.join(root, OUTPUT)
    if argv == ["--check"]:
        try:
            with open(path) as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        if not same:
            print("%s does not list zsync_mp's files as they are now: run `%s`" % (OUTPUT, COMMAND), file=sys.stderr)
        return 0 if same else 1
    if argv:
        print(__doc__.strip().splitlines()[0] + "\nusage: %s [--check]" % COMMAND, file=sys.stderr)
        return 2
    with open(path, "w") as f:
        f.write(text)
    print("wrote %s: %d files, version %s" % (path, len(data["urls"]), data["version"]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
