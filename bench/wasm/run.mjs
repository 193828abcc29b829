// Run bench suites on MicroPython WebAssembly (npm
// @micropython/micropython-webassembly-pyscript, installed here by `npm ci --prefix bench/wasm`).
// Usage: node bench/wasm/run.mjs SUITE [--quick|--tiny] [--only=KEY]  (env ZSYNC_SRC: where zsync_mp/ is)
// Copies zsync_mp/ and bench/*.py into the in-memory FS, then awaits the suite's
// jobs with harness.measure_async (this port's asyncio rides the JS event loop:
// it has no asyncio.run). Prints the harness's one BENCH line.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const bench = dirname(here);
const root = dirname(bench);
const [suite, ...flags] = process.argv.slice(2);
if (!suite || !/^[a-z_]+$/.test(suite)) {
  console.error("usage: node bench/wasm/run.mjs SUITE [--quick|--tiny]");
  process.exit(2);
}

const mp = await loadMicroPython({
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});

// Copy every .py under src into the FS at dst.
function copyTree(src, dst) {
  mp.FS.mkdirTree(dst);
  for (const name of readdirSync(src)) {
    const p = join(src, name);
    if (statSync(p).isDirectory()) {
      if (name !== "__pycache__") copyTree(p, dst + "/" + name);
    } else if (name.endsWith(".py")) {
      mp.FS.writeFile(dst + "/" + name, readFileSync(p));
    }
  }
}

copyTree(join(process.env.ZSYNC_SRC || root, "zsync_mp"), "/lib/zsync_mp");
mp.FS.mkdirTree("/bench");
for (const name of readdirSync(bench)) {
  if (name.endsWith(".py")) mp.FS.writeFile("/bench/" + name, readFileSync(join(bench, name)));
}

mp.FS.writeFile("/bench/_bench_flags.py", "ARGV = " + JSON.stringify(flags) + "\n");
try {
  await mp.runPythonAsync(`
import sys
sys.path.insert(0, "/bench")
sys.path.insert(0, "/lib")
import harness as H
import b_${suite} as S
H.emit("${suite}", await H.measure_async(S.jobs()))
`);
} catch (e) {
  // Only the Python traceback: node would print the whole minified module.
  console.error(e.name === "PythonError" ? e.message : String(e));
  process.exit(1);
}
