/**
 * The package as registries and type checkers see it: `publint --strict` and
 * `attw --pack . --profile node16` (the lead's `npm run check:package`) must both be clean.
 * Their output is printed so CI logs show it.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../runtime/helpers.js";

beforeAll(async () => {
  await ensureBuilt();
});

function bin(name: string, args: readonly string[]) {
  const r = spawnSync(join(ROOT, "node_modules", ".bin", name), args, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    // attw and publint run `npm pack`: keep npm off the network (no update check).
    env: {
      ...process.env,
      NO_COLOR: "1",
      FORCE_COLOR: "0",
      npm_config_update_notifier: "false",
      npm_config_offline: "true",
    },
  });
  return {
    status: r.status,
    out: `${r.stdout ?? ""}${r.stderr ?? ""}`.replace(/^npm warn.*\n/gm, ""),
  };
}

describe("package lint", () => {
  it("publint --strict: All good", () => {
    const r = bin("publint", ["--strict"]);
    console.log(r.out);
    expect(r.out).toContain("All good!");
    expect(r.status).toBe(0);
  });

  it("attw --pack . --profile node16: no problems for node16 (CJS, ESM) and bundler", () => {
    const r = bin("attw", ["--pack", ".", "--profile", "node16", "--format", "json"]);
    expect(r.status, r.out).toBe(0);
    const report = JSON.parse(r.out.slice(r.out.indexOf("{"))) as {
      problems: Record<string, { kind: string; entrypoint: string; resolutionKind?: string }[]>;
      analysis: { entrypoints: Record<string, unknown> };
    };
    // The node16 profile ignores node10, which cannot see subpath `exports`.
    const problems = Object.values(report.problems)
      .flat()
      .filter((p) => p.resolutionKind !== "node10");
    console.log(
      `attw: entry points ${Object.keys(report.analysis.entrypoints).join(", ")}; problems outside node10: ${problems.length}`,
    );
    expect(problems).toEqual([]);
    expect(Object.keys(report.analysis.entrypoints)).toEqual(
      expect.arrayContaining([
        ".",
        "./whatsapp",
        "./messenger",
        "./timeline",
        "./testing",
        "./postgres",
      ]),
    );
  }, 180_000); // attw packs the package: over 60 s on a loaded 2-core machine
});
