/**
 * The packed tarball as a user gets it: `npm pack` → `npm install <tgz>` into a project outside
 * the repository, exactly as a user installs it: the runtime dependencies come from the npm
 * registry (or from the npm cache when it already holds them; `--prefer-offline`), so the test
 * passes with an empty cache (`.ci/run` runs it with one) and does not depend on what an earlier
 * `npm ci` left there. A failed install fails the suite: there is no fallback.
 *
 * Then: ESM import and CJS require of `care-window`, `care-window/testing` and
 * `care-window/postgres` at runtime; `tsc` type-checking consumer files under `moduleResolution`
 * nodenext (ESM and CJS) and bundler; and the installed `care-window` bin running every command
 * printed in its `--help` texts and in docs/cli.md, as printed.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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
    // No update check, audit or funding lookups: the registry is asked for packages only.
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
  // As a user installs it: the registry is reachable (here and in CI); `--prefer-offline` only
  // saves a metadata round trip when the cache already holds a dependency.
  const install = run(
    npm,
    [
      "install",
      tarball,
      "--prefer-offline",
      "--no-audit",
      "--no-fund",
      "--ignore-scripts",
      "--no-package-lock",
    ],
    app,
  );
  if (install.status !== 0) {
    throw new Error(
      `npm install <tarball> failed (exit ${install.status}); the registry must be reachable, as for any user:\n${install.out}`,
    );
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

/** The commands of a help text's Examples section, `\` continuations joined. */
function helpCommands(text: string): string[] {
  return text
    .slice(text.indexOf("\nExamples"))
    .replace(/\\\n\s*/g, "")
    .split("\n")
    .filter((line) => /^\s+care-window /.test(line))
    .map((line) => line.trim());
}

/** The commands of docs/cli.md: the lines of ```sh blocks, and `$ ` lines of ```text transcripts. */
function docCommands(page: string): string[] {
  const out: string[] = [];
  for (const [, kind, body] of page.matchAll(/```(sh|text)\n([\s\S]*?)```/g)) {
    for (const line of (body as string).replace(/\\\n\s*/g, "").split("\n")) {
      if (kind === "text") {
        if (line.startsWith("$ ")) out.push(line.slice(2).trim());
        continue;
      }
      const command = line.replace(/\s+#.*$/, "").trim();
      if (command !== "" && !command.startsWith("#")) out.push(command);
    }
  }
  return out;
}

describe("the installed `care-window` bin runs every command its --help and docs/cli.md print", () => {
  const bash = (command: string, cwd: string) => {
    const r = spawnSync("bash", ["-o", "pipefail", "-c", command], {
      cwd,
      encoding: "utf8",
      timeout: 120_000,
      env: {
        ...process.env,
        PATH: `${join(app(), "node_modules", ".bin")}:${process.env["PATH"] ?? ""}`,
        npm_config_update_notifier: "false",
      },
    });
    return { status: r.status, stdout: r.stdout ?? "", out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
  };

  it("in a fresh folder: `care-window demo` first, then every example, each exits 0", () => {
    const bin = join(app(), "node_modules", ".bin", "care-window");
    const helps = [[], ["explain"], ["replay"], ["demo"]].map((topic) => {
      const r = run(bin, [...topic, "--help"], app());
      expect(r.status, r.out).toBe(0);
      return r.stdout;
    });
    const fromHelp = helps.flatMap(helpCommands);
    const fromDocs = docCommands(readFileSync(join(ROOT, "docs", "cli.md"), "utf8"));
    // Installing is what this suite did above, from the packed tarball; a clone's commands
    // (`npm run cli -- …`) run in this repository, after the README's `npm ci`.
    const installs: string[] = fromDocs.filter((c) => c === "npm install care-window");
    const clone = fromDocs.filter((c) => c.startsWith("npm run cli -- "));
    const user = fromDocs.filter((c) => !installs.includes(c) && !clone.includes(c));
    expect(fromHelp[0], "the first example of --help writes the sample log").toBe(
      "care-window demo",
    );
    expect(fromHelp.length).toBeGreaterThanOrEqual(12);
    expect(user.length).toBeGreaterThanOrEqual(5);
    expect(clone.length).toBeGreaterThanOrEqual(1);
    for (const command of [...fromHelp, ...user]) {
      expect(command, "a package user's command runs care-window").toMatch(
        /(^|\| )(npx )?care-window /,
      );
    }
    // Inside the consumer project, so `npx care-window` finds its installed bin (no download).
    const work = join(app(), "work");
    mkdirSync(work);
    const ran: string[] = [];
    for (const command of [...fromHelp, ...user]) {
      const r = bash(command, work);
      expect(r.status, `${command}\n${r.out}`).toBe(0);
      if (!/ > /.test(command)) expect(r.stdout.length, command).toBeGreaterThan(0);
      ran.push(command);
    }
    for (const command of clone) {
      const r = bash(command, ROOT);
      expect(r.status, `${command}\n${r.out}`).toBe(0);
      ran.push(command);
    }
    expect(ran.length).toBe(fromHelp.length + user.length + clone.length);
    expect(readFileSync(join(work, "shop-day.ndjson"), "utf8")).toBe(
      readFileSync(join(ROOT, "demo", "data", "shop-day.ndjson"), "utf8"),
    );
  }, 600_000);
});
