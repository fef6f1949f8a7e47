import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseArgs, parseInstant, UsageError } from "../../src/cli/args.js";
import { parseLog, readIsoInstant } from "../../src/cli/input.js";
import {
  type CliIo,
  DEMO_HELP,
  EXPLAIN_HELP,
  HELP,
  main,
  REPLAY_HELP,
} from "../../src/cli/main.js";

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const DEMO = "demo/data/shop-day.ndjson";
const demoText = readFileSync(root(DEMO), "utf8");

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * A file's text in small chunks (17 characters: lines and multi-byte characters get cut), or
 * ENOENT when it is missing, as a read stream would reject.
 */
async function* chunked(text: string | undefined, path: string): AsyncGenerator<string> {
  if (text === undefined) throw Object.assign(new Error(`ENOENT: ${path}`), { code: "ENOENT" });
  for (let i = 0; i < text.length; i += 17) yield text.slice(i, i + 17);
}

/** Runs `main` in-process with an in-memory file system. */
async function run(
  argv: readonly string[],
  options: {
    files?: Record<string, string>;
    stdin?: string;
    tty?: boolean;
    now?: (() => number) | null;
  } = {},
): Promise<Run> {
  let stdout = "";
  let stderr = "";
  // shop-day.ndjson: where `care-window demo` writes the same log for a package user.
  const files: Record<string, string> = {
    [DEMO]: demoText,
    "shop-day.ndjson": demoText,
    ...options.files,
  };
  const io: CliIo = {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
    readFile: (path) => chunked(files[path], path),
    readStdin: () => chunked(options.stdin ?? "", "<stdin>"),
    stdinIsTTY: options.tty ?? options.stdin === undefined,
    version: "9.9.9-test",
    // A clock that fails the test if read: only `--at now` may read it.
    ...(options.now === null
      ? {}
      : {
          now:
            options.now ??
            (() => {
              throw new Error("the clock was read without --at now");
            }),
        }),
  };
  const code = await main(argv, io);
  return { code, stdout, stderr };
}

const BUSINESS = "106540352242922";
const ZONELESS_RECORD =
  '{"record":[{"kind":"consent","action":"opt-in","scope":"all","source":"checkout-form","at":"2026-11-26T08:50:00","thread":{"business":"106540352242922","customer":"5511999990000"}}]}';
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
    expect(r).toEqual({ code: 0, stdout: HELP, stderr: "" });
    for (const part of [
      "care-window explain",
      "care-window replay",
      "LATEST EVENT TIME",
      "reproducible",
      '"--at now"',
      "what may I send",
      "Examples",
      "Exit codes",
      '{"record"',
    ]) {
      expect(r.stdout).toContain(part);
    }
    expect((await run(["help"])).stdout).toBe(HELP);
  });

  it("no arguments is a usage error: the help on stderr, nothing on stdout, exit 2", async () => {
    const r = await run([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain('no command: use "explain", "replay" or "demo"');
    expect(r.stderr).toContain(HELP);
    // Options alone name no command either.
    expect((await run(["--json"])).code).toBe(2);
  });

  it("explain --help and replay --help print that command's help, with examples", async () => {
    for (const [argv, text, command] of [
      [["explain", "--help"], EXPLAIN_HELP, "explain"],
      [["explain", "-h", DEMO], EXPLAIN_HELP, "explain"],
      [["help", "explain"], EXPLAIN_HELP, "explain"],
      [["replay", "--help"], REPLAY_HELP, "replay"],
      [["--help", "replay"], REPLAY_HELP, "replay"],
    ] as const) {
      const r = await run(argv);
      expect(r, argv.join(" ")).toEqual({ code: 0, stdout: text, stderr: "" });
      expect(text).not.toBe(HELP);
      expect(text.startsWith(`care-window ${command}:`)).toBe(true);
      const examples = text.slice(text.indexOf("Examples"));
      expect(
        examples.match(new RegExp(`^  care-window ${command} `, "gm"))?.length,
      ).toBeGreaterThanOrEqual(3);
      expect(text).toContain("--at now");
      expect(text).toContain("reproducible");
    }
    expect(EXPLAIN_HELP).not.toContain("care-window replay ");
    expect(REPLAY_HELP).not.toContain("care-window explain ");
    const unknown = await run(["help", "frobnicate"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no help for "frobnicate"');
  });

  it("every example in the help texts parses (no stale option); each one runs in test/package", () => {
    for (const text of [HELP, EXPLAIN_HELP, REPLAY_HELP, DEMO_HELP]) {
      const examples = text
        .slice(text.indexOf("Examples"))
        .replace(/\\\n\s*/g, "")
        .split("\n")
        .filter((l) => /^\s+care-window /.test(l))
        .flatMap((l) => l.split("|").map((part) => part.trim().replace(/^care-window /, "")));
      expect(examples.length).toBeGreaterThanOrEqual(3);
      for (const example of examples) {
        const args = parseArgs(example.split(/\s+/));
        expect(["explain", "replay", "demo"], example).toContain(args.command);
      }
    }
  });

  it("demo writes the sample log, never overwrites another file, and prints it with -", async () => {
    const written: Record<string, string> = {};
    const io = (files: Record<string, string>): CliIo & { out: string[] } => {
      const out: string[] = [];
      return {
        out,
        stdout: (t) => out.push(t),
        stderr: (t) => out.push(`ERR ${t}`),
        readFile: (path) => chunked(files[path], path),
        readStdin: () => chunked("", "<stdin>"),
        writeFile: async (path, text) => {
          if (path in files) throw Object.assign(new Error("EEXIST"), { code: "EEXIST" });
          files[path] = text;
          written[path] = text;
        },
      };
    };
    const files: Record<string, string> = { "mine.ndjson": "{}\n" };
    const first = io(files);
    expect(await main(["demo"], first)).toBe(0);
    expect(written["shop-day.ndjson"]).toBe(demoText);
    expect(first.out.join("")).toContain("care-window replay shop-day.ndjson");
    const again = io(files);
    expect(await main(["demo"], again)).toBe(0);
    expect(again.out.join("")).toContain("already holds the sample log");
    const clash = io(files);
    expect(await main(["demo", "mine.ndjson"], clash)).toBe(1);
    expect(clash.out.join("")).toContain("mine.ndjson: exists and is not the sample log");
    expect(files["mine.ndjson"]).toBe("{}\n");
    expect(await run(["demo", "-"])).toEqual({ code: 0, stdout: demoText, stderr: "" });
    expect((await run(["demo", "a", "b"])).code).toBe(2);
    expect((await run(["demo", "--help"])).stdout).toBe(DEMO_HELP);
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

describe("record lines: instants with Z or an offset, in the record's own words (exit 1)", () => {
  const webhook = textBody("5511999990000", "2026-11-26T08:00:00Z");
  const record = (event: Record<string, unknown>): string =>
    JSON.stringify({
      record: [
        {
          kind: "consent",
          action: "opt-in",
          scope: "all",
          source: "checkout-form",
          thread: { business: BUSINESS, customer: "5511999990000" },
          ...event,
        },
      ],
    });
  const replayOf = (line: string) =>
    run(["replay", "--json", "r.ndjson"], { files: { "r.ndjson": `${webhook}\n${line}\n` } });

  it("a zoneless time is refused like --at is, naming file:line and the field", async () => {
    const r = await replayOf(ZONELESS_RECORD);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toBe(
      'care-window: r.ndjson:2: record[0].at "2026-11-26T08:50:00" has no time zone: add Z (UTC) or an offset such as -03:00, so the answer does not depend on this machine\n',
    );
    // The same rule as --at, word for word.
    const at = await run(["replay", "--at", "2026-11-26T08:50:00", DEMO]);
    expect(at.stderr).toContain("has no time zone: add Z (UTC) or an offset such as -03:00");
  });

  it("every instant field follows the rule, not only `at`", async () => {
    const r = await replayOf(
      JSON.stringify({
        record: [
          {
            kind: "outbound",
            id: "wamid.9",
            message: "free-form",
            type: "text",
            at: "2026-11-26T08:10:00Z",
            thread: { business: BUSINESS, customer: "5511999990000" },
          },
          {
            kind: "status",
            id: "wamid.9",
            status: "sent",
            at: "2026-11-26T08:11:00Z",
            conversationExpiresAt: "2026-11-27T08:11:00",
            thread: { business: BUSINESS, customer: "5511999990000" },
          },
        ],
      }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'r.ndjson:2: record[1].conversationExpiresAt "2026-11-27T08:11:00" has no time zone',
    );
  });

  it("a missing `at` is named in record words, not the service's events[0] / epoch-ms words", async () => {
    const r = await replayOf(record({}));
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      "care-window: r.ndjson:2: record[0].at is missing: give an ISO 8601 instant with Z or an offset, such as 2026-11-26T08:50:00Z\n",
    );
    expect((await replayOf(record({ at: null }))).stderr).toContain("record[0].at is missing");
  });

  it("an epoch number or another type is refused (seconds and milliseconds look alike)", async () => {
    for (const at of [1795683000, 1795683000000, true, { iso: "2026-11-26T08:50:00Z" }]) {
      const r = await replayOf(record({ at }));
      expect(r.code, JSON.stringify(at)).toBe(1);
      expect(r.stderr).toContain(
        `r.ndjson:2: record[0].at must be an ISO 8601 instant with Z or an offset, got ${JSON.stringify(at)}`,
      );
      expect(r.stderr).not.toContain("epoch-millisecond");
    }
  });

  it("other invalid fields come back as record[i].… (the service's events[i] translated)", async () => {
    const r = await replayOf(
      record({ at: "2026-11-26T08:50:00Z", thread: { business: BUSINESS } }),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^care-window: r\.ndjson:2: record\[0\]\.thread/);
    expect(r.stderr).not.toContain("events[");
  });

  it("Z and an offset name the same instant; the stored state shows it", async () => {
    const viaZ = JSON.parse((await replayOf(record({ at: "2026-11-26T08:50:00Z" }))).stdout);
    const viaOffset = JSON.parse(
      (await replayOf(record({ at: "2026-11-26T05:50:00-03:00" }))).stdout,
    );
    const at = Date.parse("2026-11-26T08:50:00Z");
    expect(viaZ.threads[0].state.consent.all.at).toBe(at);
    expect(viaOffset.threads[0].state.consent.all.at).toBe(at);
  });

  it("readIsoInstant: a zoned ISO string of any instant reads back; without its zone, no-zone", () => {
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse("1970-01-01T00:00:00Z"),
          max: Date.parse("9999-12-30T00:00:00Z"),
        }),
        fc.integer({ min: -14 * 60, max: 14 * 60 }),
        (ms, offsetMin) => {
          const iso = new Date(ms).toISOString();
          expect(readIsoInstant(iso)).toEqual({ ok: true, ms });
          // The same instant written with an offset.
          const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1);
          const sign = offsetMin < 0 ? "-" : "+";
          const abs = Math.abs(offsetMin);
          const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
          expect(readIsoInstant(`${local}${zone}`)).toEqual({ ok: true, ms });
          expect(readIsoInstant(local)).toEqual({ ok: false, problem: "no-zone" });
        },
      ),
    );
    expect(readIsoInstant("2026-02-30T10:00:00Z")).toEqual({ ok: false, problem: "invalid" });
    expect(readIsoInstant("2026-11-26T24:00:00Z")).toEqual({ ok: false, problem: "invalid" });
    expect(readIsoInstant("yesterday")).toEqual({ ok: false, problem: "not-iso" });
    expect(readIsoInstant("2026-11-26T08:50:00.123456+00:00")).toEqual({
      ok: true,
      ms: Date.parse("2026-11-26T08:50:00.123Z"),
    });
  });
});

describe("--at now: the one clock read", () => {
  const NOW = Date.parse("2026-11-27T11:00:00Z");

  it("decides at io.now() and says so; without --at the clock is never read", async () => {
    const r = await run(["explain", "--json", "--at", "now", "--customer", DIEGO, DEMO], {
      now: () => NOW,
    });
    expect(r.code).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.at).toBe("2026-11-27T11:00:00.000Z");
    expect(json.atSource).toBe("now");
    // Diego wrote at 12:38 the day before: still open at 11:00.
    expect(json.decisions[0].decision.outcome).toBe("session");
    const text = await run(["replay", "--at", "NOW", "--customer", DIEGO, DEMO], {
      now: () => NOW,
    });
    expect(text.stdout).toContain(
      "Decisions at 2026-11-27 11:00 UTC (now, by this machine's clock).",
    );
    // The default `run` clock throws if read: these pass only because nothing reads it.
    expect((await run(["replay", DEMO])).code).toBe(0);
    expect(
      (await run(["explain", "--at", "2026-11-27T11:00:00Z", "--customer", DIEGO, DEMO])).code,
    ).toBe(0);
  });

  it("a caller with no clock gets a usage error for --at now", async () => {
    const r = await run(["replay", "--at", "now", DEMO], { now: null });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--at now");
  });
});

describe("the CLI's own prose", () => {
  /** "an" before a consonant sound or "a" before a vowel sound (a few words are exceptions). */
  const articleMistakes = (text: string): string[] => {
    const out: string[] = [];
    for (const m of text.matchAll(/\b(an?) ([A-Za-z][\w-]*)/g)) {
      const [phrase, article, word] = m as unknown as [string, string, string];
      const w = word.toLowerCase();
      const vowelSound =
        /^[aeio]/.test(w) ||
        /^(hour|honest|heir|un[^i]|u[^nsrt]|ur[^io]|x-|fep|sms|mms|rsvp|ndjson)/.test(w);
      const consonantSound = /^(uni|use|usu|user|uri|one|once|eu)/.test(w);
      if (article === "an" && (!vowelSound || consonantSound)) out.push(phrase);
      if (article === "a" && vowelSound && !consonantSound) out.push(phrase);
    }
    return out;
  };

  it('the checker catches what it should ("an utility", "a intent")', () => {
    expect(articleMistakes("an utility template, a intent, an hour, a user, an opt-in")).toEqual([
      "an utility",
      "a intent",
    ]);
  });

  it("help texts, output and messages use the right articles and plurals", async () => {
    // The decisions' explanations and alternatives are the library's prose (src/window), not
    // the CLI's: they are cut out of the output first, and checked by the library's tests.
    const libraryProse = async (argv: readonly string[]): Promise<string[]> => {
      const json = JSON.parse((await run([...argv, "--json"])).stdout);
      const decisions = [
        ...(json.decisions ?? []).map((d: { decision: unknown }) => d.decision),
        ...(json.threads ?? []).flatMap((t: { decisions: Record<string, unknown> }) =>
          Object.values(t.decisions),
        ),
      ] as { explanation: string; alternatives?: { text: string }[]; notes?: string[] }[];
      return decisions.flatMap((d) => [
        d.explanation,
        ...(d.alternatives ?? []).map((a) => a.text),
        ...(d.notes ?? []),
      ]);
    };
    const cliOutput = async (argv: readonly string[]): Promise<string> => {
      let text = (await run(argv)).stdout;
      for (const prose of await libraryProse(argv)) text = text.split(prose).join("");
      return text;
    };
    const texts = [HELP, EXPLAIN_HELP, REPLAY_HELP, readFileSync(root("docs/cli.md"), "utf8")];
    texts.push(await cliOutput(["replay", "--at", "2026-11-27T20:00:00Z", DEMO]));
    texts.push(await cliOutput(["explain", "--customer", BRUNO, DEMO]));
    texts.push((await run(["explain", DEMO])).stderr);
    for (const text of texts) expect(articleMistakes(text)).toEqual([]);
    const one = await run(["replay", "one.json"], {
      files: { "one.json": textBody("5511999990000", "2026-11-26T09:00:00Z") },
    });
    expect(one.stdout).toContain("Replayed 1 entry: 1 event, 1 thread, 0 changed no state");
    expect(one.stdout).toContain("0 warnings");
  });
});

describe("docs/cli.md", () => {
  const page = readFileSync(root("docs/cli.md"), "utf8");

  it("every `$ care-window …` transcript is what the CLI prints (… cuts a line or skips lines)", async () => {
    const blocks = [...page.matchAll(/```text\n\$ care-window (.*)\n([\s\S]*?)```/g)];
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const [, command, expected] of blocks as unknown as [string, string, string][]) {
      const r = await run(command.split(/\s+/));
      expect(r.code, command).toBe(0);
      const actual = r.stdout.split("\n");
      let i = 0;
      for (const want of expected.trimEnd().split("\n")) {
        if (want === "…") {
          i = Math.min(i + 1, actual.length);
          continue;
        }
        const prefix = want.endsWith(" …") ? want.slice(0, -2) : undefined;
        const found = actual.findIndex(
          (line, j) => j >= i && (prefix === undefined ? line === want : line.startsWith(prefix)),
        );
        expect(found, `${command}\n  missing or out of order: ${want}`).toBeGreaterThanOrEqual(i);
        i = found + 1;
      }
    }
  });

  it("replay at the demo's last stop gives the demo's decisions (as the page says)", async () => {
    const { runDemo, MOMENTS } = await import("../../demo/run.js");
    const { snapshots } = await runDemo();
    const last = MOMENTS.at(-1)?.at as string;
    expect(page).toContain(`--at ${last.replace(".000Z", "Z")}`);
    const json = JSON.parse((await run(["replay", "--json", "--at", last, DEMO])).stdout);
    const stop = snapshots.at(-1);
    expect(stop?.rows.length).toBe(json.threads.length);
    for (const row of stop?.rows ?? []) {
      const t = json.threads.find(
        (x: { thread: { customer: string } }) => x.thread.customer === row.thread.customer,
      );
      for (const [name, d] of Object.entries(row.decisions)) {
        expect(t.decisions[name], `${row.label} ${name}`).toMatchObject({
          outcome: d?.outcome,
          reason: d?.reason,
        });
      }
    }
    expect(MOMENTS).toHaveLength(3);
    expect(page).toContain("three");
  });

  it("says how to run it in a clone, and that main() is internal (and it is not exported)", async () => {
    expect(page).toContain("npm run cli -- replay demo/data/shop-day.ndjson");
    const pkg = JSON.parse(readFileSync(root("package.json"), "utf8"));
    expect(pkg.scripts.cli).toBe("tsx src/cli/index.ts");
    expect(pkg.bin["care-window"]).toBe("./dist/cli.js");
    expect(page).toMatch(/internal/);
    const lib = await import("../../src/index.js");
    expect(Object.keys(lib)).not.toContain("main");
    expect(Object.keys(lib)).not.toContain("HELP");
  });
});

describe("usage errors: exit 2", () => {
  const cases: [string, readonly string[], string][] = [
    ["unknown command", ["frobnicate", DEMO], 'unknown command "frobnicate"'],
    ["unknown option", ["replay", "--bogus", DEMO], 'unknown option "--bogus"'],
    ["--at without a zone", ["replay", "--at", "2026-11-27T12:00", DEMO], "has no time zone"],
    [
      "--at not a date",
      ["replay", "--at", "tomorrow", DEMO],
      '--at must be "now" or an ISO 8601 instant',
    ],
    [
      "--at an impossible date",
      ["replay", "--at", "2026-02-30T10:00:00Z", DEMO],
      "not a valid date",
    ],
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
  // The sources, through tsx: a dist/cli.js left over from an earlier build would test stale
  // code (the built file is covered by test/package).
  const argv = [root("node_modules/tsx/dist/cli.mjs"), root("src/cli/index.ts")];
  const spawn = (args: readonly string[], input?: string, env: Record<string, string> = {}) =>
    spawnSync(process.execPath, [...argv, ...args], {
      encoding: "utf8",
      env: { ...process.env, ...env },
      ...(input === undefined ? {} : { input }),
    });

  it("runs as a process: --version, a usage error, stdin", () => {
    const version = execFileSync(process.execPath, [...argv, "--version"], { encoding: "utf8" });
    expect(version.trim()).toBe(JSON.parse(readFileSync(root("package.json"), "utf8")).version);
    expect(spawn(["replay", "--bogus"]).status).toBe(2);
    const piped = spawn(["explain", "--customer", DIEGO, "--json"], demoText);
    expect(piped.status).toBe(0);
    expect(JSON.parse(piped.stdout).thread.customer).toBe(DIEGO);
  });

  it("no arguments: help on stderr, exit 2", () => {
    const r = spawn([]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(HELP);
  });

  it("a zoneless record time is refused whatever the machine's TZ (it used to be read in local time)", () => {
    const log = `${textBody("5511999990000", "2026-11-26T08:00:00Z")}\n${ZONELESS_RECORD}\n`;
    for (const TZ of ["UTC", "America/Sao_Paulo"]) {
      const r = spawn(["explain", "--json"], log, { TZ });
      expect(r.status, TZ).toBe(1);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain('<stdin>:2: record[0].at "2026-11-26T08:50:00" has no time zone');
    }
  });

  it("--at now reads the real clock", () => {
    const before = Date.now();
    const r = spawn(["explain", "--json", "--at", "now", "--customer", DIEGO], demoText);
    expect(r.status).toBe(0);
    const json = JSON.parse(r.stdout);
    expect(json.atSource).toBe("now");
    expect(Date.parse(json.at)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(json.at)).toBeLessThanOrEqual(Date.now());
  });
});
