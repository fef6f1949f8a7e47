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
  type CarriedOver,
  type ConsentRecord,
  emptyState as freshState,
  type ThreadState,
  type Toggle,
} from "./state-type.js";

/**
 * What a number change carries from `state` to the customer's new number (OPEN-15): its consent
 * records and marketing / block toggles, joined with what it carried itself, under `carried`
 * (read by {@link withCarried}: they restrict, never grant), and its limits, which only
 * restrict. No window, FEP or send. Every member is a join of the old state's own, so a later,
 * larger old state never carries less: forwarding it before or after the old number's late
 * events gives the same new state (issue 10). With `carryWindowsOnNumberChange` the service
 * carries the whole state instead.
 *
 * @example
 * ```ts
 * carriedOver(state).inbound; //=> {}
 * carriedOver(state).carried?.marketing; // the old number's stop and resume, as it has them
 * ```
 */
export function carriedOver(state: ThreadState): ThreadState {
  const c = state.carried;
  const consent = c === undefined ? state.consent : mergeConsent(state.consent, c.consent);
  const marketing = mergeToggle(state.marketing, c?.marketing);
  const blocked = mergeToggle(state.blocked, c?.blocked);
  const some = Object.keys(consent).length > 0 || marketing !== undefined || blocked !== undefined;
  return compact<ThreadState>({
    ...freshState(),
    channel: state.channel,
    carried: some ? compact<CarriedOver>({ consent, marketing, blocked }) : undefined,
    marketingLimitedUntil: state.marketingLimitedUntil,
    // Account- and page-level stops concern the business, not the number (ERR-30, ERR-32, ERR-33).
    accountLimited: state.accountLimited,
    pageRestrictedAt: state.pageRestrictedAt,
    tagRefusedAt: state.tagRefusedAt,
  });
}

/** The state each sealed state with `carried` reads as (built once per state). */
const views = new WeakMap<ThreadState, ThreadState>();

/**
 * The state a decision reads (OPEN-15): `state`'s own members, with the restrictions it carries
 * from an earlier number that are still in force there (an opt-out no later opt-in of its scope
 * or of everything lifted, a stop or block no later resume or unblock lifted) merged in as its
 * own. This thread's own later opt-in, resume or unblock lifts them; a lift carried over lifts
 * nothing here. `state` itself when it carries nothing.
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
  const consent: Partial<Record<ConsentScope, ConsentRecord>> = {};
  const all = c.consent.all;
  // The known scopes, by name: a stored row's scope named `__proto__` never becomes a prototype.
  for (const scope of SCOPE_ORDER) {
    const record = c.consent[scope];
    // Only opt-outs still in force: one lifted by a later opt-in of everything stays behind.
    const lifted =
      scope !== "all" && all?.action === "opt-in" && record !== undefined && all.at > record.at;
    if (record?.action === "opt-out" && !lifted) consent[scope] = record;
  }
  const { carried: _carried, ...own } = state;
  const view: { -readonly [K in keyof ThreadState]?: ThreadState[K] } = {
    ...own,
    consent: mergeConsent(state.consent, consent),
  };
  const marketing = mergeToggle(state.marketing, activeOnly(c.marketing));
  if (marketing !== undefined) view.marketing = marketing;
  const blocked = mergeToggle(state.blocked, activeOnly(c.blocked));
  if (blocked !== undefined) view.blocked = blocked;
  if (!sealed) return view as ThreadState;
  const out = seal(view as ThreadState);
  views.set(state, out);
  return out;
}

/** The restrictive side of a toggle, if it is the one in force (a tie is restrictive). */
function activeOnly(toggle: Toggle | undefined): Toggle | undefined {
  if (toggle?.on === undefined) return undefined;
  return toggle.off === undefined || toggle.on >= toggle.off ? { on: toggle.on } : undefined;
}
