/**
 * The fold of each event kind: the state that one thread event contributes
 * ({@link eventState}), which the fold joins in (`state.ts`). Which inbound class an event
 * belongs to is decided here (CSW-7, OPEN-3; MSG-1, OPEN-20); whether that class opens the window
 * is decided at decision time.
 *
 * @module
 */

import type {
  ConsentEvent,
  InboundEvent,
  Instant,
  StatusEvent,
  ThreadEvent,
} from "../domain/types.js";
import { DAY_MS } from "../policy/units.js";
import { mergeError } from "./state-merge.js";
import {
  CONSENT_SOURCE_MAX,
  type ConsentRecord,
  emptyState,
  type InboundClass,
  REFUSABLE_TAGS,
  type RefusableTag,
  type ThreadState,
} from "./state-type.js";

/** Error codes that mean "the re-engagement window is closed" (ERR-3, ERR-4). */
const REENGAGEMENT_CODES: ReadonlySet<number> = new Set([131047, 470, 63016]);

/** Interactive subtypes that are ordinary user replies (CSW-7). */
const QUALIFYING_INTERACTIVE: ReadonlySet<string> = new Set([
  "button_reply",
  "list_reply",
  "nfm_reply",
]);

/** Inbound message types that are user messages (CSW-7). */
const QUALIFYING_TYPES: ReadonlySet<string> = new Set([
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "button",
  "order",
]);

/**
 * Meta-supplied type names → class. `Map`s (issue 10): an inbound of type `constructor` or
 * `__proto__` is an unknown type (`other`), never a prototype member.
 */
const OPEN3_CLASSES: ReadonlyMap<string, InboundClass> = new Map([
  ["reaction", "reaction"],
  ["system", "system"],
  ["request_welcome", "welcome"],
  ["unsupported", "unsupported"],
  ["unknown", "unsupported"],
  ["edit", "edit"],
  ["revoke", "revoke"],
]);

const ACTION_CLASSES: ReadonlyMap<string, InboundClass> = new Map([
  ["message", "message"],
  ["postback", "postback"],
  ["reaction", "reaction"],
  ["referral", "referral"],
  ["story_mention", "storyMention"],
  ["read", "read"],
  ["optin", "optin"],
]);

/**
 * Which inbound class an inbound event belongs to (CSW-7, OPEN-3; MSG-1, OPEN-20).
 *
 * @example
 * ```ts
 * inboundClass({ kind: "inbound", id: "w", type: "reaction", at: 0, thread }); //=> "reaction"
 * ```
 */
export function inboundClass(event: InboundEvent): InboundClass {
  if (event.action !== undefined) return ACTION_CLASSES.get(event.action) ?? "other";
  const type = event.type;
  if (QUALIFYING_TYPES.has(type)) return "message";
  if (type === "interactive") {
    if (event.subtype === undefined) return "unsupported"; // content-less interactive (ERR-28)
    if (QUALIFYING_INTERACTIVE.has(event.subtype)) return "message";
    if (event.subtype === "call_permission_reply") return "callPermission";
    return "other";
  }
  return OPEN3_CLASSES.get(type) ?? "other";
}

/** The state of one business send (FEP-2, OPEN-1), built as one literal (a stable shape). */
function sendState(base: ThreadState, at: Instant): ThreadState {
  return base.channel === undefined
    ? { v: 1, inbound: {}, outbound: [at], consent: {}, firstSends: [at] }
    : { v: 1, channel: base.channel, inbound: {}, outbound: [at], consent: {}, firstSends: [at] };
}

/** A Messenger / Instagram tag the state keeps refusals of, or `undefined`. */
const refusableTag = (tag: string | undefined): RefusableTag | undefined =>
  REFUSABLE_TAGS.find((t) => t === tag);

/** A state under construction: {@link statusToState} fills in what a status proves. */
type StatePatch = { -readonly [K in keyof ThreadState]?: ThreadState[K] };

function statusToState(event: StatusEvent, social = false): ThreadState {
  const patch: StatePatch = {};
  // FEP-2: a `sent` status dates a business send (CSW-13: evidence, never an anchor). Later
  // statuses (`delivered`, `read`) may belong to a message sent long before an ad entry, and a
  // failed send replied to nobody, so neither counts as the reply that activates an FEP.
  if (event.status === "sent") {
    patch.outbound = [event.at];
    patch.firstSends = [event.at]; // OPEN-1: the activating reply, kept per day
  }
  // FEP-7: a status belongs to an FEP when its pricing or origin says so. Before v24 every status
  // carried `conversation`, so an expiry alone proves nothing.
  const fep = event.pricing?.type === "free_entry_point" || event.origin === "referral_conversion";
  if (fep) patch.fepSeenAt = event.at;
  if (event.conversationExpiresAt !== undefined && fep) {
    patch.fepEndsAt = event.conversationExpiresAt;
  }
  if (event.status === "failed" && event.errors !== undefined) {
    failuresToPatch(patch, event, event.errors, social);
  }
  // A plain `sent` status is one business send: the literal keeps a stable object shape (a
  // spread with keys beyond emptyState()'s made every later merge slow).
  if (patch.outbound !== undefined && Object.keys(patch).length === 2) {
    return sendState(emptyState(), event.at);
  }
  return { ...emptyState(), ...patch };
}

/** What the error codes of a `failed` status prove, written into `patch` (ERR-*). */
function failuresToPatch(
  patch: StatePatch,
  event: StatusEvent,
  codes: readonly number[],
  social: boolean,
): void {
  let lastError: ThreadState["lastError"];
  for (const code of codes) {
    lastError = mergeError(lastError, { code, at: event.at });
    // CSW-12 / ERR-3: a free-form send refused as re-engagement closes the window. Templates
    // never fail with 131047, so an unclassified failure is treated as free-form (conservative).
    if (REENGAGEMENT_CODES.has(code) && event.message !== "template") {
      patch.reengagementFailedAt = event.at;
    }
    // CONSENT-6 / ERR-7: 131050 records a marketing stop at that message's time.
    if (code === 131050) patch.marketing = { on: event.at };
    // CONSENT-7 / ERR-6: 131049, no marketing for at least 24 h.
    // A platform retry-after never shortens the 24 h floor.
    if (code === 131049) {
      patch.marketingLimitedUntil = Math.max(event.retryAfter ?? 0, event.at + DAY_MS);
    }
    // ERR-15 / CONSENT-9: 130403, the business has blocked this user.
    if (code === 130403) patch.blocked = { on: event.at };
    // ERR-30: 131064, business-initiated sends from the account stop until the enforcement ends.
    if (code === 131064) {
      patch.accountLimited =
        event.retryAfter !== undefined && event.retryAfter > event.at
          ? { at: event.at, until: event.retryAfter }
          : { at: event.at };
    }
    if (social && code === 10) {
      // ERR-33: 10 / 1893063, the page is temporarily restricted (until the host clears it).
      // ERR-31: any other code 10 ("outside of allowed window") closes the window like 131047.
      if (event.errorSubcode === 1893063) patch.pageRestrictedAt = event.at;
      else patch.reengagementFailedAt = event.at;
    }
    // ERR-32: 100 on an update tag; whether it was after 2026-04-27 is decided at decision time
    // in the account's time zone (OPEN-6).
    const tag = social && code === 100 ? refusableTag(event.tag) : undefined;
    if (tag !== undefined) patch.tagRefusedAt = { [tag]: event.at };
  }
  if (lastError !== undefined) patch.lastError = lastError;
}

/**
 * The state that a single thread event contributes; {@link foldEvent} joins it in.
 *
 * @example
 * ```ts
 * eventState(inbound).inbound.message; //=> inbound.at
 * ```
 */
export function eventState(event: ThreadEvent): ThreadState {
  const base = emptyState();
  const channel = event.thread.channel;
  const whatsapp = channel === undefined || channel === "whatsapp";
  const withChannel: ThreadState = whatsapp ? base : { ...base, channel };
  switch (event.kind) {
    case "inbound": {
      const cls = inboundClass(event);
      const inbound = { [cls]: event.at };
      const ref = event.referral;
      if (ref === undefined) return { ...withChannel, inbound };
      const referral = ref.sourceType === "ad" ? { ad: event.at } : { post: event.at };
      return { ...withChannel, inbound, referral };
    }
    case "call": {
      // CSW-5: a user-initiated connect; a business call the user accepted or answered.
      const qualifies =
        event.direction === "user-initiated"
          ? event.phase === "connect"
          : event.phase === "accepted" || event.phase === "answer";
      return qualifies ? { ...withChannel, inbound: { call: event.at } } : withChannel;
    }
    case "outbound":
      // CSW-6: never an anchor. Business-app echoes (CSW-14) are outside the window rules.
      if (event.echo === true) return withChannel;
      // OPEN-1: every send also feeds the per-day first sends (the activating reply).
      return event.message === "template" && event.category === "marketing"
        ? {
            ...withChannel,
            outbound: [event.at],
            firstSends: [event.at],
            lastMarketingAt: event.at,
          }
        : sendState(withChannel, event.at);
    case "status":
      return whatsapp ? statusToState(event) : { ...statusToState(event, true), channel };
    case "consent":
      return consentState(event, withChannel);
    case "marketing-preference":
      return {
        ...withChannel,
        marketing: event.value === "stop" ? { on: event.at } : { off: event.at },
      };
    case "block":
      return {
        ...withChannel,
        blocked: event.value === "block" ? { on: event.at } : { off: event.at },
      };
    default: {
      const never: never = event;
      return never;
    }
  }
}

/** A host-recorded opt-in or opt-out of one scope (CONSENT-1 … CONSENT-4). */
function consentState(event: ConsentEvent, withChannel: ThreadState): ThreadState {
  const record: ConsentRecord = {
    at: event.at,
    action: event.action,
    source: truncate(event.source, CONSENT_SOURCE_MAX),
  };
  return { ...withChannel, consent: { [event.scope]: record } };
}

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}
