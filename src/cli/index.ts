#!/usr/bin/env node
/**
 * The `care-window` executable (built to `dist/cli.js`): wires {@link main} to the Node process.
 * This is the one file under `src/` that uses Node APIs: nothing in the library imports it, the
 * library's type check (tsconfig.json, no Node types) excludes it, the test type check
 * (tsconfig.test.json, with Node types) covers it, and biome's Node-module ban is lifted for it.
 * It is also the only place the CLI reads the clock: `io.now`, used by `--at now` alone.
 *
 * @example
 * ```sh
 * npx care-window replay demo/data/shop-day.ndjson
 * npx tsx src/cli/index.ts explain --help
 * ```
 *
 * @module
 */
import { readFile } from "node:fs/promises";
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

async function readStdin(): Promise<string> {
  process.stdin.setEncoding("utf8");
  let text = "";
  for await (const chunk of process.stdin) text += chunk;
  return text;
}

const io: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readFile: (path) => readFile(path, "utf8"),
  readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  version: (await version()) ?? "unknown",
  // The CLI's one clock read, for `--at now` only; every other moment comes from the input.
  now: () => Date.now(),
};

process.exitCode = await main(process.argv.slice(2), io);
