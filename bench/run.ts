/**
 * `npm run bench`: builds if needed, then runs the core benchmarks and, when present, the
 * storage (bench/store.bench.ts) and parser (bench/parse.bench.ts) benchmarks. Those files either
 * run their benches when imported, or export a runner (`default`, or a `run…Bench` function).
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";

const root = new URL("..", import.meta.url);
if (!existsSync(new URL("dist/index.js", root))) {
  console.log("dist/ is missing: building with tsdown …");
  execFileSync("npx", ["tsdown"], { cwd: root, stdio: "inherit" });
}

console.log(
  `node ${process.version} · ${os.cpus()[0]?.model ?? "cpu"} · ${os.availableParallelism()} cores\n`,
);

const { runCoreBench } = await import("./core.bench.js");
console.log("## core\n");
await runCoreBench();

for (const name of ["store.bench.ts", "parse.bench.ts", "cli.bench.ts"]) {
  const file = new URL(name, import.meta.url);
  if (!existsSync(file)) {
    console.log(`\n(${name} not present, skipped)`);
    continue;
  }
  console.log(`\n## ${name.replace(".bench.ts", "")}\n`);
  // A file either runs on import (parse.bench.ts) or exports a runner: `default`, or a
  // `run…Bench` function (store.bench.ts's `runStoreBench` prints as it goes).
  const mod = (await import(file.href)) as Record<string, unknown>;
  const runner =
    mod["default"] ??
    Object.entries(mod).find(
      ([key, value]) => /^run\w*Bench$/.test(key) && typeof value === "function",
    )?.[1];
  if (typeof runner === "function") await (runner as () => Promise<unknown>)();
}
