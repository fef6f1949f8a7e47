/**
 * Option checks shared by the storage adapters (DynamoDB, Redis): each adapter names its own
 * default, the rule for a key prefix is one.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { describe } from "../domain/event-values.js";

/** The longest key prefix an adapter accepts (keys stay far below every engine's key limit). */
const PREFIX_MAX = 256;

/**
 * `options.keyPrefix`, or `fallback` when it is absent; a typed error naming the field otherwise.
 *
 * @example
 * ```ts
 * keyPrefixOf(undefined, "care-window:"); //=> "care-window:"
 * keyPrefixOf("app:cw:", "care-window:"); //=> "app:cw:"
 * ```
 */
export function keyPrefixOf(value: unknown, fallback: string): string {
  const prefix = value ?? fallback;
  if (typeof prefix !== "string" || prefix.length > PREFIX_MAX) {
    throw new InvalidInputError(
      "invalid-argument",
      `options.keyPrefix must be a string of at most ${PREFIX_MAX} characters`,
      "options.keyPrefix",
    );
  }
  return prefix;
}

/**
 * A calendar month as the port passes it: `YYYY-MM` (PRICE-5, OPEN-6), the year as `monthIn`
 * writes it (four digits in every real case; more, or a sign, at the calendar's far ends).
 */
const MONTH = /^-?\d{1,6}-(?:0[1-9]|1[0-2])$/;

/**
 * Checks a month argument of the storage port (`YYYY-MM`): adapters compare months as strings
 * to keep each delivery in its EARLIEST month (OPEN-5), so `"2026-9"` would sort after
 * `"2026-10"` and move a count the wrong way. A typed error naming `field` otherwise.
 *
 * @example
 * ```ts
 * assertMonth("2026-11", "month"); // ok
 * assertMonth("2026-9", "month"); // throws InvalidInputError, field "month"
 * ```
 */
export function assertMonth(month: unknown, field: string): asserts month is string {
  if (typeof month !== "string" || !MONTH.test(month)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a calendar month "YYYY-MM", got ${describe(month)}`,
      field,
    );
  }
}
