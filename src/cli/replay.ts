/**
 * Feeding a webhook log into a care-window service, line by line: WhatsApp, Messenger and
 * Instagram bodies go to `care.ingest` (which routes each channel), and host-record lines
 * (`{"record": [...]}`: the host's own sends, opt-ins, …) to `care.record`. Used by the CLI and
 * the demo.
 *
 * @module
 * @internal
 */
import { CareWindowError } from "../domain/errors.js";
import type { CareEvent, Instant, Thread } from "../domain/types.js";
import { isMessengerBody } from "../messenger/parse.js";
import type { CareWindow } from "../service/createCareWindow.js";
import type { CareEventInput } from "../service/validate.js";
import type { WebhookIssue } from "../whatsapp/index.js";
import type { Decision } from "../window/decision.js";
import { type LogEntry, LogInputError, readIsoInstant, whereOf } from "./input.js";
import { type IntentName, intentOf } from "./summary.js";

/**
 * A webhook issue, located in the input.
 *
 * @example
 * ```ts
 * const w: ReplayWarning = { where: "day.ndjson:7", path: "entry[0]…timestamp", code: "invalid-timestamp", message: "…" };
 * ```
 */
export interface ReplayWarning {
  readonly where: string;
  readonly path: string;
  readonly code: string;
  readonly message: string;
}

/**
 * What one log entry did.
 *
 * @example
 * ```ts
 * const r = await applyEntry(care, entry);
 * if (r.changed === 0) console.log("nothing new (a duplicate?)");
 * ```
 */
export interface EntryResult {
  readonly kind: "whatsapp" | "messenger" | "record";
  /** Events parsed (with epoch-ms instants). */
  readonly events: readonly CareEvent[];
  readonly warnings: readonly ReplayWarning[];
  /** Threads whose stored state changed: 0 for a redelivered webhook (CSW-4). */
  readonly changed: number;
  /** Profile names from WhatsApp `contacts[]` (`wa_id` → name), for display only. */
  readonly names: readonly (readonly [string, string])[];
}

/**
 * `wa_id` / BSUID → profile name, from every `value.contacts[]` of a WhatsApp body.
 *
 * @example
 * ```ts
 * contactNames(body); //=> [["5511987654321", "Ana"], ["BR.1502576394655843", "Ana"]]
 * ```
 */
export function contactNames(body: unknown): [string, string][] {
  const out: [string, string][] = [];
  const root = body as { entry?: unknown } | null;
  const entries = Array.isArray(root?.entry) ? root.entry : [];
  for (const entry of entries) {
    const changes = (entry as { changes?: unknown })?.changes;
    if (!Array.isArray(changes)) continue;
    for (const change of changes) {
      const contacts = (change as { value?: { contacts?: unknown } })?.value?.contacts;
      if (!Array.isArray(contacts)) continue;
      for (const c of contacts) {
        const name = (c as { profile?: { name?: unknown } })?.profile?.name;
        if (typeof name !== "string" || name === "") continue;
        for (const id of [(c as { wa_id?: unknown }).wa_id, (c as { user_id?: unknown }).user_id]) {
          if (typeof id === "string" && id !== "") out.push([id, name]);
        }
      }
    }
  }
  return out;
}

const INSTANT_FIELDS = ["at", "conversationExpiresAt", "retryAfter"] as const;
const GIVE = "give an ISO 8601 instant with Z or an offset, such as 2026-11-26T08:50:00Z";

/**
 * Host-record events with their ISO instants turned into epoch ms. Every instant must carry `Z`
 * or an offset, exactly like `--at`: a zoneless `2026-11-26T08:50:00` would otherwise be read in
 * this machine's time zone (08:50Z under TZ=UTC, 11:50Z under TZ=America/Sao_Paulo). Epoch
 * numbers are refused too: seconds and milliseconds look alike, and the vocabulary of a record
 * line is ISO text.
 */
function hostEvents(list: readonly unknown[], where: string): CareEvent[] {
  const bad = (message: string): never => {
    throw new LogInputError(where, message, "invalid-event");
  };
  return list.map((raw, i) => {
    if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
      return bad(`record[${i}] must be an event object, got ${JSON.stringify(raw)}`);
    }
    const event: Record<string, unknown> = { ...(raw as Record<string, unknown>) };
    for (const key of INSTANT_FIELDS) {
      const path = `record[${i}].${key}`;
      const v = event[key];
      if (v === undefined || v === null) {
        if (key === "at") bad(`${path} is missing: ${GIVE}`);
        continue;
      }
      if (typeof v !== "string") {
        bad(`${path} must be an ISO 8601 instant with Z or an offset, got ${JSON.stringify(v)}`);
        continue;
      }
      const r = readIsoInstant(v);
      if (r.ok) event[key] = r.ms;
      else if (r.problem === "no-zone") {
        bad(
          `${path} ${JSON.stringify(v)} has no time zone: add Z (UTC) or an offset such as -03:00, so the answer does not depend on this machine`,
        );
      } else bad(`${path} is not an ISO 8601 instant: ${JSON.stringify(v)}; ${GIVE}`);
    }
    return event as unknown as CareEvent;
  });
}

/** A service validation message in the record line's words: `events[2].x` → `record[2].x`. */
const inRecordWords = (message: string): string =>
  message.replace(/\bevents\[(\d+)\]/g, "record[$1]");

const located = (where: string, issues: readonly WebhookIssue[]): ReplayWarning[] =>
  issues.map((i) => ({ where, path: i.path, code: i.code, message: i.message }));

/**
 * Applies one log entry to the service. Throws {@link LogInputError} (with `file:line`) for an
 * entry that is not a body or holds an invalid host event; webhook issues come back as warnings.
 *
 * @example
 * ```ts
 * for (const entry of parseLog(text, "day.ndjson")) await applyEntry(care, entry);
 * ```
 */
export async function applyEntry(care: CareWindow, entry: LogEntry): Promise<EntryResult> {
  const where = whereOf(entry);
  const value = entry.value as Record<string, unknown>;
  const isRecord = !("object" in value) && Array.isArray(value.record);
  try {
    if (isRecord) {
      const events = hostEvents(value.record as readonly unknown[], where);
      const r = await care.record(events as readonly CareEventInput[]);
      return { kind: "record", events, warnings: [], changed: r.changed, names: [] };
    }
    // `ingest` routes WhatsApp, Messenger and Instagram bodies alike (parseWebhook).
    const r = await care.ingest(value);
    return {
      kind: isMessengerBody(value) ? "messenger" : "whatsapp",
      events: r.events,
      warnings: located(where, r.issues),
      changed: r.recorded.changed,
      names: contactNames(value),
    };
  } catch (e) {
    if (e instanceof LogInputError) throw e;
    if (e instanceof CareWindowError && e.code !== "store-conflict" && e.code !== "store-failure") {
      throw new LogInputError(
        where,
        isRecord ? inRecordWords(e.message) : e.message,
        e.code === "invalid-json" || e.code === "invalid-body" ? e.code : "invalid-event",
      );
    }
    throw e;
  }
}

/**
 * A stable key of a thread (channel, business, customer).
 *
 * @example
 * ```ts
 * threadId({ business: "1065", customer: "5511" }); //=> "whatsapp 1065 5511"
 * ```
 */
export function threadId(thread: Thread): string {
  return `${thread.channel ?? "whatsapp"} ${thread.business} ${thread.customer}`;
}

/**
 * Everything a whole log replay produced. It holds the threads, not the log: its size grows with
 * the number of threads, while events are counted, and kept only for the one thread `explain`
 * draws (see {@link ReplayOptions.keep}).
 *
 * @example
 * ```ts
 * const r = await replayLog(care, readLog(chunks, "day.ndjson"));
 * r.threads.length; r.latestAt;
 * ```
 */
export interface ReplayResult {
  /** Events parsed, in all. */
  readonly events: number;
  /** The events of the one kept thread, in input order (see {@link ReplayOptions.keep}). */
  readonly kept: ReadonlyMap<string, readonly CareEvent[]>;
  /** Distinct threads, in order of first appearance. */
  readonly threads: readonly Thread[];
  /** The first {@link MAX_WARNINGS} warnings. */
  readonly warnings: readonly ReplayWarning[];
  /** Warnings in all (also those past {@link MAX_WARNINGS}). */
  readonly warningCount: number;
  /** Bodies (and record lines) applied. */
  readonly entries: number;
  /** Entries that changed nothing (duplicates, redeliveries). */
  readonly unchanged: number;
  /** The latest event instant in the input, or `undefined` when it has none. */
  readonly latestAt: Instant | undefined;
  /** Customer id → profile name (WhatsApp `contacts[]`). */
  readonly names: ReadonlyMap<string, string>;
}

/**
 * Warnings a replay result holds; more are counted (and reported as they happen) but not kept,
 * so a log full of bad bodies cannot grow memory without bound.
 *
 * @example
 * ```ts
 * r.warningCount > MAX_WARNINGS; // some were not kept
 * ```
 */
export const MAX_WARNINGS = 1000;

/**
 * What {@link replayLog} reports while it runs, and which events it keeps.
 *
 * @example
 * ```ts
 * await replayLog(care, entries, { onWarning: (w) => console.error(w.where), keep: () => true });
 * ```
 */
export interface ReplayOptions {
  /** Called for each warning as its entry is applied. */
  readonly onWarning?: (warning: ReplayWarning) => void;
  /** Called after every applied entry, with the running counts. */
  readonly onEntry?: (entries: number, threads: number) => void;
  /**
   * Threads whose events to keep (for a timeline). Events are kept while at most ONE matching
   * thread has been seen; when a second appears, none are kept (the caller then has to ask which
   * thread it means anyway). Default: keep none.
   */
  readonly keep?: (thread: Thread) => boolean;
}

/**
 * Applies every entry in order, as the entries arrive: an async source (a file read line by
 * line) is folded as it is read.
 *
 * @example
 * ```ts
 * const result = await replayLog(care, readLog(chunks, "day.ndjson"));
 * ```
 */
export async function replayLog(
  care: CareWindow,
  entries: Iterable<LogEntry> | AsyncIterable<LogEntry>,
  options: ReplayOptions = {},
): Promise<ReplayResult> {
  let events = 0;
  const kept = new Map<string, CareEvent[]>();
  let keeping = options.keep !== undefined;
  const threads = new Map<string, Thread>();
  const warnings: ReplayWarning[] = [];
  let warningCount = 0;
  let count = 0;
  let unchanged = 0;
  let latestAt: Instant | undefined;
  const names = new Map<string, string>();
  for await (const entry of entries) {
    const r = await applyEntry(care, entry);
    count++;
    for (const [id, name] of r.names) names.set(id, name);
    for (const w of r.warnings) {
      warningCount++;
      if (warnings.length < MAX_WARNINGS) warnings.push(w);
      options.onWarning?.(w);
    }
    if (r.events.length > 0 && r.changed === 0) unchanged++;
    for (const e of r.events) {
      events++;
      latestAt = latestAt === undefined || e.at > latestAt ? e.at : latestAt;
      if ("thread" in e) {
        const t: Thread =
          e.thread.channel === undefined || e.thread.channel === "whatsapp"
            ? { business: e.thread.business, customer: e.thread.customer }
            : e.thread;
        const id = threadId(t);
        if (!threads.has(id)) threads.set(id, t);
        if (keeping && options.keep?.(t) === true) {
          const list = kept.get(id);
          if (list !== undefined) list.push(e);
          else if (kept.size === 0) kept.set(id, [e]);
          else {
            kept.clear();
            keeping = false;
          }
        }
      }
    }
    options.onEntry?.(count, threads.size);
  }
  return {
    events,
    kept,
    threads: [...threads.values()],
    warnings,
    warningCount,
    entries: count,
    unchanged,
    latestAt,
    names,
  };
}

/**
 * Decides each named intent for a thread through the service, at the service clock's `now`. The
 * monthly service-tier usage is the service's own count of the deliveries it has recorded.
 *
 * @example
 * ```ts
 * const d = await decideIntents(care, thread, ["free-form", "marketing"]);
 * d.marketing?.outcome; //=> "blocked"
 * ```
 */
export async function decideIntents(
  care: CareWindow,
  thread: Thread,
  intents: readonly IntentName[],
): Promise<Partial<Record<IntentName, Decision>>> {
  const out: Partial<Record<IntentName, Decision>> = {};
  for (const name of intents) out[name] = await care.decide(thread, intentOf(name));
  return out;
}
