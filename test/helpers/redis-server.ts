/**
 * Starts a throwaway `redis-server` for tests and benchmarks: 127.0.0.1 only, a free port, a
 * fresh directory in a temp dir, append-only file with `appendfsync always` (the setting
 * docs/storage-redis.md recommends). `kill()` sends SIGKILL (no clean shutdown) and `start()`
 * brings it back on the same port and directory. Where no binary exists the caller gets
 * `undefined` and a loud warning — never a silent skip.
 */

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  readonly version: string;
  /** SIGKILL: the process dies without saving or flushing anything. */
  kill(): Promise<void>;
  /** Starts it again (same port and data directory) and waits until it answers. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function findBinary(): string | undefined {
  const fromEnv = process.env["REDIS_SERVER_BIN"];
  if (fromEnv !== undefined && existsSync(fromEnv)) return fromEnv;
  for (const p of [
    "/usr/bin/redis-server",
    "/usr/local/bin/redis-server",
    "/usr/sbin/redis-server",
  ]) {
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function warnNoRedis(what: string): void {
  const line = "!".repeat(78);
  console.warn(
    `\n${line}\n!!! NO redis-server BINARY FOUND (looked in /usr/bin, /usr/local/bin and $REDIS_SERVER_BIN)\n!!! SKIPPING: ${what}\n!!! These tests did NOT run. Install it (Debian: apt-get install -y redis-server) to run them.\n${line}\n`,
  );
}

/** Resolves once something accepts TCP connections and answers PING with PONG. */
async function waitForPong(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = createConnection({ host: "127.0.0.1", port });
      let data = "";
      socket.on("connect", () => socket.write("PING\r\n"));
      socket.on("data", (chunk) => {
        data += chunk.toString();
        if (data.includes("\r\n")) {
          socket.destroy();
          resolve(data.startsWith("+PONG"));
        }
      });
      socket.on("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** Starts a server, or returns `undefined` (after a loud warning by the caller) when no binary exists. */
export async function startRedis(): Promise<RedisServer | undefined> {
  const bin = findBinary();
  if (bin === undefined) return undefined;
  const dir = mkdtempSync(join(tmpdir(), "care-window-redis-"));
  const port = await freePort();
  const version = execFileSync(bin, ["--version"], { encoding: "utf8" }).trim();
  let child: ChildProcess | undefined;
  const args = [
    "--port",
    String(port),
    "--bind",
    "127.0.0.1",
    "--dir",
    dir,
    "--appendonly",
    "yes",
    "--appendfsync",
    "always",
    "--save",
    "",
    "--daemonize",
    "no",
    "--protected-mode",
    "yes",
    "--logfile",
    join(dir, "redis.log"),
  ];
  const launch = async () => {
    child = spawn(bin, args, { stdio: "ignore" });
    await waitForPong(port);
  };
  const exited = async () => {
    const c = child;
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return;
    await new Promise<void>((resolve) => c.once("exit", () => resolve()));
  };
  await launch();
  let stopped = false;
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    version,
    async kill() {
      child?.kill("SIGKILL");
      await exited();
    },
    async start() {
      await launch();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      child?.kill("SIGKILL");
      await exited();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
