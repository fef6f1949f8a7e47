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
 * This module describes each event kind; the values (instants, storable text, the field checkers)
 * are in `event-values.ts` and the compile-time coverage guard in `event-coverage.ts`.
 *
 * @module
 */
import { InvalidInputError } from "./errors.js";
import {
  CHANNELS,
  describe,
  errorCodes,
  instant,
  instantProblem,
  isObject,
  type Mutable,
  type Obj,
  oneOf,
  optBool,
  optNonEmpty,
  optOneOf,
  optText,
  pricing,
  put,
  Refusal,
  referral,
  refuse,
  text,
  thread,
} from "./event-values.js";
import type {
  CallEvent,
  CareEvent,
  Channel,
  ConsentEvent,
  IdentityEvent,
  InboundEvent,
  Instant,
  OutboundEvent,
  StatusEvent,
  TemplateCategoryEvent,
} from "./types.js";

export { CONTRACT_FIELDS } from "./event-coverage.js";

export {
  EARLIEST_INSTANT,
  instantProblem,
  LATEST_INSTANT,
  unstorableText,
} from "./event-values.js";

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

/**
 * The normalised copy of one event, or a `Refusal` naming the first bad field. Dispatches on
 * `kind` (typed as the kinds it is tested against, so the compiler checks that the switch handles
 * every kind) to the describer of that kind, or builds the smaller kinds in place (plain calls:
 * this runs on every event of every batch).
 */
function check(raw: unknown, field: string): CareEvent {
  if (!isObject(raw)) return refuse(field, "must be an event object");
  const kind = raw["kind"] as CareEvent["kind"];
  if (typeof kind !== "string" || !KINDS.has(kind)) {
    return refuse(`${field}.kind`, `is not a known event kind (got ${describe(kind)})`);
  }
  const at = instant(raw["at"], `${field}.at`);
  switch (kind) {
    case "template-category":
      return templateCategoryEvent(raw, field, at);
    case "identity":
      return identityEvent(raw, field, at);
    case "inbound":
      return inboundEvent(raw, field, at);
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
    case "outbound":
      return outboundEvent(raw, field, at);
    case "status":
      return statusEvent(raw, field, at);
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
      return kind satisfies never;
  }
}

/** A template's latest category (TPL-7): not thread-scoped, its instant a whole number. */
function templateCategoryEvent(raw: Obj, field: string, at: Instant): TemplateCategoryEvent {
  // Stored as a bigint column: fractional instants could never be written.
  if (!Number.isSafeInteger(at)) {
    refuse(`${field}.at`, "must be a whole number of epoch milliseconds for a template category");
  }
  const out: Mutable<TemplateCategoryEvent> = {
    kind: "template-category",
    name: text(raw["name"], `${field}.name`),
    category: oneOf(raw["category"], `${field}.category`, CATEGORIES),
    at,
  };
  put(out, "account", optText(raw["account"], `${field}.account`));
  put(out, "language", optText(raw["language"], `${field}.language`));
  put(out, "status", optText(raw["status"], `${field}.status`));
  return out;
}

/** One customer's identifiers linked or changed (ID-6, ID-7, OPEN-15). */
function identityEvent(raw: Obj, field: string, at: Instant): IdentityEvent {
  const out: Mutable<IdentityEvent> = {
    kind: "identity",
    change: oneOf(raw["change"], `${field}.change`, IDENTITY_CHANGES),
    from: text(raw["from"], `${field}.from`),
    to: text(raw["to"], `${field}.to`),
    at,
    business: text(raw["business"], `${field}.business`),
  };
  put(out, "channel", optOneOf<Channel>(raw["channel"], `${field}.channel`, CHANNELS));
  return out;
}

/** A message or action of the customer (CSW-1, CSW-7; MSG-1). */
function inboundEvent(raw: Obj, field: string, at: Instant): InboundEvent {
  const out: Mutable<InboundEvent> = {
    kind: "inbound",
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

/** A message the business sent (CSW-6, FEP-2). */
function outboundEvent(raw: Obj, field: string, at: Instant): OutboundEvent {
  const out: Mutable<OutboundEvent> = {
    kind: "outbound",
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

/** A delivery status of an outbound message (CSW-12, CSW-13, FEP-7, ERR-*). */
function statusEvent(raw: Obj, field: string, at: Instant): StatusEvent {
  const out: Mutable<StatusEvent> = {
    kind: "status",
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
