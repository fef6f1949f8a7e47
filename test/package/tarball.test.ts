/**
 * The packed tarball as a user gets it: `npm pack` → `npm install <tgz> --offline` into a
 * project outside the repository → ESM import and CJS require of `care-window`,
 * `care-window/testing` and `care-window/postgres` at runtime, and `tsc` type-checking
 * consumer files under `moduleResolution` nodenext (ESM and CJS) and bundler. No network: the
 * three dependencies come from the npm cache this repository's `npm ci` filled.
 */
import { spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuilt, ROOT } from "../runtime/helpers.js";

let dir: string;
let tarball: string;

function run(cmd: string, args: readonly string[], cwd: string) {
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: "utf8",
    timeout: 120_000,
    // No network from npm: no update check, no audit, no funding lookups.
    env: { ...process.env, npm_config_update_notifier: "false", npm_config_audit: "false" },
  });
  return { status: r.status, out: `${r.stdout ?? ""}${r.stderr ?? ""}`, stdout: r.stdout ?? "" };
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";

// The same program in both module systems: the window opens on an inbound (CSW-1) and is
// closed at exactly T+24h (CSW-2); signatures round-trip; the subpaths load.
const program = (imports: string) => `${imports}
const clock = createClock("2026-11-26T09:00:00Z");
const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
const thread = { business: "106540352242922", customer: "5511987654321" };
const main = async () => {
  await care.record([{ kind: "inbound", id: "wamid.A", type: "text", at: clock.ms, thread }]);
  const open = await care.decide(thread, { kind: "free-form" });
  clock.advance({ hours: 24 });
  const closed = await care.decide(thread, { kind: "free-form" });
  const header = await signBody('{"a":"\\\\/"}', "secret");
  const verified = await verifySignature('{"a":"\\\\/"}', header, "secret");
  const sql = schemaSql();
  console.log(JSON.stringify({
    open: open.outcome, closesAt: open.window.closesAt, closed: closed.outcome, verified,
    postgres: typeof createPostgresStore, sql: typeof sql === "string" || Array.isArray(sql),
  }));
};
main();
`;

beforeAll(async () => {
  await ensureBuilt();
  dir = mkdtempSync(join(tmpdir(), "care-window-consumer-"));
  // dist is built above; --ignore-scripts skips the prepack build, whose output would break --json.
  const pack = run(
    npm,
    ["pack", "--json", "--offline", "--ignore-scripts", "--pack-destination", dir],
    ROOT,
  );
  if (pack.status !== 0) throw new Error(`npm pack failed:\n${pack.out}`);
  const json = pack.stdout.slice(pack.stdout.indexOf("["));
  const [info] = JSON.parse(json) as { filename: string; files: { path: string }[] }[];
  tarball = join(dir, info!.filename);

  const app = join(dir, "app");
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }),
  );
  const install = run(
    npm,
    [
      "install",
      tarball,
      "--offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
    ],
    app,
  );
  if (install.status !== 0) {
    // The npm cache lacks a dependency (a machine that never ran `npm ci`): unpack the tarball
    // by hand and copy the three runtime dependencies from this repository instead.
    console.warn(`npm install --offline failed, unpacking by hand:\n${install.out}`);
    const target = join(app, "node_modules", "care-window");
    mkdirSync(target, { recursive: true });
    const untar = run("tar", ["-xzf", tarball, "-C", target, "--strip-components=1"], app);
    if (untar.status !== 0) throw new Error(`tar failed:\n${untar.out}`);
    const deps = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      dependencies: Record<string, string>;
    };
    for (const dep of Object.keys(deps.dependencies)) {
      cpSync(join(ROOT, "node_modules", dep), join(app, "node_modules", dep), { recursive: true });
    }
  }

  writeFileSync(
    join(app, "esm.mjs"),
    program(`import { createCareWindow, createMemoryStore } from "care-window";
import { signBody, verifySignature } from "care-window/whatsapp";
import { createClock } from "care-window/testing";
import { createPostgresStore, schemaSql } from "care-window/postgres";`),
  );
  writeFileSync(
    join(app, "cjs.cjs"),
    program(`const { createCareWindow, createMemoryStore } = require("care-window");
const { signBody, verifySignature } = require("care-window/whatsapp");
const { createClock } = require("care-window/testing");
const { createPostgresStore, schemaSql } = require("care-window/postgres");`),
  );

  // Type-level consumers. The @ts-expect-error lines fail the check if the types were `any`.
  const typed = `import { createCareWindow, createMemoryStore, type Decision, type Intent } from "care-window";
import { verifySignature } from "care-window/whatsapp";
import { createClock, type TestClock } from "care-window/testing";
import { createPostgresStore, type Queryable } from "care-window/postgres";

const clock: TestClock = createClock("2026-11-26T09:00:00Z");
const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
const intent: Intent = { kind: "template", category: "utility", name: "order_update" };
export async function check(client: Queryable): Promise<string> {
  const d: Decision = await care.decide({ business: "1", customer: "2" }, intent);
  const ok: boolean = await verifySignature(new Uint8Array(0), "sha256=00", "s");
  createPostgresStore({ client });
  // @ts-expect-error: an unknown intent kind is a type error
  await care.decide({ business: "1", customer: "2" }, { kind: "fax" });
  // @ts-expect-error: outcome is a closed union
  const never: "maybe" = d.outcome;
  return \`\${d.outcome} \${ok} \${never}\`;
}
`;
  writeFileSync(join(app, "consumer.ts"), typed);
  writeFileSync(join(app, "consumer.cts"), typed);
  const base = {
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    target: "ES2022",
    lib: ["ES2022"],
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  writeFileSync(
    join(app, "tsconfig.nodenext.json"),
    JSON.stringify({
      compilerOptions: { ...base, module: "NodeNext", moduleResolution: "NodeNext" },
      files: ["consumer.ts", "consumer.cts"],
    }),
  );
  writeFileSync(
    join(app, "tsconfig.bundler.json"),
    JSON.stringify({
      compilerOptions: { ...base, module: "ESNext", moduleResolution: "Bundler" },
      files: ["consumer.ts"],
    }),
  );
  writeFileSync(
    join(app, "tsconfig.preserve.json"),
    JSON.stringify({
      compilerOptions: { ...base, module: "Preserve", moduleResolution: "Bundler" },
      files: ["consumer.ts"],
    }),
  );
}, 180_000);

afterAll(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
});

const app = () => join(dir, "app");
const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");

describe("packed tarball consumer", () => {
  it("the tarball holds dist/ for every entry and no tests", () => {
    const listing = run("tar", ["-tzf", tarball], dir).stdout;
    for (const entry of ["index", "testing", "postgres"]) {
      for (const ext of [".js", ".cjs", ".d.ts", ".d.cts"]) {
        expect(listing).toContain(`package/dist/${entry}${ext}`);
      }
    }
    expect(listing).not.toMatch(/package\/test\//);
    expect(existsSync(join(app(), "node_modules", "care-window", "dist", "index.js"))).toBe(true);
    const installed = JSON.parse(
      readFileSync(join(app(), "node_modules", "care-window", "package.json"), "utf8"),
    ) as { version: string };
    const ours = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      version: string;
    };
    expect(installed.version).toBe(ours.version);
  });

  for (const [name, file] of [
    ["ESM import", "esm.mjs"],
    ["CJS require", "cjs.cjs"],
  ] as const) {
    it(`${name}: root, /testing and /postgres load and decide (CSW-1, CSW-2)`, () => {
      const r = run(process.execPath, [file], app());
      expect(r.status, r.out).toBe(0);
      const result = JSON.parse(r.stdout.trim()) as Record<string, unknown>;
      expect(result).toMatchObject({
        open: "session",
        closesAt: "2026-11-27T09:00:00.000Z",
        verified: true,
        postgres: "function",
        sql: true,
      });
      expect(result["closed"]).not.toBe("session");
    });
  }

  for (const config of ["nodenext", "bundler", "preserve"]) {
    it(`tsc type-checks a consumer under moduleResolution ${config}`, () => {
      const r = run(
        process.execPath,
        [tsc, "-p", `tsconfig.${config}.json`, "--pretty", "false"],
        app(),
      );
      expect(r.out).toBe("");
      expect(r.status).toBe(0);
    });
  }

  it("every `bin` of package.json is installed and runs (`--help` exits 0)", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      bin?: Record<string, string>;
    };
    const bins = Object.keys(pkg.bin ?? {});
    for (const name of bins) {
      const r = run(join(app(), "node_modules", ".bin", name), ["--help"], app());
      expect(r.status, `${name} --help\n${r.out}`).toBe(0);
      expect(r.stdout.length).toBeGreaterThan(0);
    }
  });

  it("the type check can fail: a misuse is reported", () => {
    writeFileSync(
      join(app(), "broken.ts"),
      'import { createCareWindow } from "care-window";\ncreateCareWindow({ store: 42 });\n',
    );
    writeFileSync(
      join(app(), "tsconfig.broken.json"),
      JSON.stringify({
        extends: "./tsconfig.nodenext.json",
        files: ["broken.ts"],
      }),
    );
    const r = run(
      process.execPath,
      [tsc, "-p", "tsconfig.broken.json", "--pretty", "false"],
      app(),
    );
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/broken\.ts\(2,\d+\): error TS2322/);
  });
});
