/**
 * The event collector both webhook parsers (WhatsApp, Messenger / Instagram) write into: issues
 * with JSON paths, the test-payload flag, and in-body deduplication (CSW-4).
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import { checkEvent } from "../domain/event.js";
import type { CareEvent, Instant, KnownOr } from "../domain/types.js";

/**
 * Stable codes of {@link WebhookIssue}.
 *
 * | code | meaning | effect |
 * |---|---|---|
 * | `unsupported-object` | `object` is not `whatsapp_business_account` | nothing parsed |
 * | `invalid-envelope` | `entry` / `changes` / `value` malformed at that level | that level skipped |
 * | `invalid-item` | an item fails its schema, or the event it would give fails the one event contract (`checkEvent`: empty id or type, NUL / lone surrogate, non-integer error code, …) | no event for it |
 * | `invalid-content` | a malformed side field or content object (`referral`, `context`, `errors[]`, `pricing`, …) of a message, status or postback | event kept, the bad part ignored |
 * | `invalid-timestamp` | unparseable timestamp, ≥ 1e11 seconds (milliseconds sent as seconds, CSW-3), before 2009-01-01, or (with `now`) an inbound message or call more than `maxFutureSkewMs` ahead | no event for it (or the field omitted) |
 * | `missing-metadata` | no `metadata.phone_number_id` (ID-1) | items of that value skipped |
 * | `missing-customer` | no `wa_id`, BSUID or group id | no event for it |
 * | `unknown-type` | inbound message type this version does not know | inbound event with the raw type |
 * | `unknown-value` | unknown preference, call direction or template category | no event for it |
 * | `platform-error` | a `value.errors[]` entry (system, app or account error, ERR-2) | none |
 *
 * @example
 * ```ts
 * const code: WebhookIssueCode = "invalid-timestamp";
 * ```
 */
export type WebhookIssueCode = KnownOr<
  | "unsupported-object"
  | "invalid-envelope"
  | "invalid-item"
  | "invalid-content"
  | "invalid-timestamp"
  | "missing-metadata"
  | "missing-customer"
  | "unknown-type"
  | "unknown-value"
  | "platform-error"
>;

/**
 * Something in the body that did not become (or fully become) an event.
 *
 * @example
 * ```ts
 * const issue: WebhookIssue = {
 *   path: "entry[0].changes[0].value.messages[2].timestamp",
 *   code: "invalid-timestamp",
 *   message: "timestamp is not Unix seconds",
 * };
 * ```
 */
export interface WebhookIssue {
  /** JSON path from the body root, e.g. `entry[0].changes[1].value.messages[2].timestamp`. */
  readonly path: string;
  readonly code: WebhookIssueCode;
  readonly message: string;
  /** For `platform-error`: the numeric error code (ERR-1). */
  readonly errorCode?: number;
}

/**
 * Options of {@link parseWebhook}.
 *
 * @example
 * ```ts
 * parseWebhook(body, { dropTestPayloads: false });
 * ```
 */
export interface ParseOptions {
  /**
   * Drop the events of App Dashboard test payloads (CSW-15). Default `true`; `result.test`
   * reports them either way.
   */
  readonly dropTestPayloads?: boolean;
  /**
   * The receiver's clock (epoch ms or `Date`). When given, an inbound message or a call more
   * than {@link ParseOptions.maxFutureSkewMs} after it becomes an `invalid-timestamp` issue
   * instead of an event, so a forged or broken timestamp can never anchor a window (CSW-3).
   * The service passes its own clock. Default: no future check.
   */
  readonly now?: Instant | Date;
  /** How far past `now` an inbound message or call may be. Default one day (86,400,000 ms). */
  readonly maxFutureSkewMs?: number;
}

/**
 * What {@link parseWebhook} returns.
 *
 * @example
 * ```ts
 * const { events, issues, ignored, test } = parseWebhook(rawBody);
 * ```
 */
export interface ParseResult {
  /** Core events, in body order, without duplicates. */
  readonly events: CareEvent[];
  /** Everything that was malformed or unknown, with its JSON path. */
  readonly issues: WebhookIssue[];
  /** Changes of fields that carry nothing for the library (`account_update`, `history`, …). */
  readonly ignored: number;
  /** `true` when any part of the body is an App Dashboard test payload (CSW-15). */
  readonly test: boolean;
}

/**
 * A short rendering of an untrusted value for an issue message. Never throws and never recurses:
 * `JSON.stringify` of an array nested 5,000 deep overflows the stack (issue 10), and a 3 MB
 * string has no place in a log line.
 */
export function show(value: unknown): string {
  if (typeof value === "string") {
    return value.length > 60 ? `${JSON.stringify(value.slice(0, 60))}…` : JSON.stringify(value);
  }
  if (value === undefined) return "nothing";
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/** A JSON object. */
export type Rec = Record<string, unknown>;

export const isRecord = (value: unknown): value is Rec =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const IDENT_RE = /^[A-Za-z_$][\w$]*$/;

/** Appends a zod issue path to a JSON path string. */
export function joinPath(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else if (typeof key === "string" && IDENT_RE.test(key)) out += `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

/** At most this many zod issues are reported per item. */
export const MAX_ISSUES_PER_ITEM = 5;

/** One day: the default {@link ParseOptions.maxFutureSkewMs}. */
export const DEFAULT_FUTURE_SKEW_MS = 86_400_000;

/**
 * The latest acceptable instant of an inbound-like event for `options`, or `Infinity` when no
 * clock is given. Bad options are typed errors naming the field.
 */
export function futureLimit(options: ParseOptions, field = "options"): number {
  const { now, maxFutureSkewMs } = options;
  if (maxFutureSkewMs !== undefined) {
    if (typeof maxFutureSkewMs !== "number" || !(maxFutureSkewMs >= 0)) {
      throw new InvalidInputError(
        "invalid-argument",
        `${field}.maxFutureSkewMs must be a non-negative number of milliseconds`,
        `${field}.maxFutureSkewMs`,
      );
    }
  }
  if (now === undefined) return Number.POSITIVE_INFINITY;
  const ms = now instanceof Date ? now.getTime() : now;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field}.now must be a valid Date or a finite epoch-millisecond number`,
      `${field}.now`,
    );
  }
  return ms + (maxFutureSkewMs ?? DEFAULT_FUTURE_SKEW_MS);
}

/**
 * Checks the options object of a parser. Absent means "no options"; `null`, or anything else
 * that is not an object, is a typed error (the one rule for `null` in care-window: never read
 * as absent, always refused naming the field).
 */
export function parseOptionsOf(options: unknown, field = "options"): ParseOptions {
  if (options === undefined) return {};
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError("invalid-argument", `${field} must be an object`, field);
  }
  const o = options as ParseOptions;
  const drop: unknown = o.dropTestPayloads;
  if (drop !== undefined && typeof drop !== "boolean") {
    throw new InvalidInputError(
      "invalid-argument",
      `${field}.dropTestPayloads must be a boolean`,
      `${field}.dropTestPayloads`,
    );
  }
  return o;
}

/** Collects one body's events and issues; see the module docs. */
export class Collector {
  readonly events: CareEvent[] = [];
  /**
   * JSON path of the item being read: the parsers set it before handing an item over, so an
   * event the contract refuses is reported at its item.
   */
  where = "";
  readonly issues: WebhookIssue[] = [];
  ignored = 0;
  test = false;
  /**
   * Deduplication index (Meta's webhook reference): a short bucket from the payload (the item id, or the
   * BSUID of an alias) → the index of its only event, or, once a second event shares the bucket,
   * a map of full keys → index. Each event's full key is computed at most once, and only when
   * its bucket is shared, so N updates of one id cost O(N) and distinct items pay no key at all.
   */
  private readonly buckets = new Map<string, number | Map<string, number>>();
  /** The same for aliases, where the earliest instant of one link wins. */
  private readonly aliasBuckets = new Map<string, number | Map<string, number>>();
  private readonly drop: boolean;
  /** phone_number_id → its display number, learned from any value of the body. */
  readonly displays = new Map<string, string>();

  /** Latest instant an inbound message or call may carry (see {@link futureLimit}). */
  private readonly latest: number;

  constructor(options: ParseOptions) {
    this.drop = (options.dropTestPayloads ?? true) !== false;
    this.latest = futureLimit(options);
  }

  issue(path: string, code: WebhookIssueCode, message: string, errorCode?: number): void {
    this.issues.push(
      errorCode === undefined ? { path, code, message } : { path, code, message, errorCode },
    );
  }

  zodIssues(
    base: string,
    code: WebhookIssueCode,
    issues: readonly { path: readonly PropertyKey[]; message: string }[],
  ): void {
    const n = Math.min(issues.length, MAX_ISSUES_PER_ITEM);
    for (let i = 0; i < n; i++) {
      const issue = issues[i]!;
      this.issue(joinPath(base, issue.path), code, issue.message);
    }
  }

  /**
   * Adds an event unless an identical one is already there (Meta's webhook reference, CSW-4). An alias
   * is the same link whatever its instant: the earliest is kept.
   */
  emit(raw: CareEvent, test: boolean, bucket: string, alias = false): void {
    // The one event contract (issue 10): every event an edge emits passes the validator that
    // `record` uses, so a bad item is an issue here instead of refusing its whole batch.
    const checked = checkEvent(raw, "event");
    if (!checked.ok) {
      const code = checked.field === "event.at" ? "invalid-timestamp" : "invalid-item";
      this.issue(this.where, code, `${checked.field} ${checked.message}`);
      return;
    }
    const event = checked.event;
    if ((event.kind === "inbound" || event.kind === "call") && event.at > this.latest) {
      // CSW-3: a provider instant far ahead of the receiver's clock must not anchor a window.
      this.issue(
        this.where,
        "invalid-timestamp",
        `${event.kind} timestamp ${new Date(event.at).toISOString()} is more than the allowed skew after now`,
      );
      return;
    }
    if (test) {
      this.test = true;
      if (this.drop) return;
    }
    const index = alias ? this.aliasBuckets : this.buckets;
    const slot = index.get(bucket);
    if (slot === undefined) {
      index.set(bucket, this.events.length);
      this.events.push(event);
      return;
    }
    let keys: Map<string, number>;
    if (typeof slot === "number") {
      keys = new Map([[eventKey(this.events[slot]!, alias), slot]]);
      index.set(bucket, keys);
    } else {
      keys = slot;
    }
    const key = eventKey(event, alias);
    const found = keys.get(key);
    if (found === undefined) {
      keys.set(key, this.events.length);
      this.events.push(event);
    } else if (alias && event.at < this.events[found]!.at) {
      this.events[found] = event;
    }
  }
}

const SEP = "\u0000";

/**
 * Identity of an event for in-body deduplication (Meta's webhook reference): the fields that make two
 * deliveries the same update (cheaper than serialising the whole event).
 */
function eventKey(e: CareEvent, alias = false): string {
  const t = "thread" in e ? `${e.thread.business}${SEP}${e.thread.customer}${SEP}` : "";
  switch (e.kind) {
    case "inbound":
      return `i${SEP}${t}${e.id}${SEP}${e.at}${SEP}${e.type}${SEP}${e.subtype ?? ""}`;
    case "status":
      return `s${SEP}${t}${e.id}${SEP}${e.status}${SEP}${e.at}`;
    case "call":
      return `c${SEP}${t}${e.id}${SEP}${e.direction}${SEP}${e.phase}${SEP}${e.at}`;
    case "outbound":
      return `o${SEP}${t}${e.id}${SEP}${e.at}${SEP}${e.message}${SEP}${e.type ?? ""}`;
    case "marketing-preference":
      return `m${SEP}${t}${e.value}${SEP}${e.at}`;
    case "identity":
      if (alias) return `a${SEP}${e.business}${SEP}${e.from}${SEP}${e.to}`;
      return `d${SEP}${e.business}${SEP}${e.change}${SEP}${e.from}${SEP}${e.to}${SEP}${e.at}`;
    case "template-category":
      return `t${SEP}${e.account ?? ""}${SEP}${e.name}${SEP}${e.language ?? ""}${SEP}${e.category}${SEP}${e.status ?? ""}${SEP}${e.at}`;
    default:
      return JSON.stringify(e); // kinds this parser does not produce
  }
}

/** The parse result of a collector. */
export function finish(out: Collector): ParseResult {
  return { events: out.events, issues: out.issues, ignored: out.ignored, test: out.test };
}
