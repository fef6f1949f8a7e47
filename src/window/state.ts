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
 * This module holds the fold and what guards it: every function a caller hands a state to
 * ({@link foldEvent}, {@link foldEvents}, {@link mergeStates}) checks it against the one
 * description of a state's shape ({@link stateProblem}). The state's type and bounds are in
 * `state-type.ts`, the join in `state-merge.ts` and the fold of each event kind in
 * `state-event.ts`; what they export for other modules is exported from here too.
 *
 * @module
 */

import { InvalidInputError } from "../domain/errors.js";
import { checkEvent, LATEST_INSTANT, parseEvent } from "../domain/event.js";
import type { ThreadEvent } from "../domain/types.js";
import { eventState } from "./state-event.js";
import { join } from "./state-merge.js";
import { copyState, isSealed, seal } from "./state-trust.js";
import {
  CARRIED_DEPTH,
  type CarriedOver,
  emptyState as freshState,
  type ThreadState,
} from "./state-type.js";

/** 24 hours in milliseconds (CSW-2); defined once in policy/units.ts. */
export { DAY_MS } from "../policy/units.js";
export { carriedOver, withCarried } from "./state-carried.js";
export { eventState, inboundClass } from "./state-event.js";
export { join } from "./state-merge.js";
export { isSealed } from "./state-trust.js";
export {
  CARRIED_DEPTH,
  type CarriedOver,
  CONSENT_SOURCE_MAX,
  type ConsentRecord,
  FIRST_SENDS_KEPT,
  type InboundClass,
  isOn,
  MOVED_KEPT,
  OUTBOUND_KEPT,
  optOutHolds,
  type RefusableTag,
  type ThreadState,
  type Toggle,
} from "./state-type.js";

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
  const base = sealedState(state, "state");
  return seal(join(base, eventState(checkedEvent(event, undefined))));
}

/**
 * A new, empty thread state (sealed: deeply frozen, like every state the fold returns).
 *
 * @example
 * ```ts
 * emptyState(); //=> { v: 1, inbound: {}, outbound: [], consent: {} }
 * ```
 */
export function emptyState(): ThreadState {
  return seal(freshState());
}

/**
 * `state` itself when it is sealed; otherwise a sealed copy of it ({@link checkedState}).
 *
 * @internal
 */
export const sealedState = (state: unknown, name: string): ThreadState =>
  isSealed(state) ? (state as ThreadState) : seal(checkedState(state, name));

/**
 * `state` itself when it is sealed; otherwise a fresh copy of it, each member read once and by
 * name, whose shape is then checked (an {@link InvalidInputError} names the member). What
 * follows reads only the checked copy: a host's getter cannot answer differently afterwards.
 *
 * @internal
 */
export function checkedState(state: unknown, name: string): ThreadState {
  if (isSealed(state)) return state as ThreadState;
  const copy = copyState(state);
  assertState(copy, name);
  return copy;
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
 * otherwise an {@link InvalidInputError} (`invalid-state`) names the member. A sealed state
 * (what the fold returns: deeply frozen) passes at once; any other is checked on every call,
 * since a host can change a plain object between calls.
 */
export function assertState(state: unknown, name = "state"): asserts state is ThreadState {
  if (isSealed(state)) return;
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
  const base = sealedState(state, "state");
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
  let out = base;
  let i = 0;
  for (const event of events) out = join(out, eventState(checkedEvent(event, i++)));
  return seal(out);
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
  const sa = sealedState(a, "a");
  // One copy of a state merged with itself: the join of a state with itself is that state.
  return seal(join(sa, b === a ? sa : sealedState(b, "b")));
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
    consentProblem(s["consent"], "state.consent");
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
  const carried = s["carried"];
  if (carried !== undefined) {
    const problem = carriedProblem(carried, "state.carried", CARRIED_DEPTH);
    if (problem !== undefined) return problem;
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

/** A {@link CarriedOver} at `field`, nested at most `depth` levels (OPEN-15). */
function carriedProblem(
  carried: unknown,
  field: string,
  depth: number,
): [string, string] | undefined {
  if (!isRecord(carried)) return [field, "must be { consent, marketing?, blocked?, carried? }"];
  if (depth < 1) return [field, `must not nest more than ${CARRIED_DEPTH} levels`];
  const c = carried as Partial<Record<keyof CarriedOver, unknown>>;
  const name = field.slice("state.".length);
  return (
    consentProblem(c.consent, `${field}.consent`) ??
    recordOrAbsent(c.marketing, `${name}.marketing`, PAIR_ON_OFF) ??
    recordOrAbsent(c.blocked, `${name}.blocked`, PAIR_ON_OFF) ??
    (c.carried === undefined ? undefined : carriedProblem(c.carried, `${field}.carried`, depth - 1))
  );
}

/** Every consent record `{ at, action, source }` of the map at `field`. */
function consentProblem(consent: unknown, field: string): [string, string] | undefined {
  if (!isRecord(consent)) return [field, "must be an object"];
  for (const scope in consent) {
    if (!Object.hasOwn(consent, scope)) continue;
    const r = consent[scope];
    if (
      !isRecord(r) ||
      !isInstant(r["at"]) ||
      (r["action"] !== "opt-in" && r["action"] !== "opt-out") ||
      typeof r["source"] !== "string"
    ) {
      return [`${field}.${scope}`, "must be { at, action, source }"];
    }
  }
  return undefined;
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
