/**
 * The compact per-thread state and its fold.
 *
 * The state is a join-semilattice: every field is a maximum (or a bounded top-N set, or a
 * "latest record wins with a deterministic tie-break"). {@link mergeStates} is therefore
 * commutative, associative and idempotent, and folding an event is `merge(state, single(event))`,
 * so duplicates change nothing (CSW-4) and any order of the same events gives the same state
 * (Meta delivers at least once, unordered, for up to 7 days; Meta's webhook reference). Its size does not
 * grow with history: a fixed set of keys, and at most {@link OUTBOUND_KEPT} recent send instants.
 *
 * Which inbound kinds open the window is decided at decision time (OPEN-3), so the state keeps
 * one latest timestamp per inbound class instead of one "last inbound".
 *
 * @module
 */

import { InvalidInputError } from "../domain/errors.js";
import { checkEvent, LATEST_INSTANT, parseEvent } from "../domain/event.js";
import type {
  Channel,
  ConsentScope,
  InboundEvent,
  Instant,
  StatusEvent,
  ThreadEvent,
} from "../domain/types.js";
import { DAY_MS } from "../policy/units.js";

/**
 * Inbound classes the state keeps one latest provider timestamp for.
 *
 * - `message`: CSW-7 user messages (Messenger/Instagram: a user message, MSG-1).
 * - `call`: a user call, or a business call the user accepted (CSW-5).
 * - `reaction`, `system`, `welcome` (`request_welcome`), `unsupported` (also legacy `unknown`),
 *   `edit`, `revoke`, `callPermission` (`interactive.call_permission_reply`), `other` (any
 *   future type): OPEN-3, off by default.
 * - `postback`, `referral`: Messenger / Instagram actions that open the window by default;
 *   `storyMention`, `read`, `optin`: off by default (OPEN-20, switchable either way).
 *
 * @example
 * ```ts
 * const c: InboundClass = "reaction";
 * ```
 */
export type InboundClass =
  | "message"
  | "call"
  | "reaction"
  | "system"
  | "welcome"
  | "unsupported"
  | "edit"
  | "revoke"
  | "callPermission"
  | "other"
  | "postback"
  | "storyMention"
  | "referral"
  | "read"
  | "optin";

/**
 * The latest consent record of one scope: opt-in or opt-out, when, and from which source
 * (CONSENT-1 … CONSENT-4). Only the latest record per scope matters: an opt-out is lifted only by
 * a later opt-in of its scope (or of `all`), so an older record can never change a decision. On a
 * tie the opt-out wins (conservative). Sources are kept to {@link CONSENT_SOURCE_MAX} characters.
 *
 * @example
 * ```ts
 * const r: ConsentRecord = { at: 1_795_683_600_000, action: "opt-in", source: "checkout-form" };
 * ```
 */
export interface ConsentRecord {
  readonly at: Instant;
  readonly action: "opt-in" | "opt-out";
  readonly source: string;
}

/** The longest consent source kept in the state (the event's own source is not limited). */
export const CONSENT_SOURCE_MAX = 32;

/**
 * Two competing toggles (stop/resume, block/unblock): the later instant wins, a tie goes to the
 * restrictive side.
 *
 * @example
 * ```ts
 * const t: Toggle = { on: 1_795_683_600_000 };
 * ```
 */
export interface Toggle {
  /** Latest instant of the restrictive value (stop, block). */
  readonly on?: Instant;
  /** Latest instant of the lifting value (resume, unblock). */
  readonly off?: Instant;
}

/**
 * The compact, JSON-safe state of one thread, folded from its events.
 *
 * Treat it as opaque data: read it through {@link decide} and the helpers, store it as JSON.
 * `v` is the schema version; {@link migrateState} upgrades older stored shapes.
 *
 * @example
 * ```ts
 * const state = foldEvents(emptyState(), events);
 * JSON.stringify(state).length; // small, whatever the history length
 * ```
 */
export interface ThreadState {
  readonly v: 1;
  /** Absent for WhatsApp. */
  readonly channel?: Exclude<Channel, "whatsapp">;
  /** Latest provider timestamp per inbound class (CSW-3, CSW-4). */
  readonly inbound: Readonly<Partial<Record<InboundClass, Instant>>>;
  /** Latest inbound carrying an ad / post referral (FEP-1, FEP-6, OPEN-4; MSG-2). */
  readonly referral?: { readonly ad?: Instant; readonly post?: Instant };
  /** The most recent business sends, newest first, at most {@link OUTBOUND_KEPT} (FEP-2). */
  readonly outbound: readonly Instant[];
  /** Latest 131047 / 470 / 63016 failure of a free-form send (CSW-12, ERR-3, ERR-4). */
  readonly reengagementFailedAt?: Instant;
  /** Latest platform FEP end (`conversation.expiration_timestamp`, FEP-3, FEP-7). */
  readonly fepEndsAt?: Instant;
  /** Latest status proving a delivery inside an FEP (`pricing.type` = `free_entry_point`, FEP-7). */
  readonly fepSeenAt?: Instant;
  /** Host-recorded consent per scope (CONSENT-1 … CONSENT-4). */
  readonly consent: Readonly<Partial<Record<ConsentScope, ConsentRecord>>>;
  /** Marketing stop / resume (CONSENT-5, CONSENT-6). */
  readonly marketing?: Toggle;
  /** Business block / unblock (CONSENT-9, ERR-15). */
  readonly blocked?: Toggle;
  /** Per-user marketing limit (131049): no marketing before this instant (CONSENT-7, ERR-6). */
  readonly marketingLimitedUntil?: Instant;
  /** The latest failure seen on this thread, for explanations (ERR-*). */
  readonly lastError?: { readonly code: number; readonly at: Instant };
  /**
   * Customer ids this number changed to (`number-changed`, OPEN-15), sorted, at most
   * {@link MOVED_KEPT}: restrictions recorded here after the change still reach them (issue 10).
   */
  readonly movedTo?: readonly string[];
  /** Latest marketing template sent (host rules such as `marketingCooldown`). */
  readonly lastMarketingAt?: Instant;
  /**
   * The earliest business send of each of the {@link FIRST_SENDS_KEPT} most recent UTC days
   * with a send, newest first: the activating reply of a free entry point is found here even
   * after many later sends, whatever order the events arrive in (FEP-2, OPEN-1).
   */
  readonly firstSends?: readonly Instant[];
  /**
   * 131064 (ERR-30): the latest failure (`at`) and the latest enforcement end the host or platform
   * gave (`until`). A failure later than every known end has no known end.
   */
  readonly accountLimited?: { readonly at: Instant; readonly until?: Instant };
  /** Messenger 10 / 1893063 (ERR-33): the latest "page temporarily restricted" failure. */
  readonly pageRestrictedAt?: Instant;
  /**
   * Messenger / Instagram code 100 on an update tag (ERR-32, MSG-5): the latest refusal per tag.
   * Only the three update tags are kept (bounded).
   */
  readonly tagRefusedAt?: Readonly<Partial<Record<RefusableTag, Instant>>>;
}

/**
 * The message tags whose refusals the state keeps (ERR-32, MSG-5).
 *
 * @example
 * ```ts
 * const t: RefusableTag = "ACCOUNT_UPDATE";
 * ```
 */
export type RefusableTag = "CONFIRMED_EVENT_UPDATE" | "POST_PURCHASE_UPDATE" | "ACCOUNT_UPDATE";

const REFUSABLE_TAGS: readonly RefusableTag[] = [
  "CONFIRMED_EVENT_UPDATE",
  "POST_PURCHASE_UPDATE",
  "ACCOUNT_UPDATE",
];

/** How many days of first sends the state keeps: an FEP lasts at most 7 days, plus its entry day. */
export const FIRST_SENDS_KEPT = 9;

/** How many new-number ids a state keeps (a union that keeps the smallest ids: still a join). */
export const MOVED_KEPT = 8;

/** How many recent business-send instants the state keeps. */
export const OUTBOUND_KEPT = 4;

/** 24 hours in milliseconds (CSW-2); defined once in policy/units.ts. */
export { DAY_MS };

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
 * A new, empty thread state.
 *
 * @example
 * ```ts
 * emptyState(); //=> { v: 1, inbound: {}, outbound: [], consent: {} }
 * ```
 */
export function emptyState(): ThreadState {
  return { v: 1, inbound: {}, outbound: [], consent: {} };
}

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

const max = (a: Instant | undefined, b: Instant | undefined): Instant | undefined =>
  a === undefined ? b : b === undefined ? a : a >= b ? a : b;

/** Later wins; on a tie the opt-out, then the smaller source (a total order: a lattice join). */
function mergeRecord(a: ConsentRecord, b: ConsentRecord): ConsentRecord {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  if (a.action !== b.action) return a.action === "opt-out" ? a : b;
  return a.source <= b.source ? a : b;
}

function mergeToggle(a: Toggle | undefined, b: Toggle | undefined): Toggle | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  const on = max(a.on, b.on);
  const off = max(a.off, b.off);
  // Built directly (not through compact): this runs on every fold.
  if (on === undefined) return off === undefined ? {} : { off };
  return off === undefined ? { on } : { on, off };
}

/** Newest first, no repeats. */
function isDescending(xs: readonly Instant[]): boolean {
  for (let i = 1; i < xs.length; i++) if ((xs[i] as number) >= (xs[i - 1] as number)) return false;
  return true;
}

function mergeOutbound(a: readonly Instant[], b: readonly Instant[]): readonly Instant[] {
  if (b.length === 0) return a;
  if (a.length === 0) return b;
  if (isDescending(a) && isDescending(b)) {
    // Linear merge of two newest-first lists (the normal case: states built by this module).
    const out: Instant[] = [];
    let i = 0;
    let j = 0;
    while (out.length < OUTBOUND_KEPT && (i < a.length || j < b.length)) {
      const x = a[i];
      const y = b[j];
      let t: Instant;
      if (y === undefined || (x !== undefined && x >= y)) {
        t = x as Instant;
        i++;
      } else {
        t = y;
        j++;
      }
      if (out[out.length - 1] !== t) out.push(t);
    }
    return out;
  }
  const all = [...a, ...b].sort((x, y) => y - x);
  const out: Instant[] = [];
  for (const t of all) {
    if (out[out.length - 1] !== t) out.push(t);
    if (out.length === OUTBOUND_KEPT) break;
  }
  return out;
}

/** Key orders used when a merge builds a new map, so equal states serialise identically. */
const INBOUND_ORDER: readonly InboundClass[] = [
  "message",
  "call",
  "reaction",
  "system",
  "welcome",
  "unsupported",
  "edit",
  "revoke",
  "callPermission",
  "other",
  "postback",
  "storyMention",
  "referral",
  "read",
  "optin",
];
const SCOPE_ORDER: readonly ConsentScope[] = ["all", "marketing", "utility", "authentication"];

/** `map` rebuilt with its keys in `order` (a fresh object). */
function ordered<K extends string, V>(
  map: Readonly<Partial<Record<K, V>>>,
  order: readonly K[],
): Partial<Record<K, V>> {
  const out: Partial<Record<K, V>> = {};
  for (const key of order) {
    const v = map[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}

function mergeMaxMap(a: ThreadState["inbound"], b: ThreadState["inbound"]): ThreadState["inbound"] {
  let out: Partial<Record<InboundClass, Instant>> | undefined;
  let added = false;
  for (const key in b) {
    const k = key as InboundClass;
    const bv = b[k];
    const av = a[k];
    if (bv !== undefined && (av === undefined || bv > av)) {
      out ??= { ...a };
      out[k] = bv;
      if (av === undefined) added = true;
    }
  }
  // Only a new key can change the key order; re-sort just then (the hot path updates a key).
  return out === undefined ? a : added ? ordered(out, INBOUND_ORDER) : out;
}

function mergeConsent(
  a: ThreadState["consent"],
  b: ThreadState["consent"],
): ThreadState["consent"] {
  let out: Partial<Record<ConsentScope, ConsentRecord>> | undefined;
  let added = false;
  for (const scope in b) {
    const key = scope as ConsentScope;
    const bv = b[key];
    const av = a[key];
    if (bv === undefined) continue;
    const merged = av === undefined ? bv : mergeRecord(av, bv);
    if (merged !== av) {
      out ??= { ...a };
      out[key] = merged;
      if (av === undefined) added = true;
    }
  }
  return out === undefined ? a : added ? ordered(out, SCOPE_ORDER) : out;
}

function mergeError(
  a: ThreadState["lastError"],
  b: ThreadState["lastError"],
): ThreadState["lastError"] {
  if (a === undefined) return b;
  if (b === undefined) return a;
  if (a.at !== b.at) return a.at > b.at ? a : b;
  return a.code <= b.code ? a : b;
}

/** `T` with every member allowed to be `undefined` (before {@link compact}). */
type Loose<T> = { [K in keyof T]-?: T[K] | undefined };

/** Drops `undefined` members so equal states serialise identically. */
function compact<T extends object>(value: Partial<Loose<T>>): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * Joins two states of the same thread: commutative, associative and idempotent (a
 * join-semilattice), so replicas, aliases (ID-6) and concurrent writers converge.
 *
 * @example
 * ```ts
 * mergeStates(a, b); // deep-equals mergeStates(b, a)
 * mergeStates(a, a); // deep-equals a
 * ```
 */
export function mergeStates(a: ThreadState, b: ThreadState): ThreadState {
  assertState(a, "a");
  assertState(b, "b");
  return join(a, b);
}

/** {@link mergeStates} on states known to be well formed (the fold's own, checked ones). */
export function join(a: ThreadState, b: ThreadState): ThreadState {
  if (a === b) return a;
  // Strings compare lexically; the larger channel wins so the join stays commutative.
  const channel =
    a.channel === undefined || (b.channel !== undefined && b.channel > a.channel)
      ? b.channel
      : a.channel;
  const referral =
    a.referral === undefined
      ? b.referral
      : b.referral === undefined
        ? a.referral
        : compact<NonNullable<ThreadState["referral"]>>({
            ad: max(a.referral.ad, b.referral.ad),
            post: max(a.referral.post, b.referral.post),
          });
  // Built field by field in the declared order (what compact() would give, without its
  // Object.entries pass: this runs once per folded event).
  const out: { -readonly [K in keyof ThreadState]?: ThreadState[K] } = { v: 1 };
  if (channel !== undefined) out.channel = channel;
  out.inbound = mergeMaxMap(a.inbound, b.inbound);
  if (referral !== undefined) out.referral = referral;
  out.outbound = mergeOutbound(a.outbound, b.outbound);
  const reengagementFailedAt = max(a.reengagementFailedAt, b.reengagementFailedAt);
  if (reengagementFailedAt !== undefined) out.reengagementFailedAt = reengagementFailedAt;
  const fepEndsAt = max(a.fepEndsAt, b.fepEndsAt);
  if (fepEndsAt !== undefined) out.fepEndsAt = fepEndsAt;
  const fepSeenAt = max(a.fepSeenAt, b.fepSeenAt);
  if (fepSeenAt !== undefined) out.fepSeenAt = fepSeenAt;
  out.consent = mergeConsent(a.consent, b.consent);
  const marketing = mergeToggle(a.marketing, b.marketing);
  if (marketing !== undefined) out.marketing = marketing;
  const blocked = mergeToggle(a.blocked, b.blocked);
  if (blocked !== undefined) out.blocked = blocked;
  const limited = max(a.marketingLimitedUntil, b.marketingLimitedUntil);
  if (limited !== undefined) out.marketingLimitedUntil = limited;
  const lastError = mergeError(a.lastError, b.lastError);
  if (lastError !== undefined) out.lastError = lastError;
  const movedTo = mergeIds(a.movedTo, b.movedTo);
  if (movedTo !== undefined) out.movedTo = movedTo;
  const lastMarketingAt = max(a.lastMarketingAt, b.lastMarketingAt);
  if (lastMarketingAt !== undefined) out.lastMarketingAt = lastMarketingAt;
  const firstSends = mergeFirstSends(a.firstSends, b.firstSends);
  if (firstSends !== undefined) out.firstSends = firstSends;
  const accountLimited = mergeAccountLimited(a.accountLimited, b.accountLimited);
  if (accountLimited !== undefined) out.accountLimited = accountLimited;
  const pageRestrictedAt = max(a.pageRestrictedAt, b.pageRestrictedAt);
  if (pageRestrictedAt !== undefined) out.pageRestrictedAt = pageRestrictedAt;
  const tagRefusedAt = mergeTagRefusals(a.tagRefusedAt, b.tagRefusedAt);
  if (tagRefusedAt !== undefined) out.tagRefusedAt = tagRefusedAt;
  return out as ThreadState;
}

/** Sorted union of two id lists, at most {@link MOVED_KEPT} (the smallest ids). */
function mergeIds(
  a: readonly string[] | undefined,
  b: readonly string[] | undefined,
): readonly string[] | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  const all = [...new Set([...a, ...b])].sort();
  return all.length > MOVED_KEPT ? all.slice(0, MOVED_KEPT) : all;
}

/** The state of one business send (FEP-2, OPEN-1), built as one literal (a stable shape). */
function sendState(base: ThreadState, at: Instant): ThreadState {
  return base.channel === undefined
    ? { v: 1, inbound: {}, outbound: [at], consent: {}, firstSends: [at] }
    : { v: 1, channel: base.channel, inbound: {}, outbound: [at], consent: {}, firstSends: [at] };
}

/** The UTC day number of an instant (the first-send buckets, OPEN-1). */
const dayOf = (at: Instant): number => Math.floor(at / DAY_MS);

/**
 * Per UTC day the earliest send, for the {@link FIRST_SENDS_KEPT} newest days, newest first: a
 * per-key minimum over a top-N of keys, so the join is commutative, associative and idempotent.
 */
function mergeFirstSends(
  a: readonly Instant[] | undefined,
  b: readonly Instant[] | undefined,
): readonly Instant[] | undefined {
  if (a === undefined || a === b) return b ?? a;
  if (b === undefined) return a;
  if (b.length === 1 && isDaily(a)) return withFirstSend(a, b[0] as Instant);
  if (a.length === 1 && isDaily(b)) return withFirstSend(b, a[0] as Instant);
  const byDay = new Map<number, Instant>();
  for (const list of [a, b]) {
    for (const t of list) {
      const day = dayOf(t);
      const seen = byDay.get(day);
      if (seen === undefined || t < seen) byDay.set(day, t);
    }
  }
  return [...byDay.values()].sort((x, y) => y - x).slice(0, FIRST_SENDS_KEPT);
}

/** A well-formed list: at most {@link FIRST_SENDS_KEPT} entries, one per day, newest first. */
function isDaily(list: readonly Instant[]): boolean {
  if (list.length > FIRST_SENDS_KEPT) return false;
  for (let i = 1; i < list.length; i++) {
    if (dayOf(list[i] as Instant) >= dayOf(list[i - 1] as Instant)) return false;
  }
  return true;
}

/**
 * One send joined into a newest-first per-day list (the hot path: folding one event). Returns
 * `list` itself when the send changes nothing.
 */
function withFirstSend(list: readonly Instant[], t: Instant): readonly Instant[] {
  const day = dayOf(t);
  let i = 0;
  while (i < list.length && dayOf(list[i] as Instant) > day) i++;
  const at = list[i];
  if (at !== undefined && dayOf(at) === day) {
    if (at <= t) return list;
    const out = list.slice();
    out[i] = t;
    return out;
  }
  if (i >= FIRST_SENDS_KEPT) return list; // older than every kept day
  const out = [...list.slice(0, i), t, ...list.slice(i)];
  return out.length > FIRST_SENDS_KEPT ? out.slice(0, FIRST_SENDS_KEPT) : out;
}

function mergeAccountLimited(
  a: ThreadState["accountLimited"],
  b: ThreadState["accountLimited"],
): ThreadState["accountLimited"] {
  if (a === undefined || a === b) return b ?? a;
  if (b === undefined) return a;
  const until = max(a.until, b.until);
  const at = Math.max(a.at, b.at);
  return until === undefined ? { at } : { at, until };
}

function mergeTagRefusals(
  a: ThreadState["tagRefusedAt"],
  b: ThreadState["tagRefusedAt"],
): ThreadState["tagRefusedAt"] {
  if (a === undefined || a === b) return b ?? a;
  if (b === undefined) return a;
  const out: Partial<Record<RefusableTag, Instant>> = {};
  for (const tag of REFUSABLE_TAGS) {
    const at = max(a[tag], b[tag]);
    if (at !== undefined) out[tag] = at;
  }
  return out;
}

/** A Messenger / Instagram tag the state keeps refusals of, or `undefined`. */
const refusableTag = (tag: string | undefined): RefusableTag | undefined =>
  REFUSABLE_TAGS.find((t) => t === tag);

function statusToState(event: StatusEvent, social = false): ThreadState {
  const patch: {
    -readonly [K in keyof ThreadState]?: ThreadState[K];
  } = {};
  // FEP-2: a `sent` status dates a business send (CSW-13: evidence, never an anchor). Later
  // statuses (`delivered`, `read`) may belong to a message sent long before an ad entry, and a
  // failed send replied to nobody, so neither counts as the reply that activates an FEP.
  if (event.status === "sent") {
    patch.outbound = [event.at];
    patch.firstSends = [event.at]; // OPEN-1: the activating reply, kept per day
  }
  if (event.pricing?.type === "free_entry_point" || event.origin === "referral_conversion") {
    patch.fepSeenAt = event.at;
  }
  if (event.conversationExpiresAt !== undefined && isFepStatus(event)) {
    patch.fepEndsAt = event.conversationExpiresAt;
  }
  const codes = event.status === "failed" ? (event.errors ?? []) : [];
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
  // A plain `sent` status is one business send: the literal keeps a stable object shape (a
  // spread with keys beyond emptyState()'s made every later merge slow).
  if (patch.outbound !== undefined && Object.keys(patch).length === 2) {
    return sendState(emptyState(), event.at);
  }
  return { ...emptyState(), ...patch };
}

/** A status belongs to an FEP when its pricing or origin says so (FEP-7). Before v24 every
 * status carried `conversation`, so an expiry alone proves nothing. */
function isFepStatus(event: StatusEvent): boolean {
  return event.pricing?.type === "free_entry_point" || event.origin === "referral_conversion";
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
  const withChannel: ThreadState =
    channel === undefined || channel === "whatsapp" ? base : { ...base, channel };
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
      return channel === undefined || channel === "whatsapp"
        ? statusToState(event)
        : { ...statusToState(event, true), channel };
    case "consent": {
      const record: ConsentRecord = {
        at: event.at,
        action: event.action,
        source: truncate(event.source, CONSENT_SOURCE_MAX),
      };
      return { ...withChannel, consent: { [event.scope]: record } };
    }
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

/**
 * Folds one event into a state. Pure; idempotent and order-insensitive (see module docs). The
 * event must pass the one event contract (as in `record`); otherwise an
 * {@link InvalidInputError} names the field (`event.at`).
 *
 * @example
 * ```ts
 * const s1 = foldEvent(emptyState(), inbound);
 * foldEvent(s1, inbound); // deep-equals s1 (a duplicate changes nothing, CSW-4)
 * ```
 */
export function foldEvent(state: ThreadState, event: ThreadEvent): ThreadState {
  assertState(state);
  return join(state, eventState(checkedEvent(event, undefined)));
}

/**
 * The event as the one event contract normalises it (issue 10: the pure fold accepts exactly
 * what `record` accepts), or an {@link InvalidInputError} naming the field (`events[3].at`).
 */
function checkedEvent(event: unknown, index: number | undefined): ThreadEvent {
  const r = checkEvent(event);
  if (r.ok) {
    if ("thread" in r.event) return r.event;
    // Template categories and identity changes are not thread events: the service records them.
    const field = index === undefined ? "event.kind" : `events[${index}].kind`;
    throw new InvalidInputError(
      "invalid-event",
      `${field} "${r.event.kind}" does not fold into a thread state (record it through the service)`,
      field,
    );
  }
  // Re-checked with its position only on failure: no field string is built per event.
  return parseEvent(event, index === undefined ? "event" : `events[${index}]`) as ThreadEvent;
}

/**
 * A state given to a public function must have the thread-state shape ({@link stateProblem});
 * otherwise an {@link InvalidInputError} (`invalid-state`) names the member. Checked on every
 * call: states are plain objects a host can change, so no earlier check is trusted.
 */
export function assertState(state: unknown, name = "state"): asserts state is ThreadState {
  const problem = stateProblem(state);
  if (problem === undefined) return;
  const field = name === "state" ? problem[0] : problem[0].replace(/^state/, name);
  throw new InvalidInputError("invalid-state", `${field} ${problem[1]}`, field);
}

/**
 * Folds events that already passed the event contract (the service checks each item once, at its
 * boundary, and reports refused ones as issues).
 *
 * @internal
 */
export function foldCheckedEvents(state: ThreadState, events: readonly ThreadEvent[]): ThreadState {
  let out = state;
  for (const event of events) out = join(out, eventState(event));
  return out;
}

/**
 * Folds many events into a state. Each must pass the one event contract; the first that does
 * not is an {@link InvalidInputError} naming it (`events[3].at`).
 *
 * @example
 * ```ts
 * const state = foldEvents(emptyState(), [inbound, status, consent]);
 * ```
 */
export function foldEvents(state: ThreadState, events: Iterable<ThreadEvent>): ThreadState {
  assertState(state);
  if (
    typeof events !== "object" ||
    events === null ||
    typeof (events as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function"
  ) {
    throw new InvalidInputError(
      "invalid-argument",
      "events must be an iterable of events",
      "events",
    );
  }
  let out = state;
  let i = 0;
  for (const event of events) out = join(out, eventState(checkedEvent(event, i++)));
  return out;
}

/** The first `max` UTF-16 units of `text`, never splitting a surrogate pair. */
function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

type Json = Record<string, unknown>;
const isRecord = (x: unknown): x is Json =>
  typeof x === "object" && x !== null && !Array.isArray(x);
/** An instant a `Date` can hold, so every instant of a state can be written in words. */
const isInstant = (x: unknown): boolean =>
  typeof x === "number" && x >= -LATEST_INSTANT && x <= LATEST_INSTANT;

const INSTANT_WHY = "must be an epoch-ms number a Date can hold";

/**
 * Every own value of `value` (or those under `keys`, when present) an instant. Runs on every
 * decision, so it allocates nothing unless it finds a problem.
 */
function instantsProblem(
  value: unknown,
  field: string,
  keys?: readonly string[],
): [string, string] | undefined {
  if (!isRecord(value)) return [field, "must be an object"];
  if (keys === undefined) {
    for (const k in value) {
      if (Object.hasOwn(value, k) && !isInstant(value[k])) return [`${field}.${k}`, INSTANT_WHY];
    }
    return undefined;
  }
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const x = value[k];
    if (x !== undefined && !isInstant(x)) return [`${field}.${k}`, INSTANT_WHY];
  }
  return undefined;
}

/** Absent (when optional), or an array of instants. */
function listProblem(
  list: unknown,
  field: string,
  optional: boolean,
): [string, string] | undefined {
  if (list === undefined && optional) return undefined;
  if (!Array.isArray(list)) return [field, "must be an array of epoch-ms numbers"];
  for (let i = 0; i < list.length; i++) {
    if (!isInstant(list[i])) return [field, "must be an array of epoch-ms numbers"];
  }
  return undefined;
}

/**
 * The first member of `state` without the {@link ThreadState} shape, as `[field, why]`, or
 * `undefined`. The one description of a state's shape, read wherever a state is handed in: a
 * store's row (`decodeState`), `decide` / `verdict`, the fold and `mergeStates`.
 *
 * @internal
 * @example
 * ```ts
 * stateProblem(emptyState()); //=> undefined
 * stateProblem({ ...emptyState(), inbound: { message: "x" } }); //=> ["state.inbound.message", "must be …"]
 * ```
 */
export function stateProblem(state: unknown): [string, string] | undefined {
  if (!isRecord(state)) return ["state", "must be a thread state (emptyState() / foldEvents(…))"];
  const s = state;
  if (s["v"] !== 1) return ["state.v", "must be 1 (a current thread state)"];
  const problem =
    instantsProblem(s["inbound"], "state.inbound") ??
    listProblem(s["outbound"], "state.outbound", false) ??
    listProblem(s["firstSends"], "state.firstSends", true) ??
    consentProblem(s["consent"]);
  if (problem !== undefined) return problem;
  if (s["channel"] !== undefined && typeof s["channel"] !== "string") {
    return ["state.channel", "must be a string"];
  }
  // Named reads (not a loop over key names): this runs on every decision, and a keyed read of
  // an absent member is a slow, generic lookup.
  const t = state as Partial<Record<keyof ThreadState, unknown>>;
  const optional =
    instantOrAbsent(t.reengagementFailedAt, "reengagementFailedAt") ??
    instantOrAbsent(t.fepEndsAt, "fepEndsAt") ??
    instantOrAbsent(t.fepSeenAt, "fepSeenAt") ??
    instantOrAbsent(t.marketingLimitedUntil, "marketingLimitedUntil") ??
    instantOrAbsent(t.lastMarketingAt, "lastMarketingAt") ??
    instantOrAbsent(t.pageRestrictedAt, "pageRestrictedAt") ??
    recordOrAbsent(t.referral, "referral", PAIR_AD_POST) ??
    recordOrAbsent(t.marketing, "marketing", PAIR_ON_OFF) ??
    recordOrAbsent(t.blocked, "blocked", PAIR_ON_OFF) ??
    recordOrAbsent(t.accountLimited, "accountLimited", PAIR_AT_UNTIL) ??
    recordOrAbsent(t.tagRefusedAt, "tagRefusedAt", undefined);
  if (optional !== undefined) return optional;
  const lastError = s["lastError"];
  if (
    lastError !== undefined &&
    !(isRecord(lastError) && Number.isInteger(lastError["code"]) && isInstant(lastError["at"]))
  ) {
    return ["state.lastError", "must be { code, at }"];
  }
  const movedTo = s["movedTo"];
  if (movedTo !== undefined) {
    if (!Array.isArray(movedTo)) return ["state.movedTo", "must be an array of strings"];
    for (let i = 0; i < movedTo.length; i++) {
      if (typeof movedTo[i] !== "string") return ["state.movedTo", "must be an array of strings"];
    }
  }
  return undefined;
}

const PAIR_AD_POST = ["ad", "post"] as const;
const PAIR_ON_OFF = ["on", "off"] as const;
const PAIR_AT_UNTIL = ["at", "until"] as const;

const instantOrAbsent = (value: unknown, name: string): [string, string] | undefined =>
  value === undefined || isInstant(value) ? undefined : [`state.${name}`, INSTANT_WHY];

const recordOrAbsent = (
  value: unknown,
  name: string,
  keys: readonly string[] | undefined,
): [string, string] | undefined =>
  value === undefined ? undefined : instantsProblem(value, `state.${name}`, keys);

/** Every consent record `{ at, action, source }`. */
function consentProblem(consent: unknown): [string, string] | undefined {
  if (!isRecord(consent)) return ["state.consent", "must be an object"];
  for (const scope in consent) {
    if (!Object.hasOwn(consent, scope)) continue;
    const r = consent[scope];
    if (
      !isRecord(r) ||
      !isInstant(r["at"]) ||
      (r["action"] !== "opt-in" && r["action"] !== "opt-out") ||
      typeof r["source"] !== "string"
    ) {
      return [`state.consent.${scope}`, "must be { at, action, source }"];
    }
  }
  return undefined;
}

/**
 * The restrictions of a state without its permissions: what carries over to a customer's new
 * phone number (OPEN-15): opt-outs, marketing stops, limits and blocks, but no window or FEP.
 *
 * @example
 * ```ts
 * restrictionsOnly(state).inbound; //=> {}
 * ```
 */
export function restrictionsOnly(state: ThreadState): ThreadState {
  const consent: Partial<Record<ConsentScope, ConsentRecord>> = {};
  const all = state.consent.all;
  for (const scope in state.consent) {
    const record = state.consent[scope as ConsentScope];
    // Only opt-outs still in force: one lifted by a later opt-in of everything stays behind.
    const lifted =
      scope !== "all" && all?.action === "opt-in" && record !== undefined && all.at > record.at;
    if (record?.action === "opt-out" && !lifted) consent[scope as ConsentScope] = record;
  }
  return compact<ThreadState>({
    ...emptyState(),
    channel: state.channel,
    consent,
    marketing: activeOnly(state.marketing),
    blocked: activeOnly(state.blocked),
    marketingLimitedUntil: state.marketingLimitedUntil,
    // Account- and page-level stops concern the business, not the number (ERR-30, ERR-32, ERR-33).
    accountLimited: state.accountLimited,
    pageRestrictedAt: state.pageRestrictedAt,
    tagRefusedAt: state.tagRefusedAt,
  });
}

/** The restrictive side of a toggle, if it is the one in force (a tie is restrictive). */
function activeOnly(toggle: Toggle | undefined): Toggle | undefined {
  if (toggle?.on === undefined) return undefined;
  return toggle.off === undefined || toggle.on >= toggle.off ? { on: toggle.on } : undefined;
}

/**
 * Upgrades a stored state to the current schema version. Unknown or future versions are rejected
 * by the service with a typed error; version 1 is current, so this is the identity on it.
 *
 * @example
 * ```ts
 * migrateState({ v: 1, inbound: {}, outbound: [], consent: {} }); // returned as is
 * ```
 */
export function migrateState(stored: { readonly v: number }): ThreadState | undefined {
  if (stored.v === 1) return stored as ThreadState;
  return undefined;
}
