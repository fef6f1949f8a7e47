/**
 * Validation and normalisation of the service's public inputs: threads and events. Bad input
 * gets an {@link InvalidInputError} naming the field (`events[3].at`, `thread.customer`, …).
 * Strings a store could never save (U+0000, lone surrogates) are bad input too: rejected here,
 * they would otherwise fail as `StoreFailureError` on every retry.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type {
  CareEvent,
  Channel,
  Instant,
  StatusEvent,
  Thread,
  ThreadEvent,
} from "../domain/types.js";
import type { ThreadKey } from "../store/port.js";

/**
 * A {@link CareEvent} as accepted by `record`: instants may be `Date`s or epoch-ms numbers; they
 * are normalised to epoch ms.
 *
 * @example
 * ```ts
 * const e: CareEventInput = {
 *   kind: "inbound", id: "wamid.A", type: "text", at: new Date("2026-11-26T09:00:00Z"),
 *   thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export type CareEventInput = DatedEvent<CareEvent>;

/**
 * Distributes over the event union, widening instants to `Instant | Date`.
 *
 * @example
 * ```ts
 * type In = DatedEvent<InboundEvent>; // InboundEvent with `at: Instant | Date`
 * ```
 */
export type DatedEvent<E> = E extends CareEvent
  ? Omit<E, "at" | "conversationExpiresAt" | "retryAfter"> & {
      readonly at: Instant | Date;
    } & (E extends StatusEvent
        ? {
            readonly conversationExpiresAt?: Instant | Date;
            readonly retryAfter?: Instant | Date;
          }
        : unknown)
  : never;

const CHANNELS: ReadonlySet<string> = new Set(["whatsapp", "messenger", "instagram"]);
const CATEGORIES: ReadonlySet<string> = new Set(["marketing", "utility", "authentication"]);
const OUTBOUND_KINDS: ReadonlySet<string> = new Set(["free-form", "template", "direct-send"]);
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
const SCOPES: ReadonlySet<string> = new Set(["all", "marketing", "utility", "authentication"]);

type Obj = Record<string, unknown>;

const fail = (
  field: string,
  message: string,
  code: "invalid-event" | "invalid-argument",
): never => {
  throw new InvalidInputError(code, `${field} ${message}`, field);
};

function isObject(value: unknown): value is Obj {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function instant(value: unknown, field: string): Instant {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    return fail(
      field,
      "must be a valid Date or a finite epoch-millisecond number",
      "invalid-event",
    );
  }
  return ms;
}

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
 * Throws an {@link InvalidInputError} naming `field` when `text` cannot be stored
 * ({@link unstorableText}).
 *
 * @example
 * ```ts
 * assertStorable("order_update", "intent.name", "invalid-intent"); // ok
 * assertStorable("a\u0000", "intent.name", "invalid-intent"); // throws, field "intent.name"
 * ```
 */
export function assertStorable(
  text: string,
  field: string,
  code: "invalid-event" | "invalid-argument" | "invalid-intent",
): void {
  const problem = unstorableText(text);
  if (problem !== undefined) throw new InvalidInputError(code, `${field} ${problem}`, field);
}

function str(o: Obj, key: string, field: string): string {
  const v = o[key];
  if (typeof v !== "string" || v.length === 0) {
    return fail(`${field}.${key}`, "must be a non-empty string", "invalid-event");
  }
  assertStorable(v, `${field}.${key}`, "invalid-event");
  return v;
}

function optStr(o: Obj, key: string, field: string): void {
  const v = o[key];
  if (v !== undefined && typeof v !== "string") {
    fail(`${field}.${key}`, "must be a string when present", "invalid-event");
  }
  if (typeof v === "string") assertStorable(v, `${field}.${key}`, "invalid-event");
}

function oneOf(o: Obj, key: string, field: string, allowed: ReadonlySet<string>): void {
  const v = o[key];
  if (typeof v !== "string" || !allowed.has(v)) {
    fail(
      `${field}.${key}`,
      `must be one of ${[...allowed].map((a) => `"${a}"`).join(", ")}`,
      "invalid-event",
    );
  }
}

function optOneOf(o: Obj, key: string, field: string, allowed: ReadonlySet<string>): void {
  if (o[key] !== undefined) oneOf(o, key, field, allowed);
}

/**
 * Validates a thread and returns its storage key (channel defaults to `"whatsapp"`).
 *
 * @example
 * ```ts
 * threadKey({ business: "1065", customer: "5511" }); //=> { channel: "whatsapp", business: "1065", customer: "5511" }
 * threadKey({ business: "", customer: "5511" }); // throws, field "thread.business"
 * ```
 */
export function threadKey(
  thread: unknown,
  field = "thread",
  code: "invalid-event" | "invalid-argument" = "invalid-argument",
): ThreadKey {
  if (!isObject(thread)) return fail(field, "must be an object { business, customer }", code);
  const { business, customer, channel } = thread;
  if (typeof business !== "string" || business.length === 0) {
    return fail(`${field}.business`, "must be a non-empty string", code);
  }
  if (typeof customer !== "string" || customer.length === 0) {
    return fail(`${field}.customer`, "must be a non-empty string", code);
  }
  assertStorable(business, `${field}.business`, code);
  assertStorable(customer, `${field}.customer`, code);
  if (channel !== undefined && (typeof channel !== "string" || !CHANNELS.has(channel))) {
    return fail(`${field}.channel`, 'must be "whatsapp", "messenger" or "instagram"', code);
  }
  return { channel: (channel ?? "whatsapp") as Channel, business, customer };
}

/**
 * The canonical {@link Thread} of a key (channel omitted for WhatsApp).
 *
 * @example
 * ```ts
 * keyThread({ channel: "whatsapp", business: "1065", customer: "5511" }); //=> { business: "1065", customer: "5511" }
 * ```
 */
export function keyThread(key: ThreadKey): Thread {
  return key.channel === "whatsapp"
    ? { business: key.business, customer: key.customer }
    : { channel: key.channel, business: key.business, customer: key.customer };
}

/**
 * A string identity of a thread key, for grouping.
 *
 * @example
 * ```ts
 * keyId({ channel: "whatsapp", business: "1065", customer: "5511" }); //=> '["whatsapp","1065","5511"]'
 * ```
 */
export function keyId(key: ThreadKey): string {
  return JSON.stringify([key.channel, key.business, key.customer]);
}

function normalizeEvent(raw: unknown, field: string): CareEvent {
  if (!isObject(raw)) return fail(field, "must be an event object", "invalid-event");
  const kind = raw["kind"];
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    return fail(
      `${field}.kind`,
      `is not a known event kind (got ${JSON.stringify(kind)})`,
      "invalid-event",
    );
  }
  const at = instant(raw["at"], `${field}.at`);
  switch (kind) {
    case "template-category":
      // Stored as a bigint column: fractional or unsafe instants could never be written.
      if (!Number.isSafeInteger(at)) {
        fail(
          `${field}.at`,
          "must be a whole number of epoch milliseconds (a safe integer) for a template category",
          "invalid-event",
        );
      }
      str(raw, "name", field);
      oneOf(raw, "category", field, CATEGORIES);
      optStr(raw, "account", field);
      optStr(raw, "language", field);
      optStr(raw, "status", field);
      return { ...raw, at } as unknown as CareEvent;
    case "identity":
      str(raw, "business", field);
      str(raw, "from", field);
      str(raw, "to", field);
      oneOf(raw, "change", field, new Set(["alias", "number-changed", "user-id-changed"]));
      optOneOf(raw, "channel", field, CHANNELS);
      return { ...raw, at } as unknown as CareEvent;
  }
  const key = threadKey(raw["thread"], `${field}.thread`, "invalid-event");
  const out: Obj = { ...raw, at, thread: keyThread(key) };
  switch (kind) {
    case "inbound": {
      str(raw, "id", field);
      str(raw, "type", field);
      optStr(raw, "subtype", field);
      optStr(raw, "action", field);
      const referral = raw["referral"];
      if (referral !== undefined) {
        if (!isObject(referral)) fail(`${field}.referral`, "must be an object", "invalid-event");
        else str(referral, "sourceType", `${field}.referral`);
      }
      break;
    }
    case "call":
      str(raw, "id", field);
      oneOf(raw, "direction", field, new Set(["user-initiated", "business-initiated"]));
      str(raw, "phase", field);
      break;
    case "outbound":
      str(raw, "id", field);
      oneOf(raw, "message", field, OUTBOUND_KINDS);
      optStr(raw, "type", field);
      optOneOf(raw, "category", field, CATEGORIES);
      if (raw["echo"] !== undefined && typeof raw["echo"] !== "boolean") {
        fail(`${field}.echo`, "must be a boolean when present", "invalid-event");
      }
      break;
    case "status": {
      str(raw, "id", field);
      str(raw, "status", field);
      optStr(raw, "type", field);
      optStr(raw, "origin", field);
      optStr(raw, "conversationId", field);
      optOneOf(raw, "message", field, OUTBOUND_KINDS);
      if (raw["pricing"] !== undefined && !isObject(raw["pricing"])) {
        fail(`${field}.pricing`, "must be an object when present", "invalid-event");
      }
      const errors = raw["errors"];
      if (errors !== undefined) {
        if (!Array.isArray(errors)) fail(`${field}.errors`, "must be an array", "invalid-event");
        else
          errors.forEach((code, i) => {
            if (typeof code !== "number" || !Number.isInteger(code)) {
              fail(`${field}.errors[${i}]`, "must be an integer error code", "invalid-event");
            }
          });
      }
      if (raw["conversationExpiresAt"] !== undefined) {
        out["conversationExpiresAt"] = instant(
          raw["conversationExpiresAt"],
          `${field}.conversationExpiresAt`,
        );
      }
      if (raw["retryAfter"] !== undefined) {
        out["retryAfter"] = instant(raw["retryAfter"], `${field}.retryAfter`);
      }
      // ERR-31 … ERR-33: the Messenger Send API error's subcode and the tag of the failed send.
      const subcode = raw["errorSubcode"];
      if (subcode !== undefined && (typeof subcode !== "number" || !Number.isInteger(subcode))) {
        fail(`${field}.errorSubcode`, "must be an integer when present", "invalid-event");
      }
      optStr(raw, "tag", field);
      break;
    }
    case "consent":
      oneOf(raw, "action", field, new Set(["opt-in", "opt-out"]));
      oneOf(raw, "scope", field, SCOPES);
      if (typeof raw["source"] !== "string") {
        fail(`${field}.source`, "must be a string", "invalid-event");
      } else assertStorable(raw["source"], `${field}.source`, "invalid-event");
      break;
    case "marketing-preference":
      oneOf(raw, "value", field, new Set(["stop", "resume"]));
      break;
    case "block":
      oneOf(raw, "value", field, new Set(["block", "unblock"]));
      break;
  }
  return out as unknown as ThreadEvent;
}

/**
 * Validates events at the public boundary and returns normalised copies (`at` and the other
 * instants as epoch ms, `thread.channel` omitted for WhatsApp). Throws
 * {@link InvalidInputError} naming the first bad field, e.g. `events[3].at`.
 *
 * @example
 * ```ts
 * normalizeEvents([{ kind: "inbound", id: "w", type: "text", at: new Date(0), thread }])[0].at; //=> 0
 * normalizeEvents([{ kind: "inbound", id: "w", type: "text", at: "yesterday", thread }]); // throws, field "events[0].at"
 * ```
 */
export function normalizeEvents(events: unknown, field = "events"): CareEvent[] {
  if (!Array.isArray(events)) {
    return fail(field, "must be an array of events", "invalid-argument");
  }
  return events.map((raw, i) => normalizeEvent(raw, `${field}[${i}]`));
}
