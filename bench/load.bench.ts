/**
 * Cold start of `import "care-window"` against a bare `node` (issue 14): paired runs, side by
 * side in one process, so machine load hits both alike. Each round starts `node -e ""` and
 * `node --input-type=module -e 'await import(<entry>)'` back to back (order alternating) and
 * times the wall clock of each child; the ratio of the medians is printed per entry.
 *
 * `npx tsdown && npx tsx bench/load.bench.ts [rounds] [label=path/to/file.js …]` (default 25
 * rounds). Extra `label=path` arguments measure other builds in the same run, e.g. a 0.1.0
 * `dist/index.js` for a before/after ratio side by side.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { relative, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));

/** The entries a host imports, as files of the built package (what `exports` points at). */
const ENTRIES: readonly (readonly [string, string])[] = [
  ["care-window", "dist/index.js"],
  ["care-window/whatsapp", "dist/whatsapp.js"],
  ["care-window (CJS require)", "dist/index.cjs"],
];

function wall(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: "ignore" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited ${r.status}`);
  return ms;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

export function runLoadBench(
  rounds = 25,
  extra: readonly (readonly [string, string])[] = [],
): void {
  for (const [name, file] of [...ENTRIES, ...extra]) {
    if (!existsSync(`${root}/${file}`)) {
      console.log(`${name}: ${file} is missing (build first), skipped`);
      continue;
    }
    const url = pathToFileURL(`${root}/${file}`).href;
    const load = file.endsWith(".cjs")
      ? ["-e", `require(${JSON.stringify(`${root}/${file}`)})`]
      : ["--input-type=module", "-e", `await import(${JSON.stringify(url)})`];
    const bare: number[] = [];
    const loaded: number[] = [];
    wall(["-e", ""]); // warm the file cache
    wall(load);
    for (let i = 0; i < rounds; i++) {
      if (i % 2 === 0) {
        bare.push(wall(["-e", ""]));
        loaded.push(wall(load));
      } else {
        loaded.push(wall(load));
        bare.push(wall(["-e", ""]));
      }
    }
    const b = median(bare);
    const l = median(loaded);
    console.log(
      `${name.padEnd(28)} bare node ${b.toFixed(1)} ms · with import ${l.toFixed(1)} ms · ` +
        `ratio ${(l / b).toFixed(2)}x (median of ${rounds} paired runs)`,
    );
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const extra = process.argv
    .slice(3)
    .map((a) => a.split("=") as [string, string])
    .map(([label, path]) => [label, relative(root, resolve(path))] as const);
  runLoadBench(Number(process.argv[2] ?? 25), extra);
}
