/**
 * The `care-window` command line as a function: `main(argv, io)` returns the exit code and
 * touches the outside world only through `io` (streams, files, stdin and, for `--at now`, the
 * clock), so tests run it in-process. Internal: not exported from the package.
 *
 * @module
 * @internal
 */
import { CareWindowError } from "../domain/errors.js";
import type { Thread } from "../domain/types.js";
import { createCareWindow } from "../service/createCareWindow.js";
import { createMemoryStore } from "../store/memory.js";
import { stamp, type Zone, zoneOf } from "../timeline/format.js";
import { renderTimelineText } from "../timeline/text.js";
import type { Decision } from "../window/decision.js";
import type { DecideOptions } from "../window/options.js";
import type { ThreadState } from "../window/state.js";
import { type CliArgs, parseArgs, UsageError } from "./args.js";
import { type LogEntry, LogInputError, parseLog } from "./input.js";
import {
  decideIntents,
  type ReplayResult,
  type ReplayWarning,
  replayLog,
  threadId,
} from "./replay.js";
import {
  decisionTable,
  fepText,
  type IntentName,
  mayGo,
  priceText,
  type ThreadDecisions,
  whyLines,
  windowText,
} from "./summary.js";

/**
 * What `main` may touch: output streams, files, stdin.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const io: CliIo = {
 *   stdout: (s) => out.push(s), stderr: (s) => out.push(s),
 *   readFile: (p) => fs.readFile(p, "utf8"), readStdin: async () => "", stdinIsTTY: true,
 * };
 * ```
 */
export interface CliIo {
  /** Writes to standard output (text includes its newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /** Reads a file as UTF-8 text; rejects when it cannot. */
  readonly readFile: (path: string) => Promise<string>;
  /** Reads all of standard input as UTF-8 text. */
  readonly readStdin: () => Promise<string>;
  /** `true` when stdin is a terminal (then no input is a usage error, not a hang). */
  readonly stdinIsTTY?: boolean;
  /** The package version for `--version`. */
  readonly version?: string;
  /**
   * The wall clock in epoch ms, read only for `--at now` (the executable passes `Date.now`);
   * without it, `--at now` is a usage error. Nothing else in the CLI reads the clock.
   */
  readonly now?: () => number;
}

/**
 * Exit codes: 0 success, 1 input error, 2 usage error.
 *
 * @example
 * ```ts
 * process.exitCode = await main(process.argv.slice(2), io); // 0 | 1 | 2
 * ```
 */
export type ExitCode = 0 | 1 | 2;

const DEFAULT_REPLAY_INTENTS: readonly IntentName[] = ["free-form", "utility", "marketing"];
const ALL_INTENTS: readonly IntentName[] = ["free-form", "utility", "marketing", "authentication"];

const AT_OPTION = `  --at <instant>        the moment to decide for: ISO 8601 with Z or an offset
                        (2026-11-27T12:00:00Z, 2026-11-27T09:00:00-03:00), or "now".
                        Default: the LATEST EVENT TIME IN THE INPUT, not your clock, so the
                        output is reproducible: the same input gives the same answer in a
                        bug report, in CI, next month. "--at now" reads this machine's
                        clock (the only time the CLI does) and answers "what may I send
                        now?"`;

const THREAD_OPTIONS = `  --business <id>       phone_number_id (WhatsApp), page id or Instagram account id
  --customer <id>       wa_id or BSUID, PSID or IGSID
  --thread <b>:<c>      both at once: --thread 106540352242922:5511987654321
  --channel <name>      whatsapp (default), messenger or instagram`;

const DECIDE_OPTIONS = `  --time-zone <IANA>    the account's time zone (OPEN-6): pricing eras, the monthly service
                        tier and the printed times. Default UTC
  --no-require-opt-in   templates outside the window need no recorded opt-in (OPEN-17)`;

const SEE_ALSO = `Input format, record lines and exit codes: care-window --help`;

/**
 * The general `--help` text (also printed, to stderr, when no command is given).
 *
 * @example
 * ```ts
 * HELP.includes("care-window explain"); //=> true
 * ```
 */
export const HELP = `care-window: may this WhatsApp (Messenger, Instagram) message go now?
Session, template or blocked: why, until when, and at what price.

Usage
  care-window explain [options] [file ...]   one thread at one moment: the decision for each
                                             intent, the reasons, and a timeline
  care-window replay  [options] [file ...]   a whole log: every thread's state and decisions
  care-window explain --help                 explain's options, with examples
  care-window replay --help                  replay's options, with examples
  care-window --help | --version

Input
  Webhook POST bodies exactly as Meta sent them: a JSON file (one body, or an array of
  bodies) or NDJSON (one body per line). No file, or "-", reads stdin. WhatsApp, Messenger
  ("object": "page") and Instagram ("object": "instagram") bodies may be mixed.
  A line {"record": [...]} holds events your app records itself (its own sends, opt-ins).
  Their instants are ISO 8601 with Z or an offset, as for --at:
  {"record":[{"kind":"consent","action":"opt-in","scope":"all","source":"checkout-form",
  "at":"2026-11-26T08:50:00Z","thread":{"business":"1065…","customer":"5541…"}}]}

Options
${THREAD_OPTIONS}
                        (explain needs these only when the input holds several threads;
                        replay uses them as filters)
${AT_OPTION}
  --intent <name>       free-form, utility, marketing or authentication; repeat it or use
                        commas. Default: all four for explain, the first three for replay
${DECIDE_OPTIONS}
  --width <n>           width of the text timeline (default 80)
  --ascii               ASCII-only timeline
  --json                machine-readable JSON on stdout (warnings stay on stderr)
  -h, --help            this help (after a command: that command's help)
  -V, --version         the version

Examples
  # what happened in the demo shop's day, customer by customer
  care-window replay demo/data/shop-day.ndjson

  # may Bruno (who came from an ad) get a marketing template tomorrow at noon?
  care-window explain --customer 5511976543210 --intent marketing \\
    --at 2026-11-27T12:00:00Z demo/data/shop-day.ndjson

  # a webhook from your logs, on stdin, as JSON
  pbpaste | care-window explain --json

Exit codes
  0  done (webhook content problems are printed as warnings on stderr, and are not failures)
  1  input error: a file cannot be read, a line is not JSON (the message names file:line),
     an invalid {"record"} event (a missing instant, or one without Z or an offset), no
     thread in the input, or the asked thread is not in it
  2  usage error: no command, an unknown command or option, a bad --at / --intent /
     --time-zone value, or several threads in the input and no --customer to choose one
`;

/**
 * The `explain --help` text.
 *
 * @example
 * ```ts
 * EXPLAIN_HELP.startsWith("care-window explain"); //=> true
 * ```
 */
export const EXPLAIN_HELP = `care-window explain: one thread at one moment. For each intent: may it go (session,
template or blocked), why, what to do instead, the rules, the price; then a text timeline.

Usage
  care-window explain [options] [file ...]      (no file, or "-": stdin)

Choosing the thread (needed only when the input holds several)
${THREAD_OPTIONS}

Options
${AT_OPTION}
  --intent <name>       free-form, utility, marketing or authentication; repeat it or use
                        commas. Default: all four
${DECIDE_OPTIONS}
  --width <n>           width of the text timeline (default 80)
  --ascii               ASCII-only timeline
  --json                the full decisions and the folded state as JSON on stdout

Examples
  # may Bruno (who came from an ad) get a marketing template tomorrow at noon?
  care-window explain --customer 5511976543210 --intent marketing \\
    --at 2026-11-27T12:00:00Z demo/data/shop-day.ndjson

  # what may I send Diego right now, by this machine's clock?
  care-window explain --customer 5531987650000 --at now demo/data/shop-day.ndjson

  # one thread of a Messenger log, free-form and utility only, as JSON
  care-window explain --channel messenger --intent free-form,utility --json page.ndjson

  # a webhook from your logs, on stdin
  pbpaste | care-window explain

${SEE_ALSO}
`;

/**
 * The `replay --help` text.
 *
 * @example
 * ```ts
 * REPLAY_HELP.startsWith("care-window replay"); //=> true
 * ```
 */
export const REPLAY_HELP = `care-window replay: a whole log. One row per thread (window, free entry point, and
whether each intent may go, at what price), then each thread's state and the reasons.

Usage
  care-window replay [options] [file ...]       (no file, or "-": stdin)

Filters (optional)
${THREAD_OPTIONS}

Options
${AT_OPTION}
  --intent <name>       the columns: free-form, utility, marketing or authentication;
                        repeat it or use commas. Default: free-form, utility, marketing
${DECIDE_OPTIONS}
  --json                every thread's state and decisions as JSON on stdout

Examples
  # the demo shop's day, customer by customer, at its last event
  care-window replay demo/data/shop-day.ndjson

  # the same log the next evening, in the shop's time zone
  care-window replay --at 2026-11-27T20:00:00-03:00 --time-zone America/Sao_Paulo \\
    demo/data/shop-day.ndjson

  # today's log against the clock: who may still get a free-form reply now?
  care-window replay --at now --intent free-form today.ndjson

  # Instagram threads only, as JSON
  care-window replay --channel instagram --json day.ndjson

${SEE_ALSO}
`;

interface Loaded {
  readonly replay: ReplayResult;
  readonly care: ReturnType<typeof createCareWindow>;
  readonly at: number;
  /** `input`: the latest event (the default); `option`: `--at <instant>`; `now`: `--at now`. */
  readonly atSource: "input" | "option" | "now";
  readonly zone: Zone;
  readonly options: DecideOptions;
}

/** Reads every input source into entries. */
async function readInputs(args: CliArgs, io: CliIo): Promise<LogEntry[]> {
  const sources = args.files.length === 0 ? ["-"] : args.files;
  const entries: LogEntry[] = [];
  for (const file of sources) {
    let text: string;
    if (file === "-") {
      if (io.stdinIsTTY === true) {
        throw new UsageError(
          "no input: pass webhook files (JSON or NDJSON), or pipe them into stdin (see --help)",
        );
      }
      text = await io.readStdin();
    } else {
      try {
        text = await io.readFile(file);
      } catch (e) {
        const reason =
          typeof e === "object" && e !== null && "code" in e && e.code === "ENOENT"
            ? "no such file"
            : e instanceof Error
              ? e.message
              : String(e);
        throw new LogInputError(file, `cannot read the file (${reason})`, "invalid-body");
      }
    }
    const parsed = parseLog(text, file === "-" ? "<stdin>" : file);
    if (parsed.length === 0)
      io.stderr(`warning: ${file === "-" ? "<stdin>" : file}: no webhook bodies\n`);
    entries.push(...parsed);
  }
  return entries;
}

async function load(args: CliArgs, io: CliIo): Promise<Loaded> {
  let zone: Zone;
  try {
    zone = zoneOf(args.timeZone, "--time-zone");
  } catch {
    throw new UsageError(
      `--time-zone "${args.timeZone}" is not an IANA time zone (e.g. America/Sao_Paulo)`,
    );
  }
  const entries = await readInputs(args, io);
  let clock = 0;
  const options: DecideOptions = {
    ...(args.timeZone === undefined ? {} : { timeZone: args.timeZone }),
    ...(args.requireOptIn ? {} : { requireOptIn: false }),
  };
  const care = createCareWindow({
    store: createMemoryStore(),
    now: () => new Date(clock),
    // A replay of history has no "now" to be ahead of (CSW-3 future check off, issue 10).
    maxFutureSkewMs: Number.POSITIVE_INFINITY,
    ...options,
  });
  const replay = await replayLog(care, entries);
  for (const w of replay.warnings) io.stderr(`warning: ${formatWarning(w)}\n`);
  const atSource = args.at === undefined ? "input" : args.at === "now" ? "now" : "option";
  let at: number | undefined;
  if (args.at === "now") {
    if (io.now === undefined) throw new UsageError("--at now: this caller gave the CLI no clock");
    at = io.now();
  } else at = args.at ?? replay.latestAt;
  if (at === undefined) {
    throw new LogInputError(
      args.files.length === 0 ? "<stdin>" : args.files.join(", "),
      "the input holds no events, so there is nothing to decide (and no moment to decide at)",
      "invalid-body",
    );
  }
  clock = at;
  return { replay, care, at, atSource, zone, options };
}

function formatWarning(w: ReplayWarning): string {
  return `${w.where}: ${w.path}: ${w.code}: ${w.message}`;
}

const channelOf = (t: Thread): string => t.channel ?? "whatsapp";

function label(thread: Thread, names: ReadonlyMap<string, string>): string {
  const name = names.get(thread.customer);
  const channel = channelOf(thread) === "whatsapp" ? "" : ` (${channelOf(thread)})`;
  return name === undefined
    ? `${thread.customer}${channel}`
    : `${name} ${thread.customer}${channel}`;
}

function pickThread(args: CliArgs, replay: ReplayResult): Thread {
  const all = replay.threads;
  if (all.length === 0) {
    throw new LogInputError(
      "input",
      "no thread events in the input (only statuses of unknown threads, templates or identity changes?)",
      "invalid-body",
    );
  }
  const matches = all.filter(
    (t) =>
      (args.channel === undefined || channelOf(t) === args.channel) &&
      (args.business === undefined || t.business === args.business) &&
      (args.customer === undefined || t.customer === args.customer),
  );
  const list = (threads: readonly Thread[]): string =>
    threads
      .slice(0, 12)
      .map((t) => `  --channel ${channelOf(t)} --thread ${t.business}:${t.customer}`)
      .join("\n") + (threads.length > 12 ? `\n  … and ${threads.length - 12} more` : "");
  if (matches.length === 1) return matches[0] as Thread;
  if (matches.length === 0) {
    throw new LogInputError(
      "input",
      `no events for the thread you asked for; the input has:\n${list(all)}`,
      "invalid-body",
    );
  }
  throw new UsageError(
    `the input holds ${matches.length} threads${args.customer === undefined && args.business === undefined ? "" : " matching your options"}; choose one with --customer (or --thread):\n${list(matches)}`,
  );
}

/** The decision as plain JSON (explanation, alternatives, rules and notes included). */
const toJson = (d: Decision): unknown => JSON.parse(JSON.stringify(d));

const decideAll = (
  l: Loaded,
  thread: Thread,
  intents: readonly IntentName[],
): Promise<Partial<Record<IntentName, Decision>>> => decideIntents(l.care, thread, intents);

function stateLines(state: ThreadState, zone: Zone): string[] {
  const t = (ms: number): string => stamp(ms, zone);
  const out: string[] = [];
  const inbound = Object.entries(state.inbound)
    .filter((e): e is [string, number] => e[1] !== undefined)
    .map(([cls, at]) => `${cls} ${t(at)}`);
  if (inbound.length > 0) out.push(`latest inbound: ${inbound.join(", ")}`);
  if (state.referral?.ad !== undefined) out.push(`arrived from an ad: ${t(state.referral.ad)}`);
  if (state.outbound.length > 0) {
    // Sends and their statuses both count as send evidence; one line per distinct minute.
    out.push(`latest sends: ${[...new Set(state.outbound.map((x) => t(x)))].join(", ")}`);
  }
  if (state.fepEndsAt !== undefined)
    out.push(`free entry point ends (platform): ${t(state.fepEndsAt)}`);
  if (state.lastError !== undefined) {
    out.push(`last error: ${state.lastError.code} at ${t(state.lastError.at)}`);
  }
  for (const [scope, record] of Object.entries(state.consent)) {
    if (record !== undefined) {
      out.push(`${record.action} (${scope}): ${t(record.at)} from ${record.source}`);
    }
  }
  if (state.marketing?.on !== undefined) out.push(`marketing stopped: ${t(state.marketing.on)}`);
  if (state.marketing?.off !== undefined) out.push(`marketing resumed: ${t(state.marketing.off)}`);
  if (state.blocked?.on !== undefined) out.push(`blocked: ${t(state.blocked.on)}`);
  if (state.marketingLimitedUntil !== undefined) {
    out.push(`no marketing until: ${t(state.marketingLimitedUntil)}`);
  }
  return out;
}

function atLine(l: Loaded): string {
  const why =
    l.atSource === "input"
      ? " (the latest event in the input; pass --at to choose another moment, or --at now)"
      : l.atSource === "now"
        ? " (now, by this machine's clock)"
        : "";
  return `at ${stamp(l.at, l.zone)} ${l.zone.name}${why}`;
}

async function explain(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const l = await load(args, io);
  const thread = pickThread(args, l.replay);
  const intents = args.intents ?? ALL_INTENTS;
  const decisions = await decideAll(l, thread, intents);
  const state = await l.care.state(thread);
  const events = l.replay.events.filter(
    (e) => "thread" in e && threadId(e.thread) === threadId(thread),
  );
  if (args.json) {
    io.stdout(
      `${JSON.stringify(
        {
          command: "explain",
          thread: {
            channel: channelOf(thread),
            business: thread.business,
            customer: thread.customer,
          },
          at: new Date(l.at).toISOString(),
          atSource: l.atSource,
          decisions: intents.map((name) => ({
            name,
            decision: toJson(decisions[name] as Decision),
          })),
          state,
          warnings: l.replay.warnings,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const out: string[] = [];
  out.push(`${label(thread, l.replay.names)} · ${channelOf(thread)} ${thread.business}`);
  out.push(atLine(l));
  out.push("");
  const first = decisions[intents[0] as IntentName] as Decision;
  out.push(`window            ${windowText(first, l.zone)}`);
  out.push(`free entry point  ${fepText(first, l.zone)}`);
  out.push("");
  const width = Math.max(...intents.map((n) => n.length));
  const pad = " ".repeat(width + 2);
  const notes = new Set<string>();
  for (const name of intents) {
    const d = decisions[name] as Decision;
    const verdict = mayGo(d)
      ? `may go: ${d.outcome} (${d.reason}), ${priceText(d)}`
      : `may not go: ${d.outcome} (${d.reason})`;
    out.push(`${name.padEnd(width)}  ${verdict}`);
    out.push(`${pad}${d.explanation}`);
    for (const a of d.alternatives) out.push(`${pad}instead: ${a.text}`);
    out.push(`${pad}rules: ${d.rules.map((r) => r.id).join(", ")}`);
    for (const note of d.notes) notes.add(note);
    out.push("");
  }
  for (const note of notes) out.push(`note: ${note}`);
  if (notes.size > 0) out.push("");
  out.push(
    renderTimelineText(state, l.at, {
      events,
      thread,
      title: "timeline",
      ...(args.timeZone === undefined ? {} : { timeZone: args.timeZone }),
      ...(args.width === undefined ? {} : { width: args.width }),
      ...(args.ascii ? { charset: "ascii" as const } : {}),
      decide: l.options,
    }).trimEnd(),
  );
  io.stdout(`${out.join("\n")}\n`);
  return 0;
}

async function replay(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const l = await load(args, io);
  const intents = args.intents ?? DEFAULT_REPLAY_INTENTS;
  const rows: (ThreadDecisions & { state: ThreadState })[] = [];
  const threads = l.replay.threads.filter(
    (t) =>
      (args.channel === undefined || channelOf(t) === args.channel) &&
      (args.business === undefined || t.business === args.business) &&
      (args.customer === undefined || t.customer === args.customer),
  );
  for (const thread of threads) {
    rows.push({
      label: label(thread, l.replay.names),
      thread,
      decisions: await decideAll(l, thread, intents),
      state: await l.care.state(thread),
    });
  }
  const r = l.replay;
  if (args.json) {
    io.stdout(
      `${JSON.stringify(
        {
          command: "replay",
          at: new Date(l.at).toISOString(),
          atSource: l.atSource,
          entries: r.entries,
          events: r.events.length,
          unchanged: r.unchanged,
          threads: rows.map((row) => ({
            thread: {
              channel: channelOf(row.thread),
              business: row.thread.business,
              customer: row.thread.customer,
            },
            name: r.names.get(row.thread.customer) ?? null,
            state: row.state,
            decisions: Object.fromEntries(
              intents.map((name) => {
                const d = row.decisions[name] as Decision;
                return [
                  name,
                  {
                    outcome: d.outcome,
                    reason: d.reason,
                    charge: d.pricing.charge,
                    pricingType: d.pricing.type,
                    windowClosesAt: d.window.closesAt?.toISOString() ?? null,
                    windowOpen: d.window.open,
                    freeEntryPoint: {
                      open: d.freeEntryPoint.open,
                      closesAt: d.freeEntryPoint.closesAt?.toISOString() ?? null,
                      source: d.freeEntryPoint.source,
                    },
                    explanation: d.explanation,
                  },
                ];
              }),
            ),
          })),
          warnings: r.warnings,
        },
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const out: string[] = [];
  out.push(
    `Replayed ${r.entries} ${r.entries === 1 ? "entry" : "entries"}: ${r.events.length} ${r.events.length === 1 ? "event" : "events"}, ${rows.length} ${rows.length === 1 ? "thread" : "threads"}, ${r.unchanged} changed no state (redeliveries, echoes), ${r.warnings.length} ${r.warnings.length === 1 ? "warning" : "warnings"}.`,
  );
  out.push(`Decisions ${atLine(l)}.`);
  out.push("");
  out.push(...decisionTable(rows, intents, l.zone));
  for (const row of rows) {
    out.push("");
    out.push(`${row.label} · ${channelOf(row.thread)} ${row.thread.business}`);
    for (const line of stateLines(row.state, l.zone)) out.push(`  ${line}`);
    for (const line of whyLines(row)) out.push(`  ${line}`);
  }
  io.stdout(`${out.join("\n")}\n`);
  return 0;
}

/**
 * Runs the `care-window` command line. Never throws for bad input: it prints a message on
 * `io.stderr` and returns 1 (input error: unreadable file, bad JSON with `file:line`, invalid
 * host event, thread not found) or 2 (usage error). Webhook issues are warnings.
 *
 * @param argv - Arguments after the program name, e.g. `["replay", "day.ndjson"]`.
 * @param io - Output streams, file and stdin readers.
 * @returns The exit code.
 *
 * @example
 * ```ts
 * const out: string[] = [];
 * const code = await main(["replay", "--json", "day.ndjson"], {
 *   stdout: (s) => out.push(s),
 *   stderr: (s) => out.push(s),
 *   readFile: (p) => readFile(p, "utf8"),
 *   readStdin: async () => "",
 * });
 * ```
 */
export async function main(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    const args = parseArgs(argv);
    switch (args.command) {
      case "help":
        io.stdout(
          args.topic === "explain" ? EXPLAIN_HELP : args.topic === "replay" ? REPLAY_HELP : HELP,
        );
        return 0;
      case "none":
        // A bare `care-window` is a usage error: the help goes to stderr, stdout stays empty.
        io.stderr(`care-window: no command: use "explain" or "replay"\n\n${HELP}`);
        return 2;
      case "version":
        io.stdout(`${io.version ?? "unknown"}\n`);
        return 0;
      case "explain":
        return await explain(args, io);
      case "replay":
        return await replay(args, io);
      default:
        return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`care-window: ${e.message}\nRun "care-window --help" for usage and examples.\n`);
      return 2;
    }
    if (e instanceof LogInputError) {
      io.stderr(`care-window: ${e.message}\n`);
      return 1;
    }
    if (e instanceof CareWindowError) {
      io.stderr(`care-window: ${e.message}${e.field === undefined ? "" : ` (${e.field})`}\n`);
      return 1;
    }
    throw e;
  }
}
