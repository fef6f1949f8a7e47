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
import type { CarriedOver, ThreadState } from "../window/state.js";
import { type CliArgs, parseArgs, UsageError } from "./args.js";
import { type LogEntry, LogInputError, readLog } from "./input.js";
import {
  decideIntents,
  MAX_WARNINGS,
  type ReplayResult,
  type ReplayWarning,
  replayLog,
  threadId,
} from "./replay.js";
import { SAMPLE_FILE, SAMPLE_LOG } from "./sample.js";
import {
  fepText,
  formatTable,
  type IntentName,
  mayGo,
  priceText,
  type ThreadDecisions,
  tableCells,
  tableHeader,
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
 *   readFile: (p) => createReadStream(p, "utf8"), readStdin: () => process.stdin, stdinIsTTY: true,
 * };
 * ```
 */
export interface CliIo {
  /** Writes to standard output (text includes its newlines). */
  readonly stdout: (text: string) => void;
  /** Writes to standard error. */
  readonly stderr: (text: string) => void;
  /**
   * Reads a file as UTF-8 text chunks, as they come (the CLI folds a log while reading it);
   * the iteration rejects when the file cannot be read.
   */
  readonly readFile: (path: string) => AsyncIterable<string>;
  /** Standard input as UTF-8 text chunks. */
  readonly readStdin: () => AsyncIterable<string>;
  /**
   * Creates a file with this text; rejects with an error whose `code` is `"EEXIST"` when the
   * file exists (`care-window demo` never overwrites). Without it, `demo` can only print.
   */
  readonly writeFile?: (path: string, text: string) => Promise<void>;
  /** `true` when stdin is a terminal (then no input is a usage error, not a hang). */
  readonly stdinIsTTY?: boolean;
  /** `true` when stderr is a terminal: then a long replay shows a progress line there. */
  readonly stderrIsTTY?: boolean;
  /**
   * A monotonic clock in ms (`performance.now`), read only for the progress line's rate; it
   * never affects a decision.
   */
  readonly elapsed?: () => number;
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

const SEE_ALSO = `shop-day.ndjson is the sample log that "care-window demo" writes (a small shop's day).
Input format, record lines and exit codes: care-window --help`;

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
  care-window demo [file]                    writes the sample log that ships with the package
                                             (a small shop's day) to shop-day.ndjson, or to
                                             [file] ("-": stdout); the examples below use it
  care-window explain [options] [file ...]   one thread at one moment: the decision for each
                                             intent, the reasons, and a timeline
  care-window replay  [options] [file ...]   a whole log: every thread's state and decisions
  care-window explain --help                 explain's options, with examples
  care-window replay --help                  replay's options, with examples
  care-window demo --help                    what the sample log holds
  care-window --help | --version

Input
  Webhook POST bodies exactly as Meta sent them: a JSON file (one body, or an array of
  bodies) or NDJSON (one body per line). No file, or "-", reads stdin. WhatsApp, Messenger
  ("object": "page") and Instagram ("object": "instagram") bodies may be mixed.
  NDJSON is folded as it is read, line by line: memory grows with the number of threads, not
  with the size of the log. On a terminal, stderr shows progress (bodies, threads, rate).
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
  # write the sample log (a small shop's day) to shop-day.ndjson
  care-window demo

  # what happened in the shop's day, customer by customer
  care-window replay shop-day.ndjson

  # may Bruno (who came from an ad) get a marketing template tomorrow at noon?
  care-window explain --customer 5511976543210 --intent marketing \\
    --at 2026-11-27T12:00:00Z shop-day.ndjson

  # a log on stdin (here the sample log, written to stdout), as JSON
  care-window demo - | care-window explain --customer 5531987650000 --json

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
    --at 2026-11-27T12:00:00Z shop-day.ndjson

  # what may I send Diego right now, by this machine's clock?
  care-window explain --customer 5531987650000 --at now shop-day.ndjson

  # the log's Messenger thread, free-form and utility only, as JSON
  care-window explain --channel messenger --intent free-form,utility --json shop-day.ndjson

  # a log on stdin (here the sample log, written to stdout)
  care-window demo - | care-window explain --customer 5531987650000

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
  # the sample shop's day, customer by customer, at its last event
  care-window replay shop-day.ndjson

  # the same log the next evening, in the shop's time zone
  care-window replay --at 2026-11-27T20:00:00-03:00 --time-zone America/Sao_Paulo \\
    shop-day.ndjson

  # the log against the clock: who may still get a free-form reply now?
  care-window replay --at now --intent free-form shop-day.ndjson

  # Instagram threads only, as JSON
  care-window replay --channel instagram --json shop-day.ndjson

${SEE_ALSO}
`;

/**
 * The `demo --help` text.
 *
 * @example
 * ```ts
 * DEMO_HELP.startsWith("care-window demo"); //=> true
 * ```
 */
export const DEMO_HELP = `care-window demo: writes the sample log that ships inside the package, so every example
of "care-window --help" runs as printed.

Usage
  care-window demo [file]       (default: shop-day.ndjson here; "-": stdout)

The log is a day (26 November 2026) of a small plant-and-ceramics shop: ${SAMPLE_LOG.split("\n").length - 1} webhook POST
bodies and {"record"} lines, in delivery order, of 8 threads: six WhatsApp customers (one came
from a Click-to-WhatsApp ad, one opted in at checkout, one stopped marketing), one Messenger and
one Instagram customer, with redeliveries. An existing file is never overwritten: if it holds
the same log, demo says so; if it holds anything else, demo stops with exit code 1.

Examples
  # write shop-day.ndjson, then replay it
  care-window demo
  care-window replay shop-day.ndjson

  # no file: straight into another command
  care-window demo - | care-window replay --intent marketing
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

/** Turns a failure to read a file into an input error naming it; other errors pass through. */
async function* readable(
  chunks: () => AsyncIterable<string>,
  file: string,
): AsyncGenerator<string> {
  let iterator: AsyncIterator<string>;
  try {
    iterator = chunks()[Symbol.asyncIterator]();
  } catch (e) {
    throw cannotRead(file, e);
  }
  for (;;) {
    let next: IteratorResult<string>;
    try {
      next = await iterator.next();
    } catch (e) {
      throw cannotRead(file, e);
    }
    if (next.done === true) return;
    yield next.value;
  }
}

function cannotRead(file: string, e: unknown): LogInputError {
  const reason =
    typeof e === "object" && e !== null && "code" in e && e.code === "ENOENT"
      ? "no such file"
      : e instanceof Error
        ? e.message
        : String(e);
  return new LogInputError(file, `cannot read the file (${reason})`, "invalid-body");
}

/** Every input source's entries, one after the other, read as they come. */
async function* readInputs(args: CliArgs, io: CliIo): AsyncGenerator<LogEntry> {
  const sources = args.files.length === 0 ? ["-"] : args.files;
  for (const file of sources) {
    let chunks: AsyncIterable<string>;
    if (file === "-") {
      if (io.stdinIsTTY === true) {
        throw new UsageError(
          "no input: pass webhook files (JSON or NDJSON), or pipe them into stdin (see --help)",
        );
      }
      chunks = readable(io.readStdin, "<stdin>");
    } else chunks = readable(() => io.readFile(file), file);
    const source = file === "-" ? "<stdin>" : file;
    let bodies = 0;
    for await (const entry of readLog(chunks, source)) {
      bodies++;
      yield entry;
    }
    if (bodies === 0) io.stderr(`warning: ${source}: no webhook bodies\n`);
  }
}

const grouped = (n: number): string => String(Math.round(n)).replace(/\B(?=(\d{3})+$)/g, ",");

/**
 * The progress line: on a terminal only, at most four times a second, overwritten in place and
 * erased at the end, so piped or redirected stderr gets nothing but warnings and errors.
 */
function progress(io: CliIo): {
  readonly onEntry?: (entries: number, threads: number) => void;
  readonly clear: () => void;
} {
  const clock = io.elapsed;
  if (io.stderrIsTTY !== true || clock === undefined) return { clear: () => {} };
  const started = clock();
  let last = started;
  let shown = false;
  return {
    onEntry: (entries, threads) => {
      if ((entries & 1023) !== 0) return;
      const now = clock();
      if (now - last < 250) return;
      last = now;
      shown = true;
      const rate = (entries * 1000) / Math.max(1, now - started);
      io.stderr(
        `\r\x1b[Kreading: ${grouped(entries)} bodies, ${grouped(threads)} threads, ${grouped(rate)} bodies/s`,
      );
    },
    clear: () => {
      if (shown) io.stderr("\r\x1b[K");
      shown = false;
    },
  };
}

/** Does a thread pass the --channel / --business / --customer options? */
const matches = (args: CliArgs, t: Thread): boolean =>
  (args.channel === undefined || channelOf(t) === args.channel) &&
  (args.business === undefined || t.business === args.business) &&
  (args.customer === undefined || t.customer === args.customer);

async function load(args: CliArgs, io: CliIo, keepEvents: boolean): Promise<Loaded> {
  let zone: Zone;
  try {
    zone = zoneOf(args.timeZone, "--time-zone");
  } catch {
    throw new UsageError(
      `--time-zone "${args.timeZone}" is not an IANA time zone (e.g. America/Sao_Paulo)`,
    );
  }
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
  const bar = progress(io);
  let replay: ReplayResult;
  try {
    replay = await replayLog(care, readInputs(args, io), {
      onWarning: (w) => {
        bar.clear();
        io.stderr(`warning: ${formatWarning(w)}\n`);
      },
      ...(bar.onEntry === undefined ? {} : { onEntry: bar.onEntry }),
      ...(keepEvents ? { keep: (t: Thread) => matches(args, t) } : {}),
    });
  } finally {
    bar.clear();
  }
  if (replay.warningCount > MAX_WARNINGS) {
    io.stderr(
      `warning: ${replay.warningCount} warnings in all; --json lists the first ${MAX_WARNINGS}\n`,
    );
  }
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

/** Reads a whole file as text (for `demo`'s check of an existing file: small files only). */
async function readWhole(io: CliIo, path: string): Promise<string> {
  let text = "";
  for await (const chunk of readable(() => io.readFile(path), path)) text += chunk;
  return text;
}

async function demo(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const file = args.files[0] ?? SAMPLE_FILE;
  if (file === "-" || io.writeFile === undefined) {
    io.stdout(SAMPLE_LOG);
    return 0;
  }
  const bodies = SAMPLE_LOG.split("\n").length - 1;
  const next = `Try:
  care-window replay ${file}
  care-window explain --customer 5511976543210 --at 2026-11-27T20:00:00Z ${file}
  care-window --help`;
  try {
    await io.writeFile(file, SAMPLE_LOG);
  } catch (e) {
    if (typeof e !== "object" || e === null || !("code" in e) || e.code !== "EEXIST") {
      throw new LogInputError(
        file,
        `cannot write the file (${e instanceof Error ? e.message : String(e)})`,
        "invalid-body",
      );
    }
    if ((await readWhole(io, file)) !== SAMPLE_LOG) {
      throw new LogInputError(
        file,
        `exists and is not the sample log; demo never overwrites a file: name another one (care-window demo other.ndjson) or "-" for stdout`,
        "invalid-body",
      );
    }
    io.stdout(`${file} already holds the sample log (${bodies} lines).\n${next}\n`);
    return 0;
  }
  io.stdout(
    `Wrote ${file}: the sample log, a small shop's day of webhooks (${bodies} lines).\n${next}\n`,
  );
  return 0;
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
  const found = all.filter((t) => matches(args, t));
  const list = (threads: readonly Thread[]): string =>
    threads
      .slice(0, 12)
      .map((t) => `  --channel ${channelOf(t)} --thread ${t.business}:${t.customer}`)
      .join("\n") + (threads.length > 12 ? `\n  … and ${threads.length - 12} more` : "");
  if (found.length === 1) return found[0] as Thread;
  if (found.length === 0) {
    throw new LogInputError(
      "input",
      `no events for the thread you asked for; the input has:\n${list(all)}`,
      "invalid-body",
    );
  }
  throw new UsageError(
    `the input holds ${found.length} threads${args.customer === undefined && args.business === undefined ? "" : " matching your options"}; choose one with --customer (or --thread):\n${list(found)}`,
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
  // Then what an earlier number carried over (OPEN-15), said to be from there.
  const levels: [string, CarriedOver | ThreadState][] = [["", state]];
  for (let c = state.carried; c !== undefined; c = c.carried) levels.push([" (earlier number)", c]);
  for (const [where, { consent, marketing, blocked }] of levels) {
    for (const [scope, record] of Object.entries(consent)) {
      if (record !== undefined) {
        out.push(`${record.action} (${scope})${where}: ${t(record.at)} from ${record.source}`);
      }
    }
    if (marketing?.on !== undefined) out.push(`marketing stopped${where}: ${t(marketing.on)}`);
    if (marketing?.off !== undefined) out.push(`marketing resumed${where}: ${t(marketing.off)}`);
    if (blocked?.on !== undefined) out.push(`blocked${where}: ${t(blocked.on)}`);
  }
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
  const l = await load(args, io, true);
  const thread = pickThread(args, l.replay);
  const intents = args.intents ?? ALL_INTENTS;
  const decisions = await decideAll(l, thread, intents);
  const state = await l.care.state(thread);
  const events = l.replay.kept.get(threadId(thread)) ?? [];
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

/** Writes lines to stdout in batches: neither one string per line nor one for the whole output. */
function lineWriter(io: CliIo): {
  readonly push: (line: string) => void;
  readonly end: () => void;
} {
  let batch: string[] = [];
  const flush = (): void => {
    if (batch.length > 0) io.stdout(`${batch.join("\n")}\n`);
    batch = [];
  };
  return {
    push: (line) => {
      batch.push(line);
      if (batch.length >= 2000) flush();
    },
    end: flush,
  };
}

/** `JSON.stringify(value, null, 2)`, indented to sit `depth` levels inside a larger document. */
const nested = (value: unknown, depth: number): string =>
  JSON.stringify(value, null, 2).replace(/\n/g, `\n${"  ".repeat(depth)}`);

async function replay(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const l = await load(args, io, false);
  const intents = args.intents ?? DEFAULT_REPLAY_INTENTS;
  const threads = l.replay.threads.filter((t) => matches(args, t));
  const r = l.replay;
  // One thread at a time: its decisions become text (or JSON) at once and are dropped, so the
  // output phase holds the threads' text, not their decisions.
  if (args.json) {
    // The same document as JSON.stringify({ … }, null, 2), written thread by thread.
    io.stdout(
      `{\n  "command": "replay",\n  "at": ${JSON.stringify(new Date(l.at).toISOString())},\n  "atSource": ${JSON.stringify(l.atSource)},\n  "entries": ${r.entries},\n  "events": ${r.events},\n  "unchanged": ${r.unchanged},\n  "threads": [`,
    );
    let first = true;
    for (const thread of threads) {
      const decisions = await decideAll(l, thread, intents);
      const item = {
        thread: {
          channel: channelOf(thread),
          business: thread.business,
          customer: thread.customer,
        },
        name: r.names.get(thread.customer) ?? null,
        state: await l.care.state(thread),
        decisions: Object.fromEntries(
          intents.map((name) => {
            const d = decisions[name] as Decision;
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
      };
      io.stdout(`${first ? "" : ","}\n    ${nested(item, 2)}`);
      first = false;
    }
    io.stdout(`${first ? "]" : "\n  ]"},\n  "warnings": ${nested(r.warnings, 1)}\n}\n`);
    return 0;
  }
  const cells: string[][] = [];
  const details: string[] = [];
  for (const thread of threads) {
    const row: ThreadDecisions = {
      label: label(thread, r.names),
      thread,
      decisions: await decideAll(l, thread, intents),
    };
    const state = await l.care.state(thread);
    cells.push(tableCells(row, intents, l.zone));
    details.push(
      [
        `${row.label} · ${channelOf(thread)} ${thread.business}`,
        ...stateLines(state, l.zone).map((line) => `  ${line}`),
        ...whyLines(row).map((line) => `  ${line}`),
      ].join("\n"),
    );
  }
  const out = lineWriter(io);
  out.push(
    `Replayed ${r.entries} ${r.entries === 1 ? "entry" : "entries"}: ${r.events} ${r.events === 1 ? "event" : "events"}, ${threads.length} ${threads.length === 1 ? "thread" : "threads"}, ${r.unchanged} changed no state (redeliveries, echoes), ${r.warningCount} ${r.warningCount === 1 ? "warning" : "warnings"}.`,
  );
  out.push(`Decisions ${atLine(l)}.`);
  out.push("");
  for (const line of formatTable(tableHeader(intents), cells)) out.push(line);
  for (const detail of details) {
    out.push("");
    out.push(detail);
  }
  out.end();
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
          args.topic === "explain"
            ? EXPLAIN_HELP
            : args.topic === "replay"
              ? REPLAY_HELP
              : args.topic === "demo"
                ? DEMO_HELP
                : HELP,
        );
        return 0;
      case "none":
        // A bare `care-window` is a usage error: the help goes to stderr, stdout stays empty.
        io.stderr(`care-window: no command: use "explain", "replay" or "demo"\n\n${HELP}`);
        return 2;
      case "version":
        io.stdout(`${io.version ?? "unknown"}\n`);
        return 0;
      case "explain":
        return await explain(args, io);
      case "replay":
        return await replay(args, io);
      case "demo":
        return await demo(args, io);
      default: {
        const never: never = args.command;
        throw new UsageError(`unknown command ${String(never)}`);
      }
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
