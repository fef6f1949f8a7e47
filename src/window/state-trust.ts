/**
 * Sealed states: what the fold hands out is deeply frozen and remembered, so `decide`,
 * `verdict` and the fold need not check its shape again (it cannot have changed). Any other
 * state (built by hand, parsed from JSON, a spread or a `structuredClone` of a sealed one) is
 * checked on every call, as before.
 *
 * @module
 * @internal
 */
import type { ThreadState } from "./state-type.js";

/** States this module sealed. A `WeakSet`: a state nobody holds any more is not kept alive. */
const SEALED = new WeakSet<object>();

/**
 * Every member of a {@link ThreadState}: a member added to the type without an entry here does
 * not compile.
 */
const MEMBERS = {
  v: true,
  channel: true,
  inbound: true,
  referral: true,
  outbound: true,
  reengagementFailedAt: true,
  fepEndsAt: true,
  fepSeenAt: true,
  consent: true,
  marketing: true,
  blocked: true,
  marketingLimitedUntil: true,
  lastError: true,
  movedTo: true,
  lastMarketingAt: true,
  firstSends: true,
  accountLimited: true,
  pageRestrictedAt: true,
  tagRefusedAt: true,
} as const satisfies Record<keyof ThreadState, true>;

/** The member names, as a `Set`: host-supplied names are never looked up on a prototype. */
const KNOWN: ReadonlySet<string> = new Set(Object.keys(MEMBERS));

/**
 * Whether `state` was sealed by this copy of the library (frozen, built only from this module's
 * own objects): its shape was checked when it was built and cannot have changed since.
 */
export const isSealed = (state: unknown): boolean =>
  typeof state === "object" && state !== null && SEALED.has(state);

/**
 * Freezes a state the fold built (its members and consent records, then the state) and
 * remembers it as sealed. Only for states made of the library's own objects: `join` of sealed
 * states and event states, or a {@link copyState} copy.
 */
export function seal(state: ThreadState): ThreadState {
  if (SEALED.has(state)) return state;
  // What the state shares with a sealed state is frozen already and skipped.
  const s = state as unknown as Loose;
  for (const name in s) {
    const member = s[name];
    if (typeof member !== "object" || member === null || Object.isFrozen(member)) continue;
    // Consent holds records: the one member two levels deep.
    if (name === "consent") for (const scope in member) freeze((member as Loose)[scope]);
    Object.freeze(member);
  }
  Object.freeze(state);
  SEALED.add(state);
  return state;
}

/** Freezes a consent record unless it is frozen already. */
function freeze(record: unknown): void {
  if (typeof record === "object" && record !== null && !Object.isFrozen(record)) {
    Object.freeze(record);
  }
}

type Loose = Record<string, unknown>;

/**
 * A copy made of fresh data objects (getters read once): an array read by index (no iterator,
 * no species), an object spread (own members, `__proto__` included, stay own data members) and,
 * `depth` levels down, its members copied the same way; anything else is the value itself.
 */
function copyValue(value: unknown, depth: number): unknown {
  if (typeof value !== "object" || value === null) return value;
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    for (let i = 0; i < value.length; i++) out.push(value[i]);
    return out;
  }
  const out: Loose = { ...value };
  if (depth > 0) for (const key of Object.keys(out)) out[key] = copyValue(out[key], depth - 1);
  return out;
}

/**
 * A fresh copy of a state's known members, made only of plain data objects this module built:
 * a host's state (getters, later mutation, extra members) cannot reach a sealed state. The copy
 * must be checked again before it is sealed: a getter may answer differently the second time.
 */
export function copyState(state: ThreadState): ThreadState {
  const s = state as unknown as Loose;
  const out: Loose = {};
  for (const key of Object.keys(s)) {
    // Members a state does not have are left behind (the fold's join drops them too).
    if (KNOWN.has(key) && s[key] !== undefined) {
      out[key] = copyValue(s[key], key === "consent" ? 1 : 0);
    }
  }
  return out as unknown as ThreadState;
}
