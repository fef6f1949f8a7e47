#!/usr/bin/env node
/**
 * The `care-window` executable (built to `dist/cli.js`): wires {@link main} to the Node process.
 * This is the one file under `src/` that uses Node APIs: nothing in the library imports it, the
 * library's type check (tsconfig.json, no Node types) excludes it, the test type check
 * (tsconfig.test.json, with Node types) covers it, and biome's Node-module ban is lifted for it.
 * It is also the only place the CLI reads the wall clock: `io.now`, used by `--at now` alone
 * (`io.elapsed`, a monotonic clock, only times the progress line on a terminal).
 *
 * @example
 * ```sh
 * npx care-window demo && npx care-window replay shop-day.ndjson
 * npm run cli -- explain --help     # in a clone of the repository, from the sources
 * ```
 *
 * @module
 */
import { createReadStream } from "node:fs";
import { readFile, writeFile } from "node:fs/promises";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { type CliIo, main } from "./main.js";

/** The version of the package this file ships in (nearest `package.json` named care-window). */
async function version(): Promise<string | undefined> {
  for (const up of ["../package.json", "../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(await readFile(new URL(up, import.meta.url), "utf8")) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === "care-window") return pkg.version;
    } catch {
      // not there: try one level up
    }
  }
  return undefined;
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  // Streams of UTF-8 chunks: the CLI folds a log while reading it (64 KiB reads).
  readFile: (path) => createReadStream(path, { encoding: "utf8", highWaterMark: 1 << 16 }),
  readStdin: () => process.stdin.setEncoding("utf8"),
  writeFile: (path, text) => writeFile(path, text, { flag: "wx" }),
  stdinIsTTY: process.stdin.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  elapsed: () => performance.now(),
  version: (await version()) ?? "unknown",
  // The CLI's one clock read, for `--at now` only; every other moment comes from the input.
  now: () => Date.now(),
};

process.exitCode = await main(process.argv.slice(2), io);
