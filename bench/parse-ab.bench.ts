/**
 * parseWebhook of two source trees side by side in one run (issue 14 item 3: the wire schemas
 * on zod/mini against classic zod), each against `JSON.parse` of the same text. The bodies are
 * those of bench/parse.bench.ts.
 *
 * Each measurement runs in its own child process, alternating A, B, A, B, …: one process that
 * loaded both trees would run classic and mini schemas through the same zod core functions, and
 * the mixed shapes slow both (in such a process B/A read 1.10–1.13 where separate processes give
 * about 1.0). The median CPU time per body of each tree is compared with the median of
 * `JSON.parse` in the same processes, so load on a shared machine hits all alike.
 *
 * Run: npx tsx bench/parse-ab.bench.ts <treeA> <treeB> [rounds]
 * e.g. `git worktree add --detach ../main-tree main` (then link or install its node_modules) and
 *      `npx tsx bench/parse-ab.bench.ts ../main-tree . 7`
 */
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { batch, one } from "./bodies.js";

type Parse = (body: string) => { events: unknown[]; issues: unknown[] };
interface Sample {
  readonly label: string;
  readonly json: number;
  readonly parse: number;
}

/** CPU time per call, in ms. */
function cpuMs(fn: () => unknown, n: number): number {
  for (let i = 0; i < 30; i++) fn();
  const start = process.cpuUsage();
  for (let i = 0; i < n; i++) fn();
  const d = process.cpuUsage(start);
  return (d.user + d.system) / n / 1000;
}
const median = (xs: number[]): number =>
  [...xs].sort((x, y) => x - y)[xs.length >> 1] ?? Number.NaN;

if (process.argv[2] === "--child") {
  const dir = process.argv[3] ?? ".";
  const { parseWebhook } = (await import(
    pathToFileURL(resolve(dir, "src/whatsapp/parse.ts")).href
  )) as { parseWebhook: Parse };
  const big = batch();
  const r = parseWebhook(big);
  if (r.events.length !== 2_000 || r.issues.length !== 0) {
    throw new Error(`${dir}: unexpected parse result`);
  }
  const samples: Sample[] = [];
  for (const [label, body, n] of [
    ["one message", one, 10_000],
    ["1,000 updates", big, 100],
  ] as const) {
    // Five alternations per process; the first ones warm the JIT, the medians are kept.
    const json: number[] = [];
    const parse: number[] = [];
    for (let k = 0; k < 5; k++) {
      json.push(cpuMs(() => JSON.parse(body), n));
      parse.push(cpuMs(() => parseWebhook(body), n));
    }
    samples.push({ label, json: median(json), parse: median(parse) });
  }
  console.log(JSON.stringify(samples));
} else {
  const [dirA, dirB] = [process.argv[2], process.argv[3]];
  if (dirA === undefined || dirB === undefined) {
    throw new Error("usage: npx tsx bench/parse-ab.bench.ts <treeA> <treeB> [rounds]");
  }
  const rounds = Number(process.argv[4] ?? 7);
  const self = fileURLToPath(import.meta.url);
  const runs = new Map<string, Sample[][]>([
    [dirA, []],
    [dirB, []],
  ]);
  for (let i = 0; i < rounds; i++) {
    for (const dir of i % 2 === 0 ? [dirA, dirB] : [dirB, dirA]) {
      const child = spawnSync(process.execPath, [...process.execArgv, self, "--child", dir], {
        encoding: "utf8",
      });
      if (child.status !== 0) throw new Error(`${dir}: ${child.stderr}`);
      runs.get(dir)?.push(JSON.parse(child.stdout.trim().split("\n").at(-1) ?? "[]") as Sample[]);
    }
  }
  console.log(`A = ${dirA}, B = ${dirB}: ${rounds} child processes each, alternating`);
  for (const label of ["one message", "1,000 updates"]) {
    const of = (dir: string, key: "json" | "parse") =>
      median(
        (runs.get(dir) ?? []).map((s) => s.find((x) => x.label === label)?.[key] ?? Number.NaN),
      );
    const ratio = (dir: string) =>
      median(
        (runs.get(dir) ?? []).map((s) => {
          const x = s.find((y) => y.label === label);
          return x === undefined ? Number.NaN : x.parse / x.json;
        }),
      );
    console.log(
      `${label}: A ${of(dirA, "parse").toFixed(3)} ms (${ratio(dirA).toFixed(2)}x JSON.parse), ` +
        `B ${of(dirB, "parse").toFixed(3)} ms (${ratio(dirB).toFixed(2)}x JSON.parse), ` +
        `B/A ${(of(dirB, "parse") / of(dirA, "parse")).toFixed(2)}; JSON.parse ${of(dirA, "json").toFixed(3)} / ${of(dirB, "json").toFixed(3)} ms`,
    );
  }
}
