/**
 * `npm run demo`: replays a day of webhooks of a small shop (demo/data/shop-day.ndjson) through
 * an in-memory care-window and prints, at a few moments, one row per customer: is the window
 * open and until when, is there a free entry point, what may be sent, at what price, and why.
 *
 * Runs straight from the sources with tsx (no build step).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseLog } from "../src/cli/input.js";
import { applyEntry, contactNames, decideIntents, threadId } from "../src/cli/replay.js";
import { decisionTable, type ThreadDecisions, whyLines } from "../src/cli/summary.js";
import type { CareEvent, Instant, Thread } from "../src/domain/types.js";
import { isMessengerBody, parseMessengerWebhook } from "../src/messenger/index.js";
import { createCareWindow } from "../src/service/createCareWindow.js";
import { createMemoryStore } from "../src/store/memory.js";
import { stamp, zoneOf } from "../src/timeline/format.js";
import { parseWebhook } from "../src/whatsapp/index.js";
import { LOG_PATH } from "./build-log.js";

/** The moments of the day the demo stops at. */
export const MOMENTS: readonly { readonly at: string; readonly title: string }[] = [
  { at: "2026-11-26T10:30:00Z", title: "Thursday 10:30, mid-morning" },
  { at: "2026-11-26T16:00:00Z", title: "Thursday 16:00, after the order update" },
  { at: "2026-11-27T20:00:00Z", title: "Friday 20:00, the next evening" },
];

/** Names of the Messenger / Instagram customers (their webhooks carry ids only). */
const SOCIAL_NAMES: Readonly<Record<string, string>> = {
  "6024153281234567": "Gabi",
  "1147285630193847": "Hugo",
};

const INTENTS = ["free-form", "utility", "marketing"] as const;
const UTC = zoneOf("UTC");

/** One stop of the demo: the decisions of every customer seen so far. */
export interface DemoSnapshot {
  readonly at: Instant;
  readonly title: string;
  readonly rows: readonly ThreadDecisions[];
}

/** The latest event instant of a log value, before it is applied (to stop at a moment first). */
function latestOf(value: unknown): Instant | undefined {
  const v = value as Record<string, unknown>;
  let events: readonly { at: unknown }[];
  if (!("object" in v) && Array.isArray(v.record)) events = v.record as { at: unknown }[];
  else if (isMessengerBody(v)) events = parseMessengerWebhook(v).events;
  else events = parseWebhook(v).events;
  let max: Instant | undefined;
  for (const e of events) {
    const at = typeof e.at === "string" ? Date.parse(e.at) : (e.at as number);
    if (max === undefined || at > max) max = at;
  }
  return max;
}

/** One narrative line for an applied entry, or `undefined` for routine statuses. */
function narrate(events: readonly CareEvent[], changed: number, name: (t: Thread) => string) {
  const parts: string[] = [];
  let at: Instant | undefined;
  let who = "";
  for (const e of events) {
    if (!("thread" in e)) continue;
    at ??= e.at;
    who = name(e.thread);
    switch (e.kind) {
      case "inbound":
        parts.push(
          e.referral === undefined
            ? `writes (${e.type})`
            : `writes (${e.type}) after tapping an ad: a free entry point candidate`,
        );
        break;
      case "call":
        parts.push("calls the shop");
        break;
      case "outbound":
        parts.push(
          e.echo === true
            ? "the page replies (an echo: no window effect)"
            : e.message === "template"
              ? `the shop sends a ${e.category ?? ""} template`
              : "the shop replies free-form",
        );
        break;
      case "status":
        if (e.status === "failed") parts.push(`send failed with ${(e.errors ?? []).join(", ")}`);
        else if (e.conversationExpiresAt !== undefined) {
          parts.push(
            `sent inside a free entry point until ${stamp(e.conversationExpiresAt, UTC)} (platform)`,
          );
        }
        break;
      case "consent":
        parts.push(`${e.action} (${e.scope}) recorded by the shop, source ${e.source}`);
        break;
      case "marketing-preference":
        parts.push(`${e.value === "stop" ? "stops" : "resumes"} marketing (user_preferences)`);
        break;
      default:
        break;
    }
  }
  if (at === undefined || parts.length === 0) return undefined;
  const tail =
    changed === 0 && events.some((e) => e.kind === "inbound")
      ? " [redelivered: nothing changed]"
      : "";
  return `  ${stamp(at, UTC)}  ${who.padEnd(8)} ${parts.join("; ")}${tail}`;
}

/**
 * Runs the demo. `write` receives every output line (default: nothing, for tests).
 *
 * @example
 * ```ts
 * const { snapshots } = await runDemo({ write: console.log });
 * ```
 */
export async function runDemo(
  options: { readonly write?: (line: string) => void; readonly logPath?: string } = {},
): Promise<{ readonly output: string; readonly snapshots: readonly DemoSnapshot[] }> {
  const lines: string[] = [];
  const write = (line: string): void => {
    lines.push(line);
    options.write?.(line);
  };
  const path = options.logPath ?? LOG_PATH;
  const entries = parseLog(readFileSync(path, "utf8"), path);
  let clock = 0;
  const care = createCareWindow({
    store: createMemoryStore(),
    now: () => new Date(clock),
    maxFutureSkewMs: Number.POSITIVE_INFINITY, // a replay: no "now" to be ahead of (CSW-3)
  });
  const names = new Map<string, string>(Object.entries(SOCIAL_NAMES));
  for (const entry of entries) for (const [id, n] of contactNames(entry.value)) names.set(id, n);
  const threads = new Map<string, Thread>();
  const events: CareEvent[] = [];
  const snapshots: DemoSnapshot[] = [];
  const name = (t: Thread): string => names.get(t.customer) ?? t.customer;

  const stop = async (moment: { at: string; title: string }): Promise<void> => {
    clock = Date.parse(moment.at);
    const rows: ThreadDecisions[] = [];
    for (const thread of threads.values()) {
      const channel = thread.channel === undefined ? "" : ` (${thread.channel})`;
      rows.push({
        label: `${name(thread)}${channel}`,
        thread,
        decisions: await decideIntents(care, thread, INTENTS),
      });
    }
    snapshots.push({ at: clock, title: moment.title, rows });
    write("");
    write(
      `== ${moment.title} (${stamp(clock, UTC)} UTC) ${"=".repeat(Math.max(0, 60 - moment.title.length))}`,
    );
    write("");
    for (const line of decisionTable(rows, INTENTS, UTC)) write(`  ${line}`);
    write("");
    write("  Why:");
    for (const row of rows) {
      const why = whyLines(row);
      write(`  ${row.label}`);
      for (const line of why) write(`    ${line}`);
    }
    write("");
  };

  write(
    "care-window demo: a day of webhooks of a small shop, replayed through an in-memory store.",
  );
  write(
    `Log: ${entries.length} webhook bodies and host records (demo/data/shop-day.ndjson). Times in UTC.`,
  );
  write("");
  let next = 0;
  for (const entry of entries) {
    const latest = latestOf(entry.value);
    while (
      next < MOMENTS.length &&
      latest !== undefined &&
      latest > Date.parse(MOMENTS[next]!.at)
    ) {
      await stop(MOMENTS[next]!);
      next++;
    }
    if (latest !== undefined && latest > clock) clock = latest;
    const r = await applyEntry(care, entry);
    for (const e of r.events) {
      events.push(e);
      if ("thread" in e) {
        const t = e.thread;
        const key = threadId(t);
        if (!threads.has(key)) threads.set(key, t);
      }
    }
    for (const w of r.warnings) write(`  warning: ${w.where}: ${w.path}: ${w.message}`);
    const line = narrate(r.events, r.changed, name);
    if (line !== undefined) write(line);
  }
  while (next < MOMENTS.length) {
    await stop(MOMENTS[next]!);
    next++;
  }
  write("Try one customer in detail, with a timeline:");
  write("  npm run cli -- explain --customer 5511976543210 demo/data/shop-day.ndjson");
  return { output: lines.join("\n"), snapshots };
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runDemo({ write: (line) => console.log(line) });
}
