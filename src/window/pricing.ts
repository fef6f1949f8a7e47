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

/** Slot of each fact value in the memo key (a record, not an `indexOf` scan per price). */
const KIND_SLOT: { readonly [K in ChargeKind]: number } = {
  service: 0,
  reaction: 1,
  "direct-send": 2,
  unknown: 3,
  marketing: 4,
  utility: 5,
  authentication: 6,
};
const KINDS = 7;
const TIER_SLOT: { readonly [T in ChargeTier]: number } = {
  none: 0,
  unknown: 1,
  within: 2,
  beyond: 3,
  exempt: 4,
};

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

/** Per era, the matched case of each of the 280 fact combinations, filled on first use. */
const memo = new WeakMap<PricingEra, (ChargeCase | null | undefined)[]>();

/**
 * The first case of `era.charges` that matches (PRICE-4 … PRICE-23, as data), memoised per era
 * and fact combination; the facts come one by one (no facts object built per price).
 */
function caseOf(
  era: PricingEra,
  kind: ChargeKind,
  windowOpen: boolean,
  fep: boolean,
  directSendFreeInFep: boolean,
  tier: ChargeTier,
): ChargeCase | undefined {
  const key =
    ((KIND_SLOT[kind] * 2 + (windowOpen ? 1 : 0)) * 2 + (fep ? 1 : 0)) * 2 +
    (directSendFreeInFep ? 1 : 0) +
    8 * KINDS * TIER_SLOT[tier];
  let slots = memo.get(era);
  if (slots === undefined) {
    slots = [];
    memo.set(era, slots);
  }
  const hit = slots[key];
  if (hit !== undefined) return hit ?? undefined;
  const found = matchCase(era, {
    kind,
    window: windowOpen ? "open" : "closed",
    fep,
    directSendFreeInFep,
    tier,
  });
  slots[key] = found ?? null;
  return found;
}

function kindOf(message: PricedMessage): ChargeKind {
  if (message.directSend) return "direct-send";
  if (message.category === "service") return message.reaction ? "reaction" : "service";
  return message.category;
}

function tierOf(era: PricingEra, kind: ChargeKind, context: PricingContext): ChargeTier {
  if (era.serviceTier === null || kind !== "service") return "none";
  const tier = context.tier;
  if (tier === undefined) return "unknown";
  if (tier.used < tier.limit) return "within";
  const until =
    context.governmentExemptUntil ?? startOfDayIn(POLICY_DATES.governmentExemptUntil, "UTC");
  return context.governmentExempt === true && context.at < until ? "exempt" : "beyond";
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

/** The last note written per case and the values it was written from. */
interface WrittenNote {
  readonly used: number;
  readonly limit: number;
  readonly month: string;
  readonly category: string;
  readonly zone: string;
  readonly era: PricingEra;
  readonly text: string;
}
const written = new WeakMap<ChargeCase, WrittenNote>();

/**
 * A case's note for these values. Notes are pure functions of their values, so the last one per
 * case is reused while the values stay the same (a campaign prices thousands of messages with
 * one month's count): no number-to-text work per decision.
 */
function noteOf(
  c: ChargeCase,
  write: (vars: ChargeNoteVars) => string,
  era: PricingEra,
  category: string,
  context: PricingContext,
): string {
  const tier = context.tier;
  const used = tier?.used ?? 0;
  const limit = tier?.limit ?? era.serviceTier ?? 0;
  const month = tier?.month ?? "";
  const zone = context.timeZone ?? "UTC";
  const last = written.get(c);
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
  written.set(c, { used, limit, month, category, zone, era, text });
  return text;
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
  const kind = kindOf(message);
  const tierCase = tierOf(era, kind, context);
  const c =
    caseOf(
      era,
      kind,
      context.windowOpen,
      context.fepOpen,
      context.directSendFreeInFep === true,
      tierCase,
    ) ?? NO_CASE;
  const tier = context.tier;
  const note =
    typeof c.note === "string" ? c.note : noteOf(c, c.note, era, message.category, context);
  const pricing: PricingInfo =
    c.withTier === true && tier !== undefined
      ? { charge: c.charge, category: message.category, type: c.type, era: era.id, note, tier }
      : { charge: c.charge, category: message.category, type: c.type, era: era.id, note };
  return { pricing, rules: c.rules };
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
