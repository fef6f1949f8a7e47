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
  let value = utcMidnight - tzOffset(timeZone, new Date(first)) * 60_000;
  if (Number.isFinite(value) && localWall(value, timeZone) !== utcMidnight) {
    // Midnight does not exist (a DST gap starting at 00:00, e.g. São Paulo 2018-11-04): the day
    // starts at the first instant whose wall clock reads `day`, found by bisection.
    let lo = Math.min(first, value) - 86_400_000;
    let hi = Math.max(first, value) + 86_400_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (localWall(mid, timeZone) >= utcMidnight) hi = mid;
      else lo = mid;
    }
    value = hi;
  }
  cache.set(key, value);
  return value;
}

/** The wall-clock reading of `at` in `timeZone`, as if it were UTC epoch ms. */
const localWall = (at: number, timeZone: string): number =>
  at + tzOffset(timeZone, new Date(at)) * 60_000;

/**
 * The calendar month (`YYYY-MM`) that `at` falls in, in `timeZone` (PRICE-5 monthly reset).
 *
 * @example
 * ```ts
 * monthIn(Date.parse("2026-11-01T01:00:00Z"), "America/Sao_Paulo"); //=> "2026-10"
 * ```
 */
export function monthIn(at: number, timeZone: string): string {
  // Hot path of every decision with a service tier: answer from the last month seen in this zone
  // (tzOffset formats through Intl and costs microseconds).
  const hit = months.get(timeZone);
  if (hit !== undefined && at >= hit.from && at < hit.until) return hit.label;
  const local = new Date(localWall(at, timeZone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  const label = `${y}-${m < 10 ? "0" : ""}${m}`;
  if (y >= 1000 && y < 9999) {
    const next = m === 12 ? `${y + 1}-01-01` : `${y}-${m < 9 ? "0" : ""}${m + 1}-01`;
    months.set(timeZone, {
      from: startOfDayIn(`${label}-01`, timeZone),
      until: startOfDayIn(next, timeZone),
      label,
    });
  }
  return label;
}

/** The month last answered per time zone: `[from, until)` and its label. */
const months = new Map<
  string,
  { readonly from: number; readonly until: number; readonly label: string }
>();

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
  if (valid.has(timeZone)) return true;
  const ok = Number.isFinite(tzOffset(timeZone, new Date(0)));
  // Only valid names are remembered, so arbitrary input cannot grow the cache.
  if (ok) valid.add(timeZone);
  return ok;
}

const valid = new Set<string>(["UTC"]);
