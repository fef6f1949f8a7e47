/**
 * Starts a throwaway PostgreSQL server for tests and benchmarks: a fresh data directory in a
 * temp dir, trust auth, listening only on 127.0.0.1 on a free port. As root, the server binaries
 * run as the `postgres` OS user (initdb refuses root). Where no server binaries exist the caller
 * gets `undefined` and a loud warning — never a silent skip.
 */

import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./free-port.js";

const run = promisify(execFile);

export interface PgServer {
  readonly url: string;
  readonly port: number;
  readonly version: string;
  stop(): Promise<void>;
}

function findBinDir(): string | undefined {
  const fromEnv = process.env["PG_BIN_DIR"];
  if (fromEnv !== undefined && existsSync(join(fromEnv, "initdb"))) return fromEnv;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  const preferred = versions.includes("15") ? "15" : versions[0];
  return preferred === undefined ? undefined : join(root, preferred, "bin");
}

export function warnNoPostgres(what: string): void {
  const line = "!".repeat(78);
  console.warn(
    `\n${line}\n!!! NO POSTGRESQL SERVER BINARIES FOUND (looked in /usr/lib/postgresql/*/bin and $PG_BIN_DIR)\n!!! SKIPPING: ${what}\n!!! These tests did NOT run. Install postgresql-15 to run them.\n${line}\n`,
  );
}

/** Starts a server, or returns `undefined` (after a loud warning) when no binaries exist. */
export async function startPostgres(): Promise<PgServer | undefined> {
  const bin = findBinDir();
  if (bin === undefined) return undefined;
  const asRoot = typeof process.getuid === "function" && process.getuid() === 0;
  const exec = (cmd: string, args: string[]) =>
    asRoot
      ? run("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args])
      : run(join(bin, cmd), args);
  const dir = mkdtempSync(join(tmpdir(), "care-window-pg-"));
  chmodSync(dir, 0o777);
  const data = join(dir, "data");
  const port = await freePort();
  await exec("initdb", [
    "-D",
    data,
    "-A",
    "trust",
    "-U",
    "postgres",
    "-E",
    "UTF8",
    "--locale=C",
    "--no-sync",
  ]);
  const serverOptions = [
    "-c listen_addresses=127.0.0.1",
    `-p ${port}`,
    `-k ${dir}`,
    "-c fsync=off",
    "-c synchronous_commit=off",
    "-c full_page_writes=off",
    "-c max_connections=200",
  ].join(" ");
  await exec("pg_ctl", [
    "-D",
    data,
    "-o",
    serverOptions,
    "-l",
    join(dir, "log"),
    "-w",
    "-t",
    "60",
    "start",
  ]);
  const { stdout } = await exec("postgres", ["--version"]);
  let stopped = false;
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    version: stdout.trim(),
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await exec("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
