/**
 * Each event kind of the one event contract (`event.ts`), described field by field as the domain
 * types: {@link check} validates an unknown value and returns a normalised copy, or throws a
 * `Refusal` naming the first bad field.
 *
 * @module
 */

import {
  CHANNELS,
  describe,
  errorCodes,
  instant,
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
 * `kind` to one describer per kind (plain calls: this runs on every event of every batch).
 */
export function check(raw: unknown, field: string): CareEvent {
  if (!isObject(raw)) return refuse(field, "must be an event object");
  const kind = raw["kind"];
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
    case "call":
      return callEvent(raw, field, at);
    case "outbound":
      return outboundEvent(raw, field, at);
    case "status":
      return statusEvent(raw, field, at);
    case "consent":
      return consentEvent(raw, field, at);
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

function callEvent(raw: Obj, field: string, at: Instant): CallEvent {
  const out: CallEvent = {
    kind: "call",
    id: text(raw["id"], `${field}.id`),
    direction: oneOf(raw["direction"], `${field}.direction`, DIRECTIONS),
    phase: text(raw["phase"], `${field}.phase`),
    at,
    thread: thread(raw["thread"], `${field}.thread`),
  };
  return out;
}

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

function consentEvent(raw: Obj, field: string, at: Instant): ConsentEvent {
  const source = raw["source"];
  if (typeof source !== "string") refuse(`${field}.source`, "must be a string");
  const out: ConsentEvent = {
    kind: "consent",
    action: oneOf(raw["action"], `${field}.action`, CONSENT_ACTIONS),
    scope: oneOf(raw["scope"], `${field}.scope`, SCOPES),
    source: optText(source, `${field}.source`) as string,
    at,
    thread: thread(raw["thread"], `${field}.thread`),
  };
  return out;
}
