// Run Python scripts on MicroPython WebAssembly under Node (npm
// @micropython/micropython-webassembly-pyscript, pinned in package.json here;
// `npm ci` in this directory installs it).
//
//   node zsync_mp_host/wasm/run.mjs [opts] SCRIPT [ARGS...]   one script: its stdout and
//        stderr stream through, the exit status is the script's (1 for an
//        uncaught exception, the code of sys.exit, 124 on --timeout)
//   node zsync_mp_host/wasm/run.mjs --batch [opts] SCRIPT...  each script in a fresh
//        interpreter, one JSON line per script: {script, rc, out, err, ms}
//
// Options: --path DIR (repeatable): copy what import can reach from DIR (its
// .py/.json files and packages) into the in-memory FS at the same absolute
// path and put DIR on sys.path;
// --env K=V (repeatable) — the script's os.getenv() sees these plus every
// ZSYNC_* variable of this process (the port has no getenv of its own);
// --file FILE (repeatable): copy one more file (a board description) to its
// absolute path; --cwd DIR: the script's working directory (created if need be);
// --heapsize BYTES (default 2M, as the unix port runs in tests);
// --timeout SECONDS per script (a Worker is terminated; rc 124);
// --jobs N scripts at once in --batch mode (default 1);
// --npm-dir DIR: import the npm package from DIR/node_modules instead of the
// one beside this file (an installed zsync-mp: `zsync-mp setup-wasm` puts it
// in a per-user directory, since node_modules cannot ship in a wheel).
// Contract: each script runs in its own Worker and interpreter, as __main__,
// with sys.argv = [script, ARGS...] and its own directory first on sys.path,
// like the unix port. Nothing persists between scripts.
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const SELF = fileURLToPath(import.meta.url);
const NPM_PACKAGE = "@micropython/micropython-webassembly-pyscript";
const SKIP_DIRS = new Set(["__pycache__", "node_modules", ".venv", ".git", ".pytest_cache", ".hypothesis"]);

// What `import` can reach from dir, as [path, bytes] pairs: its .py/.json
// files, and the packages under it (directories with an __init__.py).
function collect(dir, out, pkgs) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    let st;
    try { st = statSync(p); } catch { continue; }
    if (st.isDirectory()) {
      if (SKIP_DIRS.has(name) || name.startsWith(".")) continue;
      let pkg = false;
      try { pkg = statSync(join(p, "__init__.py")).isFile(); } catch { pkg = false; }
      if (pkg || pkgs) collect(p, out, true);
    } else if (name.endsWith(".py") || name.endsWith(".json")) {
      out.push([p, readFileSync(p)]);
    }
  }
  return out;
}

// Python that runs the script as __main__ and leaves its exit status in _zs_rc.
function driver(script, argv, paths, env, cwd) {
  const lit = (v) => JSON.stringify(v);
  return `
import sys, os
${cwd ? "os.chdir(" + lit(cwd) + ")" : ""}
os.getenv = lambda k, d=None, _e=${lit(env)}: _e.get(k, d)
sys.path[:0] = ${lit([dirname(script), ...paths])}
sys.argv[:] = ${lit([script, ...argv])}
_zs_rc = 0
try:
    with open(${lit(script)}) as _zs_f:
        _zs_code = compile(_zs_f.read(), ${lit(script)}, "exec")
    exec(_zs_code, {"__name__": "__main__", "__file__": ${lit(script)}})
except SystemExit as _zs_e:
    _zs_c = _zs_e.args[0] if _zs_e.args else None
    if _zs_c is None:
        _zs_rc = 0
    elif isinstance(_zs_c, int):
        _zs_rc = _zs_c
    else:
        print(_zs_c, file=sys.stderr)
        _zs_rc = 1
except BaseException as _zs_e:
    sys.print_exception(_zs_e, sys.stderr)
    _zs_rc = 1
`;
}

// Worker side: one interpreter, one script; streams output to the parent.
async function workerMain() {
  const { script, argv, paths, env, files, heapsize, cwd, npmDir } = workerData;
  const { loadMicroPython } = await import(npmDir ?
    pathToFileURL(createRequire(join(npmDir, "package.json")).resolve(NPM_PACKAGE)).href : NPM_PACKAGE);
  // Output is sent a line at a time (the port calls back once per byte).
  const bufs = { out: [], err: [] };
  const flush = (kind) => {
    if (bufs[kind].length) parentPort.postMessage({ kind, bytes: Uint8Array.from(bufs[kind]) });
    bufs[kind] = [];
  };
  const sink = (kind) => (bytes) => {
    for (const b of bytes) {
      bufs[kind].push(b);
      if (b === 10) flush(kind);
    }
  };
  const mp = await loadMicroPython({ heapsize, linebuffer: false, stdout: sink("out"), stderr: sink("err") });
  for (const [p, bytes] of files) {
    mp.FS.mkdirTree(dirname(p));
    mp.FS.writeFile(p, bytes);
  }
  if (cwd) mp.FS.mkdirTree(cwd);
  let rc;
  try {
    mp.runPython(driver(script, argv, paths, env, cwd));
    rc = mp.globals.get("_zs_rc");
  } catch (e) {
    parentPort.postMessage({ kind: "err", bytes: new TextEncoder().encode(String(e.message || e) + "\n") });
    rc = 1;
  }
  flush("out");
  flush("err");
  parentPort.postMessage({ kind: "done", rc });
}

// Main side: run one script in a Worker; onData(kind, bytes) gets its output.
function runOne(script, argv, opts, onData) {
  const t0 = Date.now();
  const files = [];
  const seen = new Set();
  for (const d of [dirname(script), ...opts.paths]) {
    if (seen.has(d)) continue;
    seen.add(d);
    collect(d, files, false);
  }
  for (const f of opts.files) files.push([f, readFileSync(f)]);
  return new Promise((done) => {
    const w = new Worker(SELF, {
      workerData: { script, argv, paths: opts.paths, env: opts.env, files, heapsize: opts.heapsize, cwd: opts.cwd,
                   npmDir: opts.npmDir },
    });
    let rc = null;
    let timer = null;
    const finish = (code) => {
      if (timer) clearTimeout(timer);
      done({ rc: code, ms: Date.now() - t0 });
    };
    if (opts.timeout > 0) {
      timer = setTimeout(() => {
        onData("err", new TextEncoder().encode("[wasm: timed out after " + opts.timeout + "s]\n"));
        rc = 124;
        w.terminate();
      }, opts.timeout * 1000);
    }
    w.on("message", (m) => {
      if (m.kind === "done") rc = m.rc;
      else onData(m.kind, m.bytes);
    });
    w.on("error", (e) => {
      onData("err", new TextEncoder().encode("[wasm: " + (e && e.message) + "]\n"));
      if (rc === null) rc = 1;
    });
    w.on("exit", () => finish(rc === null ? 1 : rc));
  });
}

function parseArgs(args) {
  const opts = { paths: [], files: [], cwd: null, env: {}, heapsize: 2 * 1024 * 1024, timeout: 0, jobs: 1, batch: false,
                 npmDir: null };
  for (const [k, v] of Object.entries(process.env)) if (k.startsWith("ZSYNC_")) opts.env[k] = v;
  let i = 0;
  const need = (flag) => {
    if (i + 1 >= args.length) usage(flag + " needs a value");
    return args[++i];
  };
  for (; i < args.length && args[i].startsWith("--"); i++) {
    const a = args[i];
    if (a === "--batch") opts.batch = true;
    else if (a === "--path") opts.paths.push(resolve(need(a)));
    else if (a === "--file") {
      const f = resolve(need(a));
      try { readFileSync(f); } catch (e) { usage("cannot read --file " + f + ": " + e.code); }
      opts.files.push(f);
    } else if (a === "--cwd") opts.cwd = resolve(need(a));
    else if (a === "--env") {
      const kv = need(a);
      const eq = kv.indexOf("=");
      if (eq < 1) usage("--env needs K=V, got " + JSON.stringify(kv));
      opts.env[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (a === "--heapsize") opts.heapsize = parseInt(need(a), 10);
    else if (a === "--timeout") opts.timeout = parseFloat(need(a));
    else if (a === "--jobs") opts.jobs = Math.max(1, parseInt(need(a), 10));
    else if (a === "--npm-dir") {
      opts.npmDir = resolve(need(a));
      try { statSync(join(opts.npmDir, "node_modules", NPM_PACKAGE)); } catch {
        usage("--npm-dir " + opts.npmDir + " has no node_modules/" + NPM_PACKAGE + " (npm ci there)");
      }
    }
    else usage("unknown option " + a);
  }
  const rest = args.slice(i);
  if (!rest.length) usage("no script given");
  return [opts, rest];
}

function usage(msg) {
  process.stderr.write("run.mjs: " + msg + "\nusage: node run.mjs [--batch] [--path DIR]... [--file F]... [--env K=V]... " +
    "[--cwd DIR] [--heapsize N] [--timeout S] [--jobs N] [--npm-dir DIR] SCRIPT [ARGS...]\n");
  process.exit(2);
}

async function main() {
  // A reader that went away (`| head`) ends the run quietly.
  for (const s of [process.stdout, process.stderr]) s.on("error", () => process.exit(process.exitCode || 0));
  const [opts, rest] = parseArgs(process.argv.slice(2));
  if (!opts.batch) {
    const script = resolve(rest[0]);
    try { statSync(script); } catch { usage("no such script: " + rest[0]); }
    const { rc } = await runOne(script, rest.slice(1), opts, (kind, bytes) =>
      (kind === "out" ? process.stdout : process.stderr).write(bytes));
    process.exitCode = rc;
    return;
  }
  const queue = rest.map((s) => resolve(s));
  const worker = async () => {
    while (queue.length) {
      const script = queue.shift();
      const out = [];
      const err = [];
      let res;
      try {
        statSync(script);
        res = await runOne(script, [], opts, (kind, bytes) => (kind === "out" ? out : err).push(Buffer.from(bytes)));
      } catch (e) {
        err.push(Buffer.from("[wasm: " + e.message + "]\n"));
        res = { rc: 2, ms: 0 };
      }
      process.stdout.write(JSON.stringify({
        script, rc: res.rc, ms: res.ms,
        out: Buffer.concat(out).toString("utf8"), err: Buffer.concat(err).toString("utf8"),
      }) + "\n");
    }
  };
  await Promise.all(Array.from({ length: opts.jobs }, worker));
}

if (isMainThread) await main();
else await workerMain();
