/**
 * The service-tier figures of a decision (PRICE-5): the host's count for the month, checked, and
 * the last answer handed out again while nothing it was answered for changed.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import type { PricingEra } from "../policy/eras.js";
import { monthIn, monthSpan, type ZoneMonth } from "../policy/time.js";
import type { ServiceTierInfo } from "./decision.js";
import type { DecideOptions } from "./options.js";

/**
 * The service-tier figures of the decision (PRICE-5), validated; `undefined` without a count, in
 * an era without a tier, or with a count for another month.
 */
export function tierInfo(
  given: DecideOptions["serviceTier"],
  at: Instant,
  timeZone: string,
  era: PricingEra,
): ServiceTierInfo | undefined {
  if (given === undefined) return undefined;
  // A campaign decides with one count object and one month: the last answer is handed out again
  // while the object, its values, the era's limit and the month are the same (it passed its
  // check when it was answered).
  const r = lastTier;
  if (
    r !== undefined &&
    given === r.given &&
    Object.is(given.used, r.used) &&
    given.month === r.month &&
    era.serviceTier === r.info.limit &&
    at >= r.span.from &&
    at < r.span.until &&
    timeZone === r.span.zone
  ) {
    return r.info;
  }
  return tierOfCount(given, at, timeZone, era, r);
}

/** {@link tierInfo} when the last answer cannot be handed out again: checked and computed. */
function tierOfCount(
  given: NonNullable<DecideOptions["serviceTier"]>,
  at: Instant,
  timeZone: string,
  era: PricingEra,
  r: typeof lastTier,
): ServiceTierInfo | undefined {
  // Validated in every era: bad input is an error whatever `now` is.
  if (typeof given !== "object" || given === null) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.serviceTier must be an object { used, month? }",
      "options.serviceTier",
    );
  }
  const used = given.used;
  if (!Number.isInteger(used) || used < 0) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.serviceTier.used must be a non-negative integer",
      "options.serviceTier.used",
    );
  }
  const limit = era.serviceTier;
  if (limit === null) return undefined;
  const span = monthSpan(at, timeZone);
  const month = span?.label ?? monthIn(at, timeZone);
  // A count for another month says nothing about this one (PRICE-5 resets monthly).
  const givenMonth = given.month;
  if (givenMonth !== undefined && givenMonth !== month) return undefined;
  const info: ServiceTierInfo =
    r !== undefined &&
    Object.is(r.info.used, used) &&
    r.info.limit === limit &&
    r.info.month === month
      ? r.info
      : Object.freeze({ used, limit, month });
  if (span !== undefined) lastTier = { given, used, month: givenMonth, span, info };
  return info;
}

/**
 * The tier figures answered last (frozen, like every shared part of a verdict) and what they were
 * answered for: the count object, its `used` and `month`, and the month `[from, until)` of the
 * zone.
 */
let lastTier:
  | {
      readonly given: object;
      readonly used: number;
      readonly month: string | undefined;
      readonly span: ZoneMonth;
      readonly info: ServiceTierInfo;
    }
  | undefined;
