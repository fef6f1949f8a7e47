/**
 * A big log through the built CLI (issue 11): 200,000 bodies over 2,000 threads replayed by
 * `dist/cli.js` in a child process, which reports its own peak RSS (bench/max-rss.mjs). The
 * 0.1.0 CLI crashed from 125 k bodies on (`entries.push(...parsed)`: call stack exceeded) and
 * held the whole log in memory; now the log is folded line by line, so memory follows the
 * threads, not the bodies: ten times the bodies over the same threads must not add the size of
 * the extra input (78 MB) to the peak.
 *
 * Also: the progress line shows on a terminal only, and a bad line deep in a stream is named
 * by file and line.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BigLogFacts, writeBigLog } from "../../bench/cli-log.js";
import { type CliIo, main } from "../../src/cli/main.js";
import { ensureBuilt, ROOT } from "../runtime/helpers.js";

let dir: string;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "care-window-big-log-"));
}, 240_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

interface ChildRun {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly maxRssMb: number;
}

function replayInChild(file: string, extra: readonly string[] = []): ChildRun {
  const rssFile = `${file}.rss`;
  const r = spawnSync(
    process.execPath,
    [join(ROOT, "bench", "max-rss.mjs"), join(ROOT, "dist", "cli.js")]
      .flatMap((p, i) => (i === 0 ? ["--import", p] : [p]))
      .concat(["replay", ...extra, file]),
    {
      encoding: "utf8",
      maxBuffer: 1 << 28,
      timeout: 600_000,
      env: { ...process.env, CARE_WINDOW_MAX_RSS_FILE: rssFile },
    },
  );
  const use = JSON.parse(readFileSync(rssFile, "utf8")) as { maxRSS: number };
  return {
    status: r.status,
    stdout: r.stdout ?? "",
    stderr: r.stderr ?? "",
    maxRssMb: use.maxRSS / 1024,
  };
}

const summaryOf = (facts: BigLogFacts): RegExp =>
  new RegExp(
    `^Replayed ${facts.bodies} entries: ${facts.bodies} events, ${facts.threads} threads, (\\d+) changed no state \\(redeliveries, echoes\\), 0 warnings\\.$`,
  );

describe("a 200,000-body log through dist/cli.js", () => {
  it("replays it, prints the right summary, and peak memory follows the threads, not the log", async () => {
    const runs: { facts: BigLogFacts; run: ChildRun }[] = [];
    for (const bodies of [20_000, 200_000]) {
      const file = join(dir, `log-${bodies}.ndjson`);
      const facts = await writeBigLog(file, { bodies, threads: 2_000 });
      const run = replayInChild(file);
      rmSync(file, { force: true });
      expect(run.status, run.stderr).toBe(0);
      // stderr is a pipe here: no progress line, no warnings.
      expect(run.stderr).toBe("");
      const lines = run.stdout.split("\n");
      const m = summaryOf(facts).exec(lines[0] ?? "");
      expect(m, lines[0]).not.toBeNull();
      // Redeliveries change nothing (CSW-4); statuses after a newer send may not either.
      expect(Number(m?.[1])).toBeGreaterThanOrEqual(facts.redeliveries);
      const at = new Date(facts.latestAt).toISOString().slice(0, 16).replace("T", " ");
      expect(lines[1]).toBe(
        `Decisions at ${at} UTC (the latest event in the input; pass --at to choose another moment, or --at now).`,
      );
      // One section per thread after the table, every customer named from contacts[].
      expect(run.stdout.match(/^C\d+ 55119\d{8} · whatsapp 106540352242922$/gm)?.length).toBe(
        facts.threads,
      );
      runs.push({ facts, run });
    }
    const [small, big] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const extraInputMb = (big.facts.bytes - small.facts.bytes) / 1e6;
    console.log(
      `peak RSS: ${small.facts.bodies} bodies ${small.run.maxRssMb.toFixed(0)} MB, ${big.facts.bodies} bodies ${big.run.maxRssMb.toFixed(0)} MB (input +${extraInputMb.toFixed(0)} MB)`,
    );
    expect(extraInputMb).toBeGreaterThan(70);
    expect(big.run.maxRssMb - small.run.maxRssMb).toBeLessThan(extraInputMb * 0.75);
    expect(big.run.maxRssMb).toBeLessThan(200);
  }, 900_000);
});

describe("streaming details", () => {
  const io = (
    files: Record<string, string>,
    tty: boolean,
  ): CliIo & { readonly out: string[]; readonly err: string[] } => {
    const out: string[] = [];
    const err: string[] = [];
    let clock = 0;
    return {
      out,
      err,
      stdout: (t) => out.push(t),
      stderr: (t) => err.push(t),
      async *readFile(path) {
        const text = files[path];
        if (text === undefined) throw Object.assign(new Error("ENOENT"), { code: "ENOENT" });
        for (let i = 0; i < text.length; i += 4096) yield text.slice(i, i + 4096);
      },
      async *readStdin() {},
      stderrIsTTY: tty,
      // Each read of the monotonic clock moves it 300 ms: every check may print.
      elapsed: () => {
        clock += 300;
        return clock;
      },
    };
  };

  it("a progress line on a terminal (bodies, threads, rate), erased at the end; none on a pipe", async () => {
    const file = join(dir, "progress.ndjson");
    await writeBigLog(file, { bodies: 5_000, threads: 50 });
    const files = { "p.ndjson": readFileSync(file, "utf8") };
    const terminal = io(files, true);
    expect(await main(["replay", "--intent", "free-form", "p.ndjson"], terminal)).toBe(0);
    const progress = terminal.err.filter((t) => t.includes("reading:"));
    expect(progress.length).toBeGreaterThanOrEqual(2);
    const erase = "\r\u001b[K"; // back to the line's start, erase it
    expect(progress[0]?.startsWith(`${erase}reading: 1,024 bodies, 50 threads, `)).toBe(true);
    expect(progress[0]).toMatch(/, [\d,]+ bodies\/s$/);
    expect(terminal.err.at(-1)).toBe(erase);
    expect(terminal.out.join("")).toMatch(/^Replayed 5000 entries/);
    const pipe = io(files, false);
    expect(await main(["replay", "--intent", "free-form", "p.ndjson"], pipe)).toBe(0);
    expect(pipe.err).toEqual([]);
    expect(pipe.out.join("")).toBe(terminal.out.join(""));
  });

  it("a bad line deep in a stream is named by file and line (CRLF line ends count too)", async () => {
    const file = join(dir, "bad.ndjson");
    await writeBigLog(file, { bodies: 3_000, threads: 10 });
    const good = readFileSync(file, "utf8").replace(/\n/g, "\r\n");
    const r = io({ "bad.ndjson": `${good}{"object": oops}\r\n` }, false);
    expect(await main(["replay", "bad.ndjson"], r)).toBe(1);
    expect(r.out).toEqual([]);
    expect(r.err.join("")).toMatch(/^care-window: bad\.ndjson:3001: not valid JSON/);
  });
});
