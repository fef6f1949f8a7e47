/**
 * The charge case of a message under an era (PRICE-4 … PRICE-23, as data), memoised per era and
 * fact combination in slots; each slot also remembers the last note and price written from it.
 *
 * @module
 * @internal
 */
import type { Instant } from "../domain/types.js";
import {
  type ChargeCase,
  type ChargeKind,
  type ChargeTier,
  POLICY_DATES,
  type PricingEra,
} from "../policy/eras.js";
import { startOfDayIn } from "../policy/time.js";
import type { PricingCategory, PricingInfo, ServiceTierInfo } from "./decision.js";

/** What a case is matched on. */
interface ChargeFacts {
  readonly kind: ChargeKind;
  readonly window: "open" | "closed";
  readonly fep: boolean;
  readonly directSendFreeInFep: boolean;
  readonly tier: ChargeTier;
}

const has = <T>(list: readonly T[] | undefined, value: T): boolean =>
  list === undefined || list.includes(value);

/** The kinds and tiers by their slot in the memo key (a number per price, no string lookups). */
const KINDS: readonly ChargeKind[] = [
  "service",
  "reaction",
  "direct-send",
  "unknown",
  "marketing",
  "utility",
  "authentication",
];
const TIERS: readonly ChargeTier[] = ["none", "unknown", "within", "beyond", "exempt"];
const TIER_NONE = 0;
const TIER_UNKNOWN = 1;
const TIER_WITHIN = 2;
const TIER_BEYOND = 3;
const TIER_EXEMPT = 4;

/** Matches the facts against the era's cases in order (the definition of a charge). */
function matchCase(era: PricingEra, f: ChargeFacts): ChargeCase | undefined {
  for (const c of era.charges) {
    if (
      has(c.kind, f.kind) &&
      (c.window === undefined || c.window === f.window) &&
      (c.fep === undefined || c.fep === f.fep) &&
      (c.directSendFreeInFep === undefined || c.directSendFreeInFep === f.directSendFreeInFep) &&
      has(c.tier, f.tier)
    ) {
      return c;
    }
  }
  return undefined;
}

/**
 * One fact combination of an era: the case it matched, and the last price written from it.
 *
 * @internal
 */
export interface Slot {
  readonly c: ChargeCase;
  /** The last price written from this slot, and what it was written for. */
  last: PriceWritten | undefined;
}

/**
 * A price a slot wrote (frozen: verdicts share it) and every value it was written from: the
 * case's and the era's too, so a custom era changed in place is never answered from an older
 * price (hostile review, 2026-12-06 night).
 */
export interface PriceWritten {
  readonly category: PricingCategory;
  readonly tier: ServiceTierInfo | undefined;
  readonly zone: string;
  readonly era: PricingEra["id"];
  /** The era's first day, which notes print ("free from …"). */
  readonly from: PricingEra["from"];
  readonly limit: number | null;
  readonly charge: ChargeCase["charge"];
  readonly type: ChargeCase["type"];
  readonly note: ChargeCase["note"];
  readonly withTier: ChargeCase["withTier"];
  readonly pricing: PricingInfo;
}

/** Per era, the slot of each of the 280 fact combinations, filled on first use. */
const memo = new WeakMap<PricingEra, (Slot | undefined)[]>();
/** The era priced last and its slots (a campaign prices one era: no WeakMap lookup per price). */
let lastEra: PricingEra | undefined;
let lastSlots: (Slot | undefined)[] = [];

/** The slots of `era`. */
function slotsOf(era: PricingEra): (Slot | undefined)[] {
  if (era === lastEra) return lastSlots;
  let slots = memo.get(era);
  if (slots === undefined) {
    slots = [];
    memo.set(era, slots);
  }
  lastEra = era;
  lastSlots = slots;
  return slots;
}

/** Fills the slot at `key` by matching the era's cases (its first use). */
function fillSlot(
  era: PricingEra,
  slots: (Slot | undefined)[],
  key: number,
  kind: number,
  windowOpen: boolean,
  fep: boolean,
  directSendFreeInFep: boolean,
  tier: number,
): Slot {
  const c =
    matchCase(era, {
      kind: KINDS[kind] as ChargeKind,
      window: windowOpen ? "open" : "closed",
      fep,
      directSendFreeInFep,
      tier: TIERS[tier] as ChargeTier,
    }) ?? NO_CASE;
  const slot: Slot = { c, last: undefined };
  slots[key] = slot;
  return slot;
}

/**
 * The first case of `era.charges` that matches (PRICE-4 … PRICE-23, as data), memoised per era
 * and fact combination; the facts come one by one as slot numbers (no facts object per price).
 */
function slotOf(
  era: PricingEra,
  kind: number,
  windowOpen: boolean,
  fep: boolean,
  directSendFreeInFep: boolean,
  tier: number,
): Slot {
  const key =
    ((kind * 2 + (windowOpen ? 1 : 0)) * 2 + (fep ? 1 : 0)) * 2 +
    (directSendFreeInFep ? 1 : 0) +
    8 * KINDS.length * tier;
  const slots = slotsOf(era);
  const hit = slots[key];
  return hit !== undefined
    ? hit
    : fillSlot(era, slots, key, kind, windowOpen, fep, directSendFreeInFep, tier);
}

/** The slot of a message's {@link ChargeKind} in {@link KINDS}. */
function kindOf(category: PricingCategory, reaction: boolean, directSend: boolean): number {
  if (directSend) return 2;
  switch (category) {
    case "service":
      return reaction ? 1 : 0;
    case "unknown":
      return 3;
    case "marketing":
      return 4;
    case "utility":
      return 5;
    case "authentication":
      return 6;
  }
}

/**
 * The slot of the message's {@link ChargeTier} in {@link TIERS}. `exemptUntil` is the first
 * instant after the PRICE-8 exemption, read only for an exempt sender beyond the tier.
 */
function tierOf(
  era: PricingEra,
  kind: number,
  tier: ServiceTierInfo | undefined,
  exempt: boolean | undefined,
  at: Instant,
  exemptUntil: Instant | undefined,
): number {
  if (era.serviceTier === null || kind !== 0) return TIER_NONE;
  if (tier === undefined) return TIER_UNKNOWN;
  if (tier.used < tier.limit) return TIER_WITHIN;
  if (exempt !== true) return TIER_BEYOND;
  const until = exemptUntil ?? startOfDayIn(POLICY_DATES.governmentExemptUntil, "UTC");
  return at < until ? TIER_EXEMPT : TIER_BEYOND;
}

const NO_CASE: ChargeCase = {
  charge: "unknown",
  type: "regular",
  note: "This era declares no charge for this case, so the price is unknown (PRICE-22).",
  rules: [],
};

/**
 * The charge case of the message `category` / `reaction` / `directSend` under `era`, from
 * positional facts: the decision's hot path builds no message or context object (and gets a
 * memoised slot back, no object per price). `exemptUntil` is the first instant after the PRICE-8
 * exemption (default 2028-01-01 00:00 UTC). {@link pricingOf} writes its price.
 *
 * @internal
 */
export function chargeOf(
  era: PricingEra,
  category: PricingCategory,
  reaction: boolean,
  directSend: boolean,
  windowOpen: boolean,
  fepOpen: boolean,
  at: Instant,
  tier: ServiceTierInfo | undefined,
  governmentExempt: boolean | undefined,
  exemptUntil: Instant | undefined,
  directSendFreeInFep: boolean,
): Slot {
  const kind = kindOf(category, reaction, directSend);
  const tierCase = tierOf(era, kind, tier, governmentExempt, at, exemptUntil);
  return slotOf(era, kind, windowOpen, fepOpen, directSendFreeInFep, tierCase);
}
