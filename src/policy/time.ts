/**
 * Calendar helpers in the account's time zone (OPEN-6). Only era boundaries and monthly resets
 * use calendars; windows are absolute milliseconds (CSW-2).
 *
 * @module
 */
import { tzOffset } from "@date-fns/tz/tzOffset";

const cache = new Map<string, number>();

/**
 * The instant of 00:00 on `day` (`YYYY-MM-DD`) in `timeZone` (IANA name or `UTC`), memoised.
 * Returns `NaN` for an unknown time zone.
 *
 * @example
 * ```ts
 * startOfDayIn("2025-07-01", "America/Sao_Paulo"); //=> Date.parse("2025-07-01T03:00:00Z")
 * ```
 */
export function startOfDayIn(day: string, timeZone: string): number {
  const key = `${timeZone}|${day}`;
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Local midnight = UTC midnight − offset; the offset is re-read at the candidate instant so a
  // DST change between the two is accounted for.
  const first = utcMidnight - tzOffset(timeZone, new Date(utcMidnight)) * 60_000;
  const value = utcMidnight - tzOffset(timeZone, new Date(first)) * 60_000;
  cache.set(key, value);
  return value;
}

/**
 * The calendar month (`YYYY-MM`) that `at` falls in, in `timeZone` (PRICE-5 monthly reset).
 *
 * @example
 * ```ts
 * monthIn(Date.parse("2026-11-01T01:00:00Z"), "America/Sao_Paulo"); //=> "2026-10"
 * ```
 */
export function monthIn(at: number, timeZone: string): string {
  const local = new Date(at + tzOffset(timeZone, new Date(at)) * 60_000);
  const m = local.getUTCMonth() + 1;
  return `${local.getUTCFullYear()}-${m < 10 ? "0" : ""}${m}`;
}

/**
 * Whether `timeZone` is a name the runtime's Intl data knows.
 *
 * @example
 * ```ts
 * isValidTimeZone("Europe/Berlin"); //=> true
 * isValidTimeZone("Mars/Olympus"); //=> false
 * ```
 */
export function isValidTimeZone(timeZone: string): boolean {
  let valid = validity.get(timeZone);
  if (valid === undefined) {
    valid = Number.isFinite(tzOffset(timeZone, new Date(0)));
    validity.set(timeZone, valid);
  }
  return valid;
}

const validity = new Map<string, boolean>([["UTC", true]]);
