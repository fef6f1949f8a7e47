/**
 * What a message costs under an era (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, OPEN-5,
 * OPEN-7, OPEN-14). Says whether it is charged, never how much (rates are data, PRICE-6).
 *
 * @module
 */
import type { Instant } from "../domain/types.js";
import type { ChargeNoteVars, PricingEra } from "../policy/eras.js";
import type { DecisionRuleId } from "../policy/rules.js";
import { startOfDayIn } from "../policy/time.js";
import { chargeOf, type Slot } from "./charge-slots.js";
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

/**
 * A price with the rules its case cites.
 *
 * @internal
 */
export interface PricedCase {
  readonly pricing: PricingInfo;
  readonly rules: readonly DecisionRuleId[];
}

/** A case's note for these values (a pure function of them, PRICE-5 … PRICE-23). */
function noteOf(
  write: (vars: ChargeNoteVars) => string,
  era: PricingEra,
  category: string,
  tier: ServiceTierInfo | undefined,
  zone: string,
): string {
  return write({
    used: tier?.used ?? 0,
    limit: tier?.limit ?? era.serviceTier ?? 0,
    month: tier?.month ?? "",
    from: () => formatInstant(startOfDayIn(era.from, zone), zone),
    category,
  });
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
  // A campaign prices the same message with the same tier count again and again: the slot's
  // last price is handed out again (frozen, like every shared part of a verdict).
  const last = slot.last;
  const c = slot.c;
  if (
    last !== undefined &&
    last.tier === tier &&
    last.category === category &&
    last.zone === zone &&
    last.era === era.id &&
    last.from === era.from &&
    last.limit === era.serviceTier &&
    last.charge === c.charge &&
    last.type === c.type &&
    last.note === c.note &&
    last.withTier === c.withTier
  ) {
    return last.pricing;
  }
  return writePrice(slot, era, category, tier, zone);
}

/** Writes the price of {@link pricingOf} and remembers it in the slot. */
function writePrice(
  slot: Slot,
  era: PricingEra,
  category: PricingCategory,
  tier: ServiceTierInfo | undefined,
  zone: string,
): PricingInfo {
  const c = slot.c;
  const note = typeof c.note === "string" ? c.note : noteOf(c.note, era, category, tier, zone);
  const pricing: PricingInfo = Object.freeze(
    c.withTier === true && tier !== undefined
      ? { charge: c.charge, category, type: c.type, era: era.id, note, tier }
      : { charge: c.charge, category, type: c.type, era: era.id, note },
  );
  slot.last = {
    category,
    tier,
    zone,
    era: era.id,
    from: era.from,
    limit: era.serviceTier,
    charge: c.charge,
    type: c.type,
    note: c.note,
    withTier: c.withTier,
    pricing,
  };
  return pricing;
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
