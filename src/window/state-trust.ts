/**
 * Sealed states: what the fold hands out is deeply frozen and stamped, so `decide`,
 * `verdict` and the fold need not check its shape again (it cannot have changed). Any other
 * state (built by hand, parsed from JSON, a spread or a `structuredClone` of a sealed one) is
 * checked on every call, as before.
 *
 * @module
 * @internal
 */
import { INBOUND_ORDER, SCOPE_ORDER } from "./state-merge.js";
import {
  CARRIED_DEPTH,
  type ConsentRecord,
  REFUSABLE_TAGS,
  type ThreadState,
} from "./state-type.js";

/** A base "constructor" that returns the object it is given, so a subclass's fields go on it. */
const Given = function (this: unknown, object: object): object {
  return object;
} as unknown as new (
  object: object,
) => object;

/**
 * The seal: a private field this module stamps on the states it sealed. Like membership of a
 * `WeakSet` (what it replaces), it cannot be forged, copied (spread, `structuredClone`, JSON)
 * or seen through a `Proxy`, and dies with the state; unlike a `WeakSet`, checking it is not a
 * hash lookup on every decision (callgrind: ≈ 60 instructions per `verdict` instead of ≈ 140, and
 * `foldEvent` ≈ 1,100 fewer without the `WeakSet.add`).
 */
class Seal extends Given {
  readonly #sealed = true;

  /** Whether `object` carries the seal (stamped by {@link seal} of this copy of the library). */
  static on(object: object): boolean {
    return #sealed in object;
  }
}

/** The members of a `carried` level (OPEN-15): consent records, two toggles, the level below. */
const CARRIED = ["consent", "marketing", "blocked", "carried"] as const;

/**
 * Every member of a {@link ThreadState} and what it holds: `0` a primitive, `1` a list, or the
 * names of an object member's own members. A member added to the type without an entry here does
 * not compile. Names are read by name, as the decision reads them.
 */
const MEMBERS = {
  v: 0,
  channel: 0,
  inbound: INBOUND_ORDER,
  referral: ["ad", "post"],
  outbound: 1,
  reengagementFailedAt: 0,
  fepEndsAt: 0,
  fepSeenAt: 0,
  consent: SCOPE_ORDER,
  marketing: ["on", "off"],
  blocked: ["on", "off"],
  marketingLimitedUntil: 0,
  lastError: ["code", "at"],
  movedTo: 1,
  carried: CARRIED,
  lastMarketingAt: 0,
  firstSends: 1,
  accountLimited: ["at", "until"],
  pageRestrictedAt: 0,
  tagRefusedAt: REFUSABLE_TAGS,
} as const satisfies Record<keyof ThreadState, 0 | 1 | readonly string[]>;

const NAMES = Object.keys(MEMBERS) as (keyof ThreadState)[];

/** The members of a consent record. */
const RECORD: readonly (keyof ConsentRecord)[] = ["at", "action", "source"];

/**
 * Whether `state` was sealed by this copy of the library (frozen, built only from this module's
 * own objects): its shape was checked when it was built and cannot have changed since.
 */
export const isSealed = (state: unknown): boolean =>
  typeof state === "object" && state !== null && Seal.on(state);

/**
 * Freezes a state the fold built (its members and consent records, then the state) and
 * stamps it as sealed. Only for states made of the library's own objects: `join` of sealed
 * states and event states, or a {@link copyState} copy.
 */
export function seal(state: ThreadState): ThreadState {
  if (Seal.on(state)) return state;
  // What the state shares with a sealed state is frozen already and skipped.
  const s = state as unknown as Loose;
  for (const name in s) {
    const member = s[name];
    if (typeof member !== "object" || member === null || Object.isFrozen(member)) continue;
    // Consent holds records, two levels deep; `carried` holds consent records and toggles.
    if (name === "consent") freezeMembers(member as Loose);
    else if (name === "carried") freezeCarried(member as Loose);
    Object.freeze(member);
  }
  // Stamped before it is frozen: the state is one the fold just built (extensible).
  new Seal(state);
  Object.freeze(state);
  return state;
}

/** Freezes a `carried` level's consent, records and toggles, and the levels below it. */
function freezeCarried(c: Loose): void {
  if (isObject(c["consent"])) freezeMembers(c["consent"]);
  if (isObject(c["carried"])) {
    freezeCarried(c["carried"]);
    Object.freeze(c["carried"]);
  }
  freezeMembers(c);
}

/** Freezes each member of `object` (consent records, toggles) unless frozen already. */
function freezeMembers(object: Loose): void {
  for (const name of Object.keys(object)) freeze(object[name]);
}

/** Freezes a consent record unless it is frozen already. */
function freeze(record: unknown): void {
  if (typeof record === "object" && record !== null && !Object.isFrozen(record)) {
    Object.freeze(record);
  }
}

type Loose = Record<string, unknown>;

const isObject = (value: unknown): value is Loose =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** A fresh object of `value`'s members under `names`, read by name; a non-object as it is. */
function pick(value: unknown, names: readonly string[]): unknown {
  if (!isObject(value)) return value;
  const out: Loose = {};
  for (const name of names) {
    const member = value[name];
    if (member !== undefined) out[name] = member;
  }
  return out;
}

/** A fresh list of `value`'s items, read by index (no iterator, no species); else the value. */
function list(value: unknown): unknown {
  if (!Array.isArray(value)) return value;
  const out: unknown[] = [];
  for (let i = 0; i < value.length; i++) out.push(value[i]);
  return out;
}

/**
 * A fresh copy of a state, made of plain data objects this module built. Every member, and every
 * member of its objects, is read once and by name, as the decision reads it (inherited and
 * non-enumerable ones included, so no restriction is lost); anything a state does not have
 * (other names, symbols, extra record fields) is left behind, so no object of the host's is kept.
 * A value of the wrong type is kept as it is, for the check that must follow to name it.
 */
export function copyState(state: unknown): unknown {
  if (!isObject(state)) return state;
  const out: Loose = {};
  for (const name of NAMES) {
    const value = state[name];
    if (value === undefined) continue;
    const kind: 0 | 1 | readonly string[] = MEMBERS[name];
    if (kind === 0) out[name] = value;
    else if (kind === 1) out[name] = list(value);
    else if (name === "consent") out[name] = copyConsent(value);
    else if (name === "carried") out[name] = copyCarried(value, CARRIED_DEPTH);
    else out[name] = pick(value, kind);
  }
  return out;
}

/**
 * A fresh copy of a `carried` level and the levels below it, at most `depth` levels (a deeper
 * one is kept as it is, for the check to refuse).
 */
function copyCarried(value: unknown, depth: number): unknown {
  if (depth < 1) return value;
  const c = pick(value, CARRIED);
  if (isObject(c)) {
    if (c["consent"] !== undefined) c["consent"] = copyConsent(c["consent"]);
    for (const toggle of ["marketing", "blocked"] as const) {
      if (c[toggle] !== undefined) c[toggle] = pick(c[toggle], MEMBERS.marketing);
    }
    if (c["carried"] !== undefined) c["carried"] = copyCarried(c["carried"], depth - 1);
  }
  return c;
}

/** A fresh copy of a consent map: its known scopes, each record's three members. */
function copyConsent(value: unknown): unknown {
  const scopes = pick(value, SCOPE_ORDER);
  if (isObject(scopes)) for (const s of Object.keys(scopes)) scopes[s] = pick(scopes[s], RECORD);
  return scopes;
}
