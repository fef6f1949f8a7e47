/**
 * The built `care-window/dynamodb` and `care-window/redis` entries through package.json
 * `exports` (the package resolving itself by name), in ESM and CJS, and the promise that no
 * adapter SDK is reachable from the root entry or from the adapters themselves: no import of
 * `@aws-sdk/*`, `redis` or `ioredis` anywhere in dist/ (issue 16).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../runtime/helpers.js";

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

const node = (args: string[]) => {
  const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: "utf8", timeout: 60_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout };
};

const probe = `JSON.stringify({
  dynamo: typeof d.createDynamoStore, ensure: typeof d.ensureTable, redis: typeof r.createRedisStore,
  sameError: d.StoreRetryableError === r.StoreRetryableError,
  store: Object.keys(r.createRedisStore({ client: { sendCommand: async () => null } })).sort().join(","),
})`;

describe("adapter entries through package.json exports", () => {
  it("ESM import of care-window/dynamodb and care-window/redis", () => {
    const r = node([
      "--input-type=module",
      "-e",
      `const d = await import("care-window/dynamodb"); const r = await import("care-window/redis"); console.log(${probe});`,
    ]);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      dynamo: "function",
      ensure: "function",
      redis: "function",
      sameError: true,
      store:
        "countDelivery,putTemplate,readCatalog,readForDecision,readThread,serviceCount,writeThread",
    });
  });

  it("CJS require of care-window/dynamodb and care-window/redis", () => {
    const r = node([
      "-e",
      `const d = require("care-window/dynamodb"); const r = require("care-window/redis"); console.log(${probe});`,
    ]);
    expect(r.status, r.out).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ dynamo: "function", redis: "function" });
  });

  it("no file reachable from any entry imports an adapter SDK (static import graph of dist/)", () => {
    const bare = new Set<string>();
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(
        /(?:^|\n)\s*(?:import|export)[^"'\n]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g,
      )) {
        const spec = m[1] ?? m[2] ?? m[3] ?? "";
        if (spec.startsWith(".")) {
          const next = resolve(dirname(file), spec);
          if (existsSync(next)) visit(next);
        } else {
          bare.add(
            spec
              .split("/")
              .slice(0, spec.startsWith("@") ? 2 : 1)
              .join("/"),
          );
        }
      }
    };
    for (const entry of ["index", "dynamodb", "redis"]) {
      for (const ext of [".js", ".cjs"]) visit(join(ROOT, "dist", `${entry}${ext}`));
    }
    expect(seen.size).toBeGreaterThan(10);
    for (const sdk of ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "redis", "ioredis"]) {
      expect([...bare]).not.toContain(sdk);
    }
  });
});
