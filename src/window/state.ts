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
 * This module holds the fold; the state's shape is in `state-type.ts`, the join in
 * `state-merge.ts`, the fold of each event kind in `state-event.ts` and the shape check in
 * `state-check.ts`. Everything they export is exported from here too.
 *
 * @module
 */

import { InvalidInputError } from "../domain/errors.js";
import { checkEvent, parseEvent } from "../domain/event.js";
import type { ConsentScope, ThreadEvent } from "../domain/types.js";
import { assertState } from "./state-check.js";
import { eventState } from "./state-event.js";
import { compact, join } from "./state-merge.js";
import { type ConsentRecord, emptyState, type ThreadState, type Toggle } from "./state-type.js";

/** 24 hours in milliseconds (CSW-2); defined once in policy/units.ts. */
export { DAY_MS } from "../policy/units.js";
export { assertState, migrateState, stateProblem } from "./state-check.js";
export { eventState, inboundClass } from "./state-event.js";
export { join, mergeStates } from "./state-merge.js";
export {
  CONSENT_SOURCE_MAX,
  type ConsentRecord,
  emptyState,
  FIRST_SENDS_KEPT,
  type InboundClass,
  MOVED_KEPT,
  OUTBOUND_KEPT,
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
