/**
 * Calendar questions in the account's time zone (OPEN-6), answered by date-fns and @date-fns/tz:
 * era boundaries (PRICE-1, PRICE-2), the monthly service-tier reset (PRICE-5) and every policy
 * day string (`"2026-10-01"`) that becomes an instant. Windows are absolute milliseconds (CSW-2)
 * and never come through here.
 *
 * @module
 */
import { TZDate } from "@date-fns/tz";
import { tzOffset } from "@date-fns/tz/tzOffset";
import { addMonths } from "date-fns/addMonths";
import { startOfMonth } from "date-fns/startOfMonth";

/** `YYYY-MM-DD`, the only shape of a policy day. */
const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Memoised day starts; bounded, because `startOfDayIn` is public and takes any string. */
const dayStarts = new Map<string, number>();
const MAX_DAY_STARTS = 4096;

/**
 * The instant of 00:00 on `day` (`YYYY-MM-DD`) in `timeZone` (IANA name or `UTC`), memoised: the
 * one place where a policy day string becomes an instant (Meta's dates start at 00:00 in the
 * business account's time zone, OPEN-6). When midnight does not exist (a DST gap at 00:00, e.g.
 * São Paulo 2018-11-04) the day starts at the first instant that does. Returns `NaN` for an
 * unknown time zone or a string that is not `YYYY-MM-DD`.
 *
 * @example
 * ```ts
 * startOfDayIn("2025-07-01", "America/Sao_Paulo"); //=> Date.parse("2025-07-01T03:00:00Z")
 * startOfDayIn("2026-10-01", "UTC"); //=> Date.parse("2026-10-01T00:00:00Z")
 * ```
 */
export function startOfDayIn(day: string, timeZone: string): number {
  const key = `${timeZone}|${day}`;
  const hit = dayStarts.get(key);
  if (hit !== undefined) return hit;
  const parts = DAY_SHAPE.exec(day);
  if (parts === null) return Number.NaN;
  // TZDate builds the wall-clock date in the zone and moves a nonexistent 00:00 forward.
  const value = new TZDate(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]), timeZone)
    .getTime();
  if (Number.isFinite(value)) {
    if (dayStarts.size >= MAX_DAY_STARTS) dayStarts.clear();
    dayStarts.set(key, value);
  }
  return value;
}

/**
 * The calendar month (`YYYY-MM`) that `at` falls in, in `timeZone` (PRICE-5 monthly reset).
 * Returns `"NaN-NaN"` for an unknown time zone (callers validate zones first).
 *
 * @example
 * ```ts
 * monthIn(Date.parse("2026-11-01T01:00:00Z"), "America/Sao_Paulo"); //=> "2026-10"
 * ```
 */
export function monthIn(at: number, timeZone: string): string {
  // Hot path of every decision with a service tier: two number comparisons against the month
  // last answered in this zone. Only a miss builds dates.
  const hit = months.get(timeZone);
  if (hit !== undefined && at >= hit.from && at < hit.until) return hit.label;
  return monthOf(at, timeZone);
}

/** The month of `at` in `timeZone` by date-fns, remembered as `[from, until)` for the zone. */
function monthOf(at: number, timeZone: string): string {
  const local = new TZDate(at, timeZone);
  const from = startOfMonth(local);
  const y = from.getFullYear();
  const m = from.getMonth() + 1;
  const label = `${y}-${m < 10 ? "0" : ""}${m}`;
  const start = from.getTime();
  if (Number.isFinite(start)) {
    // One entry per valid zone (an invalid zone gives NaN and is never stored).
    months.set(timeZone, { from: start, until: addMonths(from, 1).getTime(), label });
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
