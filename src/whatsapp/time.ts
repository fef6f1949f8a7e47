/**
 * The one timestamp conversion of the WhatsApp edge (Meta's webhook reference, CSW-3).
 *
 * @module
 */
import type { Instant } from "../domain/types.js";

/**
 * Upper bound (exclusive) of a plausible Unix-seconds value: 1e11 s is 5138-11-16. Anything at
 * or above it has 12+ integer digits and is a millisecond (13 digits today) or microsecond value
 * sent where seconds belong — read as seconds it would land in year 57,868 and keep a window
 * "open" for ever — so it is rejected (CSW-3).
 */
const MAX_SECONDS = 100_000_000_000;

/** At most 11 integer digits with an optional fraction: `"1749416383"`, `"1749416383.5"`. */
const SECONDS_RE = /^\d{1,11}(?:\.\d{1,9})?$/;

/**
 * Converts a Meta timestamp (Unix **seconds**, as a string or a number) to epoch milliseconds.
 *
 * Meta sends strings on messages, statuses and calls and integers on `entry.time`,
 * `user_preferences`, echoes and a few others (Meta's webhook reference); this is the single helper
 * every handler uses. Returns `undefined` for anything that is not a non-negative, finite
 * number of seconds below 1e11 (year 5138): a millisecond value such as
 * `"1763990000000"` is rejected rather than read as year 57,868 (CSW-3: such an event opens
 * nothing and is reported as `invalid-timestamp`).
 *
 * @example
 * ```ts
 * toInstant("1749416383"); //=> 1749416383000
 * toInstant(1763990000);   //=> 1763990000000
 * toInstant("soon");       //=> undefined
 * toInstant("1763990000000"); //=> undefined (milliseconds, not seconds)
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
  if (!Number.isFinite(seconds) || seconds < 0 || seconds >= MAX_SECONDS) return undefined;
  return Math.round(seconds * 1000);
}
