/**
 * The event collector both webhook parsers (WhatsApp, Messenger / Instagram) write into: issues
 * with JSON paths, the test-payload flag, and in-body deduplication (CSW-4).
 *
 * @module
 * @internal
 */
import type { CareEvent } from "../domain/types.js";
import type { ParseResult, WebhookIssue, WebhookIssueCode } from "./parse.js";

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

/** Collects one body's events and issues; see the module docs. */
export class Collector {
  readonly events: CareEvent[] = [];
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

  constructor(dropTest: boolean) {
    this.drop = dropTest;
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
  emit(event: CareEvent, test: boolean, bucket: string, alias = false): void {
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
