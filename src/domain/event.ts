/**
 * The one event contract (issue 10): the single description of a {@link CareEvent}, zod-free so
 * the package root stays light.
 *
 * {@link checkEvent} validates an unknown value and, when it is an event, returns a normalised
 * copy built field by field as the domain types (so the compiler checks this description against
 * `types.ts`: a field added there without a line here does not type-check where it is required,
 * and an unknown field of the input is never copied). The service's `record` uses it at its
 * boundary, and both channel edges (WhatsApp, Messenger / Instagram) pass every event they emit
 * through it, so what an edge emits is, by construction, what `record` accepts: a bad item becomes
 * a webhook issue at the edge instead of refusing its whole batch.
 *
 * Instants (CSW-3, EVT-bounds): a `Date` or finite epoch-millisecond number that a `Date` can hold,
 * not before 2009-01-01T00:00:00Z (the WhatsApp Business Platform did not exist; a smaller value is
 * almost always Unix seconds, and the error says so). Text a store could never save (U+0000, lone
 * surrogates) is refused too: it would otherwise fail as `StoreFailureError` on every retry.
 *
 * @module
 */
import { InvalidInputError } from "./errors.js";
import type {
  CallEvent,
  CareEvent,
  Channel,
  ConsentEvent,
  IdentityEvent,
  InboundEvent,
  Instant,
  OutboundEvent,
  Referral,
  StatusEvent,
  StatusPricing,
  TemplateCategoryEvent,
  Thread,
} from "./types.js";

/**
 * The earliest instant an event may carry: 2009-01-01T00:00:00Z in epoch ms. Anything earlier is
 * refused (with a hint when it looks like Unix seconds).
 *
 * @example
 * ```ts
 * EARLIEST_INSTANT; //=> 1230768000000
 * ```
 */
export const EARLIEST_INSTANT: Instant = 1_230_768_000_000;

/**
 * The latest instant a `Date` can hold (ECMAScript: ±8.64e15 ms).
 *
 * @example
 * ```ts
 * new Date(LATEST_INSTANT).toISOString(); //=> "+275760-09-13T00:00:00.000Z"
 * ```
 */
export const LATEST_INSTANT: Instant = 8_640_000_000_000_000;

/**
 * The result of {@link checkEvent}: the normalised event, or the first bad field and why.
 *
 * @example
 * ```ts
 * const r: EventCheck = checkEvent(raw, "events[0]");
 * if (!r.ok) console.log(r.field, r.message);
 * ```
 */
export type EventCheck =
  | { readonly ok: true; readonly event: CareEvent }
  | { readonly ok: false; readonly field: string; readonly message: string };

/** A refusal inside the checker (caught by {@link checkEvent}). */
class Refusal {
  readonly field: string;
  readonly message: string;
  constructor(field: string, message: string) {
    this.field = field;
    this.message = message;
  }
}

const refuse = (field: string, message: string): never => {
  throw new Refusal(field, message);
};

type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const CHANNELS: ReadonlySet<string> = new Set(["whatsapp", "messenger", "instagram"]);
const CATEGORIES: ReadonlySet<string> = new Set(["marketing", "utility", "authentication"]);
const OUTBOUND_KINDS: ReadonlySet<string> = new Set(["free-form", "template", "direct-send"]);
const SCOPES: ReadonlySet<string> = new Set(["all", "marketing", "utility", "authentication"]);
const DIRECTIONS: ReadonlySet<string> = new Set(["user-initiated", "business-initiated"]);
const IDENTITY_CHANGES: ReadonlySet<string> = new Set([
  "alias",
  "number-changed",
  "user-id-changed",
]);
const CONSENT_ACTIONS: ReadonlySet<string> = new Set(["opt-in", "opt-out"]);
const PREFERENCES: ReadonlySet<string> = new Set(["stop", "resume"]);
const BLOCKS: ReadonlySet<string> = new Set(["block", "unblock"]);
const KINDS: ReadonlySet<string> = new Set([
  "inbound",
  "call",
  "outbound",
  "status",
  "consent",
  "marketing-preference",
  "block",
  "template-category",
  "identity",
]);

/** `String.prototype.isWellFormed` (ES2024): not in this project's `lib` yet. */
type WellFormed = string & { isWellFormed(): boolean };

/**
 * Why `text` cannot be stored as Postgres `text` / `jsonb` (and so would fail on every retry):
 * a U+0000 (NUL) character or a lone UTF-16 surrogate. `undefined` when it can be stored.
 *
 * @example
 * ```ts
 * unstorableText("5511"); //=> undefined
 * unstorableText("55\u000011"); //=> "must not contain U+0000 (NUL)"
 * ```
 */
export function unstorableText(text: string): string | undefined {
  // Fast path, native: no NUL and well-formed UTF-16 (`isWellFormed`, ES2024, Node ≥ 20).
  if (text.indexOf("\u0000") === -1 && (text as WellFormed).isWellFormed()) return undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return "must not contain U+0000 (NUL)";
    if (c >= 0xd800 && c <= 0xdfff) {
      const next = text.charCodeAt(i + 1);
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return "must not contain a lone surrogate (malformed UTF-16)";
    }
  }
  return undefined;
}

/**
 * Why `value` is not an acceptable event instant, or `undefined` when it is (see the module docs).
 * Accepts a `Date` or an epoch-millisecond number.
 *
 * @example
 * ```ts
 * instantProblem(1_795_683_600_000); //=> undefined
 * instantProblem(1_795_683_600); //=> "is before 2009-01-01 (looks like Unix seconds; pass milliseconds)"
 * instantProblem(1e20); //=> "is beyond the range a Date can hold"
 * ```
 */
export function instantProblem(value: unknown): string | undefined {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    return "must be a valid Date or a finite epoch-millisecond number";
  }
  if (ms > LATEST_INSTANT || ms < -LATEST_INSTANT) return "is beyond the range a Date can hold";
  if (ms < EARLIEST_INSTANT) {
    // Unix seconds of 2009 … 5138 are 1.23e9 … 1e11: read as ms they land in January 1970.
    return ms >= EARLIEST_INSTANT / 1000
      ? "is before 2009-01-01 (looks like Unix seconds; pass milliseconds)"
      : "is before 2009-01-01, before any WhatsApp Business Platform event";
  }
  return undefined;
}

/**
 * Normalises an event instant to epoch ms, or throws {@link InvalidInputError} naming `field`.
 *
 * @example
 * ```ts
 * toEventInstant(new Date("2026-11-26T09:00:00Z"), "events[0].at"); //=> 1795683600000
 * toEventInstant(1_795_683_600, "events[0].at"); // throws: looks like Unix seconds
 * ```
 */
export function toEventInstant(value: unknown, field: string): Instant {
  const problem = instantProblem(value);
  if (problem !== undefined)
    throw new InvalidInputError("invalid-event", `${field} ${problem}`, field);
  return value instanceof Date ? value.getTime() : (value as number);
}

function instant(value: unknown, field: string): Instant {
  const problem = instantProblem(value);
  if (problem !== undefined) refuse(field, problem);
  return value instanceof Date ? value.getTime() : (value as number);
}

function text(value: unknown, field: string): string {
  if (typeof value !== "string" || value.length === 0) refuse(field, "must be a non-empty string");
  const problem = unstorableText(value as string);
  if (problem !== undefined) refuse(field, problem);
  return value as string;
}

function optText(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string") return refuse(field, "must be a string when present");
  const problem = unstorableText(value);
  if (problem !== undefined) refuse(field, problem);
  return value;
}

/** A non-empty storable string (type, status, …): the edges never emit an empty one. */
function optNonEmpty(value: unknown, field: string): string | undefined {
  return value === undefined ? undefined : text(value, field);
}

function oneOf<T extends string>(value: unknown, field: string, allowed: ReadonlySet<string>): T {
  if (typeof value !== "string" || !allowed.has(value)) {
    refuse(field, `must be one of ${[...allowed].map((a) => `"${a}"`).join(", ")}`);
  }
  return value as T;
}

function optOneOf<T extends string>(
  value: unknown,
  field: string,
  allowed: ReadonlySet<string>,
): T | undefined {
  return value === undefined ? undefined : oneOf<T>(value, field, allowed);
}

function optBool(value: unknown, field: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    refuse(field, "must be a boolean when present");
  }
  return value as boolean | undefined;
}

/** Sets `key` on `out` when `value` is defined (so equal events serialise identically). */
function put<T extends object, K extends keyof T>(out: T, key: K, value: T[K] | undefined): void {
  if (value !== undefined) (out as Record<PropertyKey, unknown>)[key] = value;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Validates a thread: `{ business, customer, channel? }`, non-empty storable ids. Returns the
 * canonical thread (`channel` omitted for WhatsApp).
 */
function thread(value: unknown, field: string): Thread {
  if (!isObject(value)) return refuse(field, "must be an object { business, customer }");
  const business = text(value["business"], `${field}.business`);
  const customer = text(value["customer"], `${field}.customer`);
  const channel = optOneOf<Channel>(value["channel"], `${field}.channel`, CHANNELS);
  return channel === undefined || channel === "whatsapp"
    ? { business, customer }
    : { channel, business, customer };
}

function referral(value: unknown, field: string): Referral | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return refuse(field, "must be an object when present");
  const out: Mutable<Referral> = { sourceType: text(value["sourceType"], `${field}.sourceType`) };
  put(out, "sourceId", optText(value["sourceId"], `${field}.sourceId`));
  put(out, "sourceUrl", optText(value["sourceUrl"], `${field}.sourceUrl`));
  put(out, "ctwaClid", optText(value["ctwaClid"], `${field}.ctwaClid`));
  put(out, "headline", optText(value["headline"], `${field}.headline`));
  return out;
}

function pricing(value: unknown, field: string): StatusPricing | undefined {
  if (value === undefined) return undefined;
  if (!isObject(value)) return refuse(field, "must be an object when present");
  const out: Mutable<StatusPricing> = {};
  put(out, "model", optText(value["model"], `${field}.model`));
  put(out, "type", optText(value["type"], `${field}.type`));
  put(out, "category", optText(value["category"], `${field}.category`));
  put(out, "billable", optBool(value["billable"], `${field}.billable`));
  // PRICE-24: `paid_exempt` deliveries count toward the month's service messages.
  put(out, "subtype", optText(value["subtype"], `${field}.subtype`));
  return out;
}

function errorCodes(value: unknown, field: string): readonly number[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) return refuse(field, "must be an array of error codes when present");
  const out: number[] = [];
  for (let i = 0; i < value.length; i++) {
    const code: unknown = value[i];
    if (typeof code !== "number" || !Number.isSafeInteger(code)) {
      refuse(`${field}[${i}]`, "must be an integer error code (ERR-1)");
    }
    out.push(code as number);
  }
  return out;
}

function check(raw: unknown, field: string): CareEvent {
  if (!isObject(raw)) return refuse(field, "must be an event object");
  const kind = raw["kind"];
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    return refuse(`${field}.kind`, `is not a known event kind (got ${describe(kind)})`);
  }
  const at = instant(raw["at"], `${field}.at`);
  switch (kind) {
    case "template-category": {
      // Stored as a bigint column: fractional instants could never be written.
      if (!Number.isSafeInteger(at)) {
        refuse(
          `${field}.at`,
          "must be a whole number of epoch milliseconds for a template category",
        );
      }
      const out: Mutable<TemplateCategoryEvent> = {
        kind,
        name: text(raw["name"], `${field}.name`),
        category: oneOf(raw["category"], `${field}.category`, CATEGORIES),
        at,
      };
      put(out, "account", optText(raw["account"], `${field}.account`));
      put(out, "language", optText(raw["language"], `${field}.language`));
      put(out, "status", optText(raw["status"], `${field}.status`));
      return out;
    }
    case "identity": {
      const out: Mutable<IdentityEvent> = {
        kind,
        change: oneOf(raw["change"], `${field}.change`, IDENTITY_CHANGES),
        from: text(raw["from"], `${field}.from`),
        to: text(raw["to"], `${field}.to`),
        at,
        business: text(raw["business"], `${field}.business`),
      };
      put(out, "channel", optOneOf<Channel>(raw["channel"], `${field}.channel`, CHANNELS));
      return out;
    }
    case "inbound": {
      const out: Mutable<InboundEvent> = {
        kind,
        id: text(raw["id"], `${field}.id`),
        type: text(raw["type"], `${field}.type`),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
      put(out, "subtype", optNonEmpty(raw["subtype"], `${field}.subtype`));
      put(out, "referral", referral(raw["referral"], `${field}.referral`));
      put(out, "action", optNonEmpty(raw["action"], `${field}.action`));
      return out;
    }
    case "call": {
      const out: CallEvent = {
        kind,
        id: text(raw["id"], `${field}.id`),
        direction: oneOf(raw["direction"], `${field}.direction`, DIRECTIONS),
        phase: text(raw["phase"], `${field}.phase`),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
      return out;
    }
    case "outbound": {
      const out: Mutable<OutboundEvent> = {
        kind,
        id: text(raw["id"], `${field}.id`),
        message: oneOf(raw["message"], `${field}.message`, OUTBOUND_KINDS),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
      put(out, "type", optNonEmpty(raw["type"], `${field}.type`));
      put(out, "category", optOneOf(raw["category"], `${field}.category`, CATEGORIES));
      put(out, "echo", optBool(raw["echo"], `${field}.echo`));
      return out;
    }
    case "status": {
      const out: Mutable<StatusEvent> = {
        kind,
        id: text(raw["id"], `${field}.id`),
        status: text(raw["status"], `${field}.status`),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
      put(out, "pricing", pricing(raw["pricing"], `${field}.pricing`));
      const expires = raw["conversationExpiresAt"];
      if (expires !== undefined) {
        out.conversationExpiresAt = instant(expires, `${field}.conversationExpiresAt`);
      }
      put(out, "conversationId", optText(raw["conversationId"], `${field}.conversationId`));
      put(out, "origin", optText(raw["origin"], `${field}.origin`));
      put(out, "errors", errorCodes(raw["errors"], `${field}.errors`));
      put(out, "message", optOneOf(raw["message"], `${field}.message`, OUTBOUND_KINDS));
      put(out, "type", optNonEmpty(raw["type"], `${field}.type`));
      const retryAfter = raw["retryAfter"];
      if (retryAfter !== undefined) out.retryAfter = instant(retryAfter, `${field}.retryAfter`);
      // ERR-31 … ERR-33: the Messenger Send API error's subcode and the tag of the failed send.
      const subcode: unknown = raw["errorSubcode"];
      if (subcode !== undefined) {
        if (typeof subcode !== "number" || !Number.isSafeInteger(subcode)) {
          refuse(`${field}.errorSubcode`, "must be an integer error subcode when present (ERR-33)");
        }
        out.errorSubcode = subcode as number;
      }
      put(out, "tag", optText(raw["tag"], `${field}.tag`));
      return out;
    }
    case "consent": {
      const source = raw["source"];
      if (typeof source !== "string") refuse(`${field}.source`, "must be a string");
      const out: ConsentEvent = {
        kind,
        action: oneOf(raw["action"], `${field}.action`, CONSENT_ACTIONS),
        scope: oneOf(raw["scope"], `${field}.scope`, SCOPES),
        source: optText(source, `${field}.source`) as string,
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
      return out;
    }
    case "marketing-preference":
      return {
        kind,
        value: oneOf(raw["value"], `${field}.value`, PREFERENCES),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
    case "block":
      return {
        kind,
        value: oneOf(raw["value"], `${field}.value`, BLOCKS),
        at,
        thread: thread(raw["thread"], `${field}.thread`),
      };
    default:
      return refuse(`${field}.kind`, `is not a known event kind (got ${describe(kind)})`);
  }
}

/** A short, safe rendering of an unknown value for a message. */
function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value.slice(0, 40));
  if (value === null || typeof value !== "object") return String(value);
  return Array.isArray(value) ? "an array" : "an object";
}

/**
 * Checks one event against the contract; never throws. On success `event` is a normalised copy
 * (instants in epoch ms, `thread.channel` omitted for WhatsApp, unknown fields dropped).
 *
 * @example
 * ```ts
 * checkEvent({ kind: "inbound", id: "w", type: "text", at: new Date("2026-11-26T09:00:00Z"), thread }).ok; //=> true
 * checkEvent({ kind: "inbound", id: "", type: "text", at: 0, thread }, "events[0]");
 * //=> { ok: false, field: "events[0].id", message: "must be a non-empty string" }
 * ```
 */
export function checkEvent(raw: unknown, field = "event"): EventCheck {
  try {
    return { ok: true, event: check(raw, field) };
  } catch (error) {
    if (error instanceof Refusal) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
}

/**
 * Checks one event and returns its normalised copy, or throws {@link InvalidInputError}
 * (`invalid-event`) naming the first bad field.
 *
 * @example
 * ```ts
 * parseEvent({ kind: "block", value: "block", at: 1_795_683_600_000, thread }).kind; //=> "block"
 * parseEvent({ kind: "block", value: "maybe", at: 1_795_683_600_000, thread }, "events[2]"); // throws, field "events[2].value"
 * ```
 */
export function parseEvent(raw: unknown, field = "event"): CareEvent {
  const r = checkEvent(raw, field);
  if (r.ok) return r.event;
  throw new InvalidInputError("invalid-event", `${r.field} ${r.message}`, r.field);
}

/**
 * Compile-time guard that this module describes every field of every event type: adding a field
 * to an event in `types.ts` without a line in {@link checkEvent} (and here) fails to type-check.
 * Each entry names the fields `check` copies for that kind.
 */
type Covers<E> = { readonly [K in keyof Required<E>]: true };
export const CONTRACT_FIELDS: {
  readonly inbound: Covers<InboundEvent>;
  readonly call: Covers<CallEvent>;
  readonly outbound: Covers<OutboundEvent>;
  readonly status: Covers<StatusEvent>;
  readonly consent: Covers<ConsentEvent>;
  readonly "template-category": Covers<TemplateCategoryEvent>;
  readonly identity: Covers<IdentityEvent>;
} = {
  inbound: {
    kind: true,
    id: true,
    type: true,
    at: true,
    thread: true,
    subtype: true,
    referral: true,
    action: true,
  },
  call: { kind: true, id: true, direction: true, phase: true, at: true, thread: true },
  outbound: {
    kind: true,
    id: true,
    message: true,
    at: true,
    thread: true,
    type: true,
    category: true,
    echo: true,
  },
  status: {
    kind: true,
    id: true,
    status: true,
    at: true,
    thread: true,
    pricing: true,
    conversationExpiresAt: true,
    conversationId: true,
    origin: true,
    errors: true,
    message: true,
    type: true,
    retryAfter: true,
    errorSubcode: true,
    tag: true,
  },
  consent: { kind: true, action: true, scope: true, source: true, at: true, thread: true },
  "template-category": {
    kind: true,
    name: true,
    category: true,
    at: true,
    account: true,
    language: true,
    status: true,
  },
  identity: {
    kind: true,
    change: true,
    from: true,
    to: true,
    at: true,
    business: true,
    channel: true,
  },
};
