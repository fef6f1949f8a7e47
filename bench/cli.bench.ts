/**
 * The CLI's streaming replay on a big log (issue 11): generates NDJSON logs of 100,000 and
 * 1,000,000 WhatsApp bodies over 10,000 threads (bench/cli-log.ts), replays each through the
 * built `dist/cli.js` in a child process, and prints bodies per second and the child's peak RSS
 * (`process.resourceUsage().maxRSS`, via bench/max-rss.mjs), side by side in one run, with the
 * RSS of a bare `node` as the floor. Targets: peak RSS under 200 MB for 1 M bodies over 10 k
 * threads, and at least 20 k bodies/s.
 *
 * Run: `npm run build && npx tsx bench/cli.bench.ts` (`--bodies 1000000 --threads 10000`
 * to change the big log). `npm run bench` runs it too.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { writeBigLog } from "./cli-log.js";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = join(ROOT, "dist", "cli.js");
const RSS = join(ROOT, "bench", "max-rss.mjs");

interface Measured {
  readonly label: string;
  readonly bodies: number;
  readonly seconds: number;
  readonly maxRssMb: number;
  /** CPU time of the child (user + system), seconds. */
  readonly cpuSeconds: number;
  readonly summary: string;
}

function measure(label: string, args: readonly string[], dir: string, bodies: number): Measured {
  const rssFile = join(dir, `${label.replace(/\W+/g, "-")}.rss`);
  const started = performance.now();
  const r = spawnSync(process.execPath, ["--import", RSS, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
    env: { ...process.env, CARE_WINDOW_MAX_RSS_FILE: rssFile },
  });
  const seconds = (performance.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status}\n${r.stderr}`);
  const use = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRSS: number; cpuMs: number };
  return {
    label,
    bodies,
    seconds,
    maxRssMb: use.maxRSS / 1024,
    cpuSeconds: use.cpuMs / 1000,
    summary: (r.stdout ?? "").split("\n")[0] ?? "",
  };
}

const option = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at === -1 ? fallback : Number(process.argv[at + 1]);
};

/**
 * Runs the benchmark and prints a table.
 *
 * @example
 * ```ts
 * await runCliBench({ bodies: 1_000_000, threads: 10_000 });
 * ```
 */
export async function runCliBench(
  options: { readonly bodies?: number; readonly threads?: number } = {},
): Promise<Measured[]> {
  const bodies = options.bodies ?? option("--bodies", 1_000_000);
  const threads = options.threads ?? option("--threads", 10_000);
  const dir = mkdtempSync(join(tmpdir(), "care-window-cli-bench-"));
  try {
    const small = Math.max(1, Math.floor(bodies / 10));
    const rows: Measured[] = [measure("node -e ''", ["-e", ""], dir, 0)];
    for (const n of [small, bodies]) {
      const file = join(dir, `log-${n}.ndjson`);
      const facts = await writeBigLog(file, { bodies: n, threads });
      console.log(
        `generated ${n.toLocaleString("en-US")} bodies over ${facts.threads.toLocaleString("en-US")} threads: ${(facts.bytes / 1e6).toFixed(0)} MB`,
      );
      rows.push(measure(`replay ${n}`, [CLI, "replay", file], dir, n));
      rm(file);
    }
    console.log("");
    console.log(
      "| run | bodies | wall s | bodies/s (wall) | CPU s | bodies per CPU-second | peak RSS (MB) |",
    );
    console.log("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    const per = (n: number, s: number): string =>
      n === 0 ? "-" : Math.round(n / s).toLocaleString("en-US");
    for (const m of rows) {
      console.log(
        `| ${m.label} | ${m.bodies.toLocaleString("en-US")} | ${m.seconds.toFixed(1)} | ${per(m.bodies, m.seconds)} | ${m.cpuSeconds.toFixed(1)} | ${per(m.bodies, m.cpuSeconds)} | ${m.maxRssMb.toFixed(0)} |`,
      );
    }
    const [, a, b] = rows as [Measured, Measured, Measured];
    console.log(
      `\npeak RSS ratio ${b.bodies / a.bodies}x the bodies: ${(b.maxRssMb / a.maxRssMb).toFixed(2)}x; summary: ${b.summary}`,
    );
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rm(file: string): void {
  rmSync(file, { force: true });
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runCliBench();
}
