/**
 * The shape check of a thread state handed in from outside (a store's row, `decide` / `verdict`,
 * the fold, `mergeStates`): {@link stateProblem} describes the {@link ThreadState} shape once,
 * {@link assertState} turns a problem into a typed error, {@link migrateState} reads stored
 * versions.
 *
 * @module
 */

import { InvalidInputError } from "../domain/errors.js";
import { LATEST_INSTANT } from "../domain/event.js";
import type { ThreadState } from "./state-type.js";

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
