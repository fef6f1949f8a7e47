/**
 * The one timestamp conversion of the WhatsApp edge (payloads.md §12.3, CSW-3).
 *
 * @module
 */
import type { Instant } from "../domain/types.js";

/** Largest Unix-seconds value that still makes a valid `Date` (±8.64e15 ms). */
const MAX_SECONDS = 8_640_000_000_000;

/** Digits with an optional fractional part: `"1749416383"`, `"1749416383.5"`. */
const SECONDS_RE = /^\d{1,16}(?:\.\d{1,9})?$/;

/**
 * Converts a Meta timestamp (Unix **seconds**, as a string or a number) to epoch milliseconds.
 *
 * Meta sends strings on messages, statuses and calls and integers on `entry.time`,
 * `user_preferences`, echoes and a few others (payloads.md §12.3); this is the single helper
 * every handler uses. Returns `undefined` for anything that is not a non-negative, finite
 * number of seconds that fits a `Date` (CSW-3: such an event opens nothing and is reported).
 *
 * @example
 * ```ts
 * toInstant("1749416383"); //=> 1749416383000
 * toInstant(1763990000);   //=> 1763990000000
 * toInstant("soon");       //=> undefined
 * ```
 */
export function toInstant(value: unknown): Instant | undefined {
  let seconds: number;
  if (typeof value === "number") {
    seconds = value;
  } else if (typeof value === "string") {
    if (!SECONDS_RE.test(value)) return undefined;
    seconds = Number(value);
  } else {
    return undefined;
  }
  if (!Number.isFinite(seconds) || seconds < 0 || seconds > MAX_SECONDS) return undefined;
  return Math.round(seconds * 1000);
}
