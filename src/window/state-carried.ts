/**
 * Restrictions across a number change (OPEN-15): what the old number's state carries to the new
 * one ({@link carriedOver}, a join, so forwarding it before or after the old number's late events
 * gives the same state) and how a decision reads them ({@link withCarried}).
 *
 * @module
 */
import type { ConsentScope } from "../domain/types.js";
import { compact, mergeConsent, mergeToggle, SCOPE_ORDER } from "./state-merge.js";
import { isSealed, seal } from "./state-trust.js";
import {
  CARRIED_DEPTH,
  type CarriedOver,
  type ConsentRecord,
  emptyState as freshState,
  isOn,
  optOutHolds,
  type ThreadState,
  type Toggle,
} from "./state-type.js";

/**
 * What a number change carries from `state` to the customer's new number (OPEN-15): its own
 * consent records and marketing / block toggles, with what it carried itself one level down,
 * under `carried` (read by {@link withCarried}: they restrict, never grant), and its limits,
 * which only restrict. No window, FEP or send. Built from the old state's members by joins
 * only, so a later, larger old state never carries less: forwarding it before or after the old
 * number's late events gives the same new state (issue 10). With `carryWindowsOnNumberChange`
 * the service carries the whole state instead.
 *
 * @example
 * ```ts
 * carriedOver(state).inbound; //=> {}
 * carriedOver(state).carried?.marketing; // the old number's stop and resume, as it has them
 * ```
 */
export function carriedOver(state: ThreadState): ThreadState {
  const level = capped(state, CARRIED_DEPTH);
  const some =
    Object.keys(level.consent).length > 0 ||
    level.marketing !== undefined ||
    level.blocked !== undefined ||
    level.carried !== undefined;
  return compact<ThreadState>({
    ...freshState(),
    channel: state.channel,
    carried: some ? level : undefined,
    marketingLimitedUntil: state.marketingLimitedUntil,
    // Account- and page-level stops concern the business, not the number (ERR-30, ERR-32, ERR-33).
    accountLimited: state.accountLimited,
    pageRestrictedAt: state.pageRestrictedAt,
    tagRefusedAt: state.tagRefusedAt,
  });
}

/**
 * `c`'s records and what it carried, at most `depth` levels: the last level joins every level
 * below it (a chain longer than {@link CARRIED_DEPTH} reads its oldest numbers as one).
 */
function capped(c: CarriedOver, depth: number): CarriedOver {
  const below = c.carried;
  if (below === undefined) return pick(c, undefined);
  if (depth > 1) return pick(c, capped(below, depth - 1));
  const flat = capped(below, 1);
  return pick(
    {
      consent: mergeConsent(c.consent, flat.consent),
      marketing: mergeToggle(c.marketing, flat.marketing),
      blocked: mergeToggle(c.blocked, flat.blocked),
    } as CarriedOver,
    undefined,
  );
}

/** One level: `c`'s consent and toggles, and `below` as what it carried. */
const pick = (c: CarriedOver, below: CarriedOver | undefined): CarriedOver =>
  compact<CarriedOver>({
    consent: c.consent,
    marketing: c.marketing,
    blocked: c.blocked,
    carried: below,
  });

/**
 * What an earlier number's records restrict, as its own decision reads them: its records with
 * what it carried in force merged in (recursively), then only what is still in force there (an
 * opt-out no later opt-in of its scope or of everything lifted, a stop or block no later resume
 * or unblock lifted).
 */
function inForce(c: CarriedOver): {
  readonly consent: Partial<Record<ConsentScope, ConsentRecord>>;
  readonly marketing: Toggle | undefined;
  readonly blocked: Toggle | undefined;
} {
  const below = c.carried === undefined ? undefined : inForce(c.carried);
  const records = below === undefined ? c.consent : mergeConsent(c.consent, below.consent);
  const consent: Partial<Record<ConsentScope, ConsentRecord>> = {};
  // The known scopes, by name: a stored row's scope named `__proto__` never becomes a prototype.
  for (const scope of SCOPE_ORDER) {
    const record = records[scope];
    if (optOutHolds(record, records.all)) consent[scope] = record;
  }
  return {
    consent,
    marketing: activeOnly(mergeToggle(c.marketing, below?.marketing)),
    blocked: activeOnly(mergeToggle(c.blocked, below?.blocked)),
  };
}

/** The state each sealed state with `carried` reads as (built once per state). */
const views = new WeakMap<ThreadState, ThreadState>();

/**
 * The state a decision reads (OPEN-15): `state`'s own members, with the restrictions still in
 * force on the earlier numbers it carries from (as their own decisions read them, chains
 * included) merged in as its own. This thread's own later opt-in, resume or unblock lifts them;
 * a lift carried over lifts nothing here. `state` itself when it carries nothing.
 *
 * @internal
 * @example
 * ```ts
 * withCarried({ ...emptyState(), carried: { consent: {}, marketing: { on: 5 } } }).marketing;
 * //=> { on: 5 }
 * ```
 */
export function withCarried(state: ThreadState): ThreadState {
  const c = state.carried;
  if (c === undefined) return state;
  const sealed = isSealed(state);
  const known = sealed ? views.get(state) : undefined;
  if (known !== undefined) return known;
  const force = inForce(c);
  const { carried: _carried, ...own } = state;
  const view: { -readonly [K in keyof ThreadState]?: ThreadState[K] } = {
    ...own,
    consent: mergeConsent(state.consent, force.consent),
  };
  const marketing = mergeToggle(state.marketing, force.marketing);
  if (marketing !== undefined) view.marketing = marketing;
  const blocked = mergeToggle(state.blocked, force.blocked);
  if (blocked !== undefined) view.blocked = blocked;
  if (!sealed) return view as ThreadState;
  const out = seal(view as ThreadState);
  views.set(state, out);
  return out;
}

/** The restrictive side of a toggle, if it is the one in force ({@link isOn}). */
const activeOnly = (toggle: Toggle | undefined): Toggle | undefined =>
  toggle?.on !== undefined && isOn(toggle) ? { on: toggle.on } : undefined;
