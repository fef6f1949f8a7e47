import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parseArgs, parseInstant, UsageError } from "../../src/cli/args.js";
import { parseLog } from "../../src/cli/input.js";
import { type CliIo, main } from "../../src/cli/main.js";

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const DEMO = "demo/data/shop-day.ndjson";
const demoText = readFileSync(root(DEMO), "utf8");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `main` in-process with an in-memory file system. */
async function run(
  argv: readonly string[],
  options: { files?: Record<string, string>; stdin?: string; tty?: boolean } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const files: Record<string, string> = { [DEMO]: demoText, ...options.files };
  const io: CliIo = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: async (path) => {
      const text = files[path];
      if (text === undefined) {
        throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
      }
      return text;
    },
    readStdin: async () => options.stdin ?? "",
    stdinIsTTY: options.tty ?? options.stdin === undefined,
    version: "9.9.9-test",
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const BUSINESS = "106540352242922";
const BRUNO = "5511976543210";
const DIEGO = "5531987650000";
const FELIPE = "5551987001122";

/** One WhatsApp text-message webhook body. */
const textBody = (customer: string, at: string, id = "wamid.X"): string =>
  JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
              messages: [
                {
                  from: customer,
                  id,
                  timestamp: String(Date.parse(at) / 1000),
                  type: "text",
                  text: { body: "hi" },
                },
              ],
            },
          },
        ],
      },
    ],
  });

describe("care-window --help / --version", () => {
  it("--help teaches: commands, input, the --at default, examples, exit codes", async () => {
    const r = await run(["--help"]);
    expect(r.code).toBe(0);
    for (const part of [
      "care-window explain",
      "care-window replay",
      "LATEST EVENT TIME",
      "Examples",
      "Exit codes",
      '{"record"',
    ]) {
      expect(r.stdout).toContain(part);
    }
    expect((await run([])).stdout).toBe(r.stdout);
    expect((await run(["explain", "-h"])).stdout).toBe(r.stdout);
  });

  it("--version prints the version", async () => {
    expect(await run(["--version"])).toEqual({ code: 0, stdout: "9.9.9-test\n", stderr: "" });
    expect((await run(["-V"])).stdout).toBe("9.9.9-test\n");
  });
});

describe("care-window replay", () => {
  it("prints every thread's decisions in a table, its state and the explanations", async () => {
    const r = await run(["replay", DEMO]);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    expect(r.stdout).toContain("Replayed 36 entries");
    expect(r.stdout).toContain("8 threads");
    expect(r.stdout).toContain("Decisions at 2026-11-26 18:45 UTC (the latest event in the input");
    const row = r.stdout.split("\n").find((l) => l.startsWith(`Diego ${DIEGO}`));
    expect(row).toMatch(
      /open until 27 Nov 12:38 .*yes, free .*yes, charged .*no \(marketing-stopped\)/,
    );
    expect(r.stdout).toContain("marketing stopped: 2026-11-26 12:38");
    expect(r.stdout).toContain("(messenger)");
    expect(r.stdout).toContain("(instagram)");
  });

  it("--json gives every thread with state and a decision summary per intent", async () => {
    const r = await run(["replay", "--json", "--at", "2026-11-27T20:00:00Z", DEMO]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.command).toBe("replay");
    expect(json.atSource).toBe("option");
    expect(json.threads).toHaveLength(8);
    const bruno = json.threads.find(
      (t: { thread: { customer: string } }) => t.thread.customer === BRUNO,
    );
    expect(bruno.name).toBe("Bruno");
    expect(bruno.decisions.marketing).toMatchObject({
      outcome: "template",
      reason: "window-closed",
      charge: "free",
      pricingType: "free_entry_point",
      freeEntryPoint: { open: true, source: "platform", closesAt: "2026-11-29T10:09:01.000Z" },
    });
    expect(bruno.state.referral.ad).toBe(Date.parse("2026-11-26T10:03:00Z"));
    expect(Object.keys(bruno.decisions)).toEqual(["free-form", "utility", "marketing"]);
  });

  it("filters by --channel and --intent", async () => {
    const r = await run([
      "replay",
      "--json",
      "--channel",
      "messenger",
      "--intent",
      "free-form",
      DEMO,
    ]);
    const json = JSON.parse(r.stdout);
    expect(json.threads).toHaveLength(1);
    expect(json.threads[0].thread.channel).toBe("messenger");
    expect(Object.keys(json.threads[0].decisions)).toEqual(["free-form"]);
  });

  it("--no-require-opt-in lets a template go to a customer with no opt-in (OPEN-17)", async () => {
    const strict = JSON.parse((await run(["replay", "--json", "--customer", FELIPE, DEMO])).stdout);
    const loose = JSON.parse(
      (await run(["replay", "--json", "--no-require-opt-in", "--customer", FELIPE, DEMO])).stdout,
    );
    expect(strict.threads[0].decisions.utility.reason).toBe("no-opt-in");
    expect(loose.threads[0].decisions.utility).toMatchObject({
      outcome: "template",
      reason: "window-closed-by-error",
    });
  });
});

describe("care-window explain", () => {
  it("prints one decision per intent, the reasons, alternatives, rules and a timeline", async () => {
    const r = await run(["explain", "--customer", BRUNO, "--at", "2026-11-27T20:00:00Z", DEMO]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`Bruno ${BRUNO} · whatsapp ${BUSINESS}`);
    expect(r.stdout).toContain("at 2026-11-27 20:00 UTC\n");
    expect(r.stdout).toContain("free entry point  free until 29 Nov 10:09");
    expect(r.stdout).toMatch(/free-form\s+may not go: template \(window-closed\)/);
    expect(r.stdout).toMatch(/marketing\s+may go: template \(window-closed\), free \(FEP\)/);
    expect(r.stdout).toMatch(/authentication\s+may not go: blocked \(no-opt-in\)/);
    expect(r.stdout).toContain("rules: CSW-1, CSW-2");
    expect(r.stdout).toContain("free entry (platform)  2026-11-26 10:09 → 2026-11-29 10:09");
    expect(r.stdout).toContain("customer   ");
  });

  it("defaults --at to the latest event in the input, not the clock, and says so", async () => {
    const r = await run(["explain", "--json", "--customer", DIEGO, DEMO]);
    const json = JSON.parse(r.stdout);
    expect(json.at).toBe("2026-11-26T18:45:00.000Z");
    expect(json.atSource).toBe("input");
    const text = await run(["explain", "--customer", DIEGO, DEMO]);
    expect(text.stdout).toContain("(the latest event in the input; pass --at");
  });

  it("--json: decisions with explanation, alternatives and rules, and the folded state", async () => {
    const r = await run([
      "explain",
      "--json",
      "--thread",
      `${BUSINESS}:${DIEGO}`,
      "--intent",
      "marketing,free-form",
      "--at",
      "2026-11-26T16:00:00Z",
      DEMO,
    ]);
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.thread).toEqual({ channel: "whatsapp", business: BUSINESS, customer: DIEGO });
    expect(json.decisions.map((d: { name: string }) => d.name)).toEqual(["marketing", "free-form"]);
    const marketing = json.decisions[0].decision;
    expect(marketing.outcome).toBe("blocked");
    expect(marketing.reason).toBe("marketing-stopped");
    expect(marketing.explanation).toContain("stopped marketing");
    expect(marketing.rules.map((x: { id: string }) => x.id)).toContain("CONSENT-5");
    expect(json.decisions[1].decision.outcome).toBe("session");
    expect(json.state.marketing.on).toBe(Date.parse("2026-11-26T12:38:02Z"));
  });

  it("reads stdin, and a JSON array document", async () => {
    const body = textBody("5511999990000", "2026-11-26T09:00:00Z");
    const viaStdin = await run(["explain", "--json"], { stdin: body });
    expect(viaStdin.code).toBe(0);
    expect(JSON.parse(viaStdin.stdout).decisions[0].decision.outcome).toBe("session");
    const arr = `[\n${body},\n${textBody("5511999990000", "2026-11-26T11:00:00Z", "wamid.Y")}\n]\n`;
    const viaArray = await run(["explain", "--json", "a.json"], { files: { "a.json": arr } });
    expect(JSON.parse(viaArray.stdout).at).toBe("2026-11-26T11:00:00.000Z");
    const viaDash = await run(["explain", "--json", "-"], { stdin: body });
    expect(viaDash.code).toBe(0);
  });

  it("exit 2 when several threads match and none is chosen, listing them", async () => {
    const r = await run(["explain", DEMO]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain("the input holds 8 threads; choose one with --customer");
    expect(r.stderr).toContain(`--thread ${BUSINESS}:${BRUNO}`);
    expect(r.stderr).toContain('Run "care-window --help"');
  });

  it("exit 1 when the asked thread is not in the input", async () => {
    const r = await run(["explain", "--customer", "5500000000000", DEMO]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("no events for the thread you asked for");
  });
});

describe("bad input: clear messages with file and line, exit 1", () => {
  it("a line that is not JSON names file:line", async () => {
    const lines = demoText.split("\n");
    lines[2] = '{"object": "whatsapp_business_account", "entry": [';
    const r = await run(["replay", "bad.ndjson"], { files: { "bad.ndjson": lines.join("\n") } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^care-window: bad\.ndjson:3: not valid JSON/);
    expect(r.stdout).toBe("");
  });

  it("a line that is JSON but not an object names file:line", async () => {
    const r = await run(["replay", "n.ndjson"], {
      files: { "n.ndjson": `${textBody("5511999990000", "2026-11-26T09:00:00Z")}\n\n[1,2]\n` },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("n.ndjson:3: expected a webhook body (a JSON object), got an array");
  });

  it("a pretty-printed JSON document with a syntax error names its line", async () => {
    const r = await run(["replay", "p.json"], {
      files: { "p.json": '{\n  "object": "x",\n  "entry": [,]\n}\n' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("p.json:3: not valid JSON");
  });

  it("an invalid host record names file:line and the field", async () => {
    const bad = `${textBody("5511999990000", "2026-11-26T09:00:00Z")}\n{"record":[{"kind":"consent","action":"opt-in","scope":"all","source":"x","at":"yesterday","thread":{"business":"1","customer":"2"}}]}\n`;
    const r = await run(["replay", "r.ndjson"], { files: { "r.ndjson": bad } });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("r.ndjson:2: record[0].at is not an ISO 8601 instant");
    const bad2 =
      '{"record":[{"kind":"consent","action":"maybe","scope":"all","source":"x","at":"2026-11-26T09:00:00Z","thread":{"business":"1","customer":"2"}}]}\n';
    const r2 = await run(["replay", "r2.ndjson"], { files: { "r2.ndjson": bad2 } });
    expect(r2.code).toBe(1);
    expect(r2.stderr).toContain("r2.ndjson:1:");
    expect(r2.stderr).toContain("action");
  });

  it("an unreadable file, or input without events", async () => {
    const missing = await run(["replay", "nope.ndjson"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toBe("care-window: nope.ndjson: cannot read the file (no such file)\n");
    const empty = await run(["replay", "e.ndjson"], { files: { "e.ndjson": "\n\n" } });
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain("warning: e.ndjson: no webhook bodies");
    expect(empty.stderr).toContain("no events");
  });

  it("webhook issues are warnings on stderr, and the rest is still used (exit 0)", async () => {
    const body = JSON.parse(textBody("5511999990000", "2026-11-26T09:00:00Z"));
    body.entry[0].changes[0].value.messages.push({
      from: "5511999990000",
      id: "wamid.Z",
      timestamp: "soon",
      type: "text",
      text: { body: "x" },
    });
    const r = await run(["explain", "w.json"], { files: { "w.json": JSON.stringify(body) } });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^warning: w\.json:1: entry\[0\]\.changes\[0\]\.value\.messages\[1\]\.timestamp: invalid-timestamp/,
    );
    expect(r.stdout).toMatch(/free-form\s+may go: session \(window-open\)/);
  });
});

describe("usage errors: exit 2", () => {
  const cases: [string, readonly string[], string][] = [
    ["unknown command", ["frobnicate", DEMO], 'unknown command "frobnicate"'],
    ["unknown option", ["replay", "--bogus", DEMO], 'unknown option "--bogus"'],
    ["--at without a zone", ["replay", "--at", "2026-11-27T12:00", DEMO], "has no time zone"],
    ["--at not a date", ["replay", "--at", "tomorrow", DEMO], "--at must be an ISO 8601 instant"],
    ["bad --intent", ["replay", "--intent", "promo", DEMO], "--intent must be one of"],
    ["bad --channel", ["replay", "--channel", "sms", DEMO], "--channel must be"],
    [
      "bad --thread",
      ["explain", "--thread", "nocolon", DEMO],
      "--thread must be business:customer",
    ],
    [
      "bad --time-zone",
      ["replay", "--time-zone", "Mars/Olympus", DEMO],
      "is not an IANA time zone",
    ],
    ["missing value", ["replay", DEMO, "--customer"], "--customer needs a value"],
    ["no input on a terminal", ["replay"], "no input"],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const r = await run(argv);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(message);
      expect(r.stdout).toBe("");
    });
  }

  it("parseArgs accepts --flag=value, repeated --intent and -- before file names", () => {
    const a = parseArgs([
      "explain",
      "--customer=55",
      "--intent",
      "utility",
      "--intent=marketing,utility",
      "--",
      "--odd-file.json",
    ]);
    expect(a).toMatchObject({
      command: "explain",
      customer: "55",
      intents: ["utility", "marketing"],
      files: ["--odd-file.json"],
    });
    expect(() => parseArgs(["replay", "--json=yes"])).toThrow(UsageError);
    expect(parseInstant("2026-11-27")).toBe(Date.parse("2026-11-27T00:00:00Z"));
    expect(parseInstant("2026-11-27T09:00:00-03:00")).toBe(Date.parse("2026-11-27T12:00:00Z"));
  });

  it("parseLog keeps line numbers across blank lines", () => {
    expect(parseLog('{"a":1}\n\n{"b":2}\n', "x").map((e) => e.line)).toEqual([1, 3]);
  });
});

describe("the executable", () => {
  it("runs as a process (dist/cli.js when built, else the source through tsx)", () => {
    const dist = root("dist/cli.js");
    const argv = existsSync(dist)
      ? [dist]
      : [root("node_modules/tsx/dist/cli.mjs"), root("src/cli/index.ts")];
    const version = execFileSync(process.execPath, [...argv, "--version"], { encoding: "utf8" });
    expect(version.trim()).toBe(JSON.parse(readFileSync(root("package.json"), "utf8")).version);
    const bad = spawnSync(process.execPath, [...argv, "replay", "--bogus"], { encoding: "utf8" });
    expect(bad.status).toBe(2);
    const piped = spawnSync(process.execPath, [...argv, "explain", "--customer", DIEGO, "--json"], {
      input: demoText,
      encoding: "utf8",
    });
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout).thread.customer).toBe(DIEGO);
  });
});
