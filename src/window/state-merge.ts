/**
 * The join of two thread states (see `state.ts`): every field is a maximum, a bounded top-N set
 * or a "latest record wins with a deterministic tie-break", so `mergeStates` is commutative,
 * associative and idempotent, and folding an event is `join(state, eventState(event))` (CSW-4).
 *
 * @module
 */

import type { ConsentScope, Instant } from "../domain/types.js";
import { DAY_MS } from "../policy/units.js";
import {
  type CarriedOver,
  type ConsentRecord,
  FIRST_SENDS_KEPT,
  type InboundClass,
  MOVED_KEPT,
  OUTBOUND_KEPT,
  REFUSABLE_TAGS,
  type RefusableTag,
  type ThreadState,
  type Toggle,
} from "./state-type.js";

const max = (a: Instant | undefined, b: Instant | undefined): Instant | undefined =>
  a === undefined ? b : b === undefined ? a : a >= b ? a : b;

/** Later wins; on a tie the opt-out, then the smaller source (a total order: a lattice join). */
function mergeRecord(a: ConsentRecord, b: ConsentRecord): ConsentRecord {
  if (a.at !== b.at) return a.at > b.at ? a : b;
  if (a.action !== b.action) return a.action === "opt-out" ? a : b;
  return a.source <= b.source ? a : b;
}

export function mergeToggle(a: Toggle | undefined, b: Toggle | undefined): Toggle | undefined {
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
export const INBOUND_ORDER: readonly InboundClass[] = [
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
export const SCOPE_ORDER: readonly ConsentScope[] = [
  "all",
  "marketing",
  "utility",
  "authentication",
];

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

export function mergeConsent(
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

/** The later error; on a tie the smaller code (a total order: a join). */
export function mergeError(
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
export function compact<T extends object>(value: Partial<Loose<T>>): T {
  const out = {} as Record<string, unknown>;
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

/** `mergeStates` on states known to be well formed (the fold's own, checked ones). */
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
  joinRecords(a, b, out);
  const limited = max(a.marketingLimitedUntil, b.marketingLimitedUntil);
  if (limited !== undefined) out.marketingLimitedUntil = limited;
  const lastError = mergeError(a.lastError, b.lastError);
  if (lastError !== undefined) out.lastError = lastError;
  const movedTo = mergeIds(a.movedTo, b.movedTo);
  if (movedTo !== undefined) out.movedTo = movedTo;
  const carried = mergeCarried(a.carried, b.carried);
  if (carried !== undefined) out.carried = carried;
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

/** What earlier numbers carried (OPEN-15), joined member by member and level by level. */
export function mergeCarried(
  a: CarriedOver | undefined,
  b: CarriedOver | undefined,
): CarriedOver | undefined {
  if (a === undefined || a === b) return b;
  if (b === undefined) return a;
  const out: { -readonly [K in keyof CarriedOver]?: CarriedOver[K] } = {};
  joinRecords(a, b, out);
  const deeper = mergeCarried(a.carried, b.carried);
  if (deeper !== undefined) out.carried = deeper;
  return out as CarriedOver;
}

/** Consent records and stop / block toggles: what a state and a carried level both hold. */
type Records = Pick<CarriedOver, "consent" | "marketing" | "blocked">;

/** `a`'s and `b`'s consent and toggles, joined into `out` (a state or a carried level). */
function joinRecords(a: Records, b: Records, out: { -readonly [K in keyof Records]?: Records[K] }) {
  out.consent = mergeConsent(a.consent, b.consent);
  const marketing = mergeToggle(a.marketing, b.marketing);
  if (marketing !== undefined) out.marketing = marketing;
  const blocked = mergeToggle(a.blocked, b.blocked);
  if (blocked !== undefined) out.blocked = blocked;
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
