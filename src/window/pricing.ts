/**
 * What a message costs under an era (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, OPEN-5,
 * OPEN-7, OPEN-14). Says whether it is charged, never how much (rates are data, PRICE-6).
 *
 * @module
 */
import type { Instant } from "../domain/types.js";
import {
  type ChargeCase,
  type ChargeKind,
  type ChargeNoteVars,
  type ChargeTier,
  POLICY_DATES,
  type PricingEra,
} from "../policy/eras.js";
import type { DecisionRuleId } from "../policy/rules.js";
import { startOfDayIn } from "../policy/time.js";
import type { PricingCategory, PricingInfo, ServiceTierInfo } from "./decision.js";
import { formatInstant } from "./words.js";

/**
 * What is being priced.
 *
 * @example
 * ```ts
 * const m: PricedMessage = { category: "service", reaction: false, directSend: false };
 * ```
 */
export interface PricedMessage {
  /** `service` for free-form; a template category; `unknown` for an uncatalogued template. */
  readonly category: PricingCategory;
  /** Reactions are free and never use up the tier (PRICE-4). */
  readonly reaction: boolean;
  /** A Direct Send (DIRECT-6), priced at its category's rate. */
  readonly directSend: boolean;
}

/**
 * The circumstances at delivery.
 *
 * @example
 * ```ts
 * const c: PricingContext = { windowOpen: true, fepOpen: false, at: Date.parse("2026-11-26T09:00:00Z") };
 * ```
 */
export interface PricingContext {
  readonly windowOpen: boolean;
  /** An FEP counts for pricing (open, or activated by this very reply, FEP-2). */
  readonly fepOpen: boolean;
  readonly at: Instant;
  readonly tier?: ServiceTierInfo | undefined;
  readonly governmentExempt?: boolean | undefined;
  /** First instant after the PRICE-8 exemption in the account's time zone. Default: UTC. */
  readonly governmentExemptUntil?: Instant | undefined;
  readonly directSendFreeInFep?: boolean | undefined;
  /** The account's IANA time zone, for dates in notes (OPEN-6). Default UTC. */
  readonly timeZone?: string | undefined;
}

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

/** The last note written for a case and the values it was written from. */
interface WrittenNote {
  readonly used: number;
  readonly limit: number;
  readonly month: string;
  readonly category: string;
  readonly zone: string;
  readonly era: PricingEra;
  readonly text: string;
}

/** A case's last written note (one holder per case, shared by every slot that matched it). */
interface NoteHolder {
  last: WrittenNote | undefined;
}
const holders = new WeakMap<ChargeCase, NoteHolder>();

/**
 * One fact combination of an era: the case it matched, and that case's note holder.
 *
 * @internal
 */
export interface Slot {
  readonly c: ChargeCase;
  readonly notes: NoteHolder;
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
  let notes = holders.get(c);
  if (notes === undefined) {
    notes = { last: undefined };
    holders.set(c, notes);
  }
  const slot: Slot = { c, notes };
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
    default:
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

/**
 * A price with the rules its case cites.
 *
 * @internal
 */
export interface PricedCase {
  readonly pricing: PricingInfo;
  readonly rules: readonly DecisionRuleId[];
}

const NO_CASE: ChargeCase = {
  charge: "unknown",
  type: "regular",
  note: "This era declares no charge for this case, so the price is unknown (PRICE-22).",
  rules: [],
};

/**
 * A case's note for these values. Notes are pure functions of their values, so the last one per
 * case is reused while the values stay the same (a campaign prices thousands of messages with
 * one month's count): no number-to-text work per decision.
 */
function noteOf(
  slot: Slot,
  write: (vars: ChargeNoteVars) => string,
  era: PricingEra,
  category: string,
  tier: ServiceTierInfo | undefined,
  zone: string,
): string {
  const used = tier?.used ?? 0;
  const limit = tier?.limit ?? era.serviceTier ?? 0;
  const month = tier?.month ?? "";
  const last = slot.notes.last;
  if (
    last !== undefined &&
    last.used === used &&
    last.limit === limit &&
    last.month === month &&
    last.category === category &&
    last.zone === zone &&
    last.era === era
  ) {
    return last.text;
  }
  const text = write({
    used,
    limit,
    month,
    from: () => formatInstant(startOfDayIn(era.from, zone), zone),
    category,
  });
  slot.notes.last = { used, limit, month, category, zone, era, text };
  return text;
}

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

/**
 * The price a {@link chargeOf} slot gives a message of `category` (with the tier figures when the
 * case reports them); notes read `zone` for dates.
 *
 * @internal
 */
export function pricingOf(
  slot: Slot,
  era: PricingEra,
  category: PricingCategory,
  tier: ServiceTierInfo | undefined,
  zone: string,
): PricingInfo {
  const c = slot.c;
  const note =
    typeof c.note === "string" ? c.note : noteOf(slot, c.note, era, category, tier, zone);
  return c.withTier === true && tier !== undefined
    ? { charge: c.charge, category, type: c.type, era: era.id, note, tier }
    : { charge: c.charge, category, type: c.type, era: era.id, note };
}

/**
 * Prices one message under `era` from the era's charge cases, and names the rules that case
 * cites.
 *
 * @internal
 */
export function priceCase(
  era: PricingEra,
  message: PricedMessage,
  context: PricingContext,
): PricedCase {
  const slot = chargeOf(
    era,
    message.category,
    message.reaction,
    message.directSend,
    context.windowOpen,
    context.fepOpen,
    context.at,
    context.tier,
    context.governmentExempt,
    context.governmentExemptUntil,
    context.directSendFreeInFep === true,
  );
  const pricing = pricingOf(slot, era, message.category, context.tier, context.timeZone ?? "UTC");
  return { pricing, rules: slot.c.rules };
}

/**
 * Prices one message under `era`: the first of the era's charge cases (category, window, FEP,
 * tier) that matches decides (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, OPEN-7, OPEN-14).
 *
 * @example
 * ```ts
 * priceMessage(era2026, { category: "utility", reaction: false, directSend: false },
 *   { windowOpen: true, fepOpen: false, at }).charge; //=> "charged"
 * ```
 */
export function priceMessage(
  era: PricingEra,
  message: PricedMessage,
  context: PricingContext,
): PricingInfo {
  return priceCase(era, message, context).pricing;
}
