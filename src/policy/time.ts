/**
 * Calendar questions in the account's time zone (OPEN-6), answered by date-fns and @date-fns/tz:
 * era boundaries (PRICE-1, PRICE-2), the monthly service-tier reset (PRICE-5) and every policy
 * day string (`"2026-10-01"`) that becomes an instant. Windows are absolute milliseconds (CSW-2)
 * and never come through here.
 *
 * @module
 */
import { TZDateMini } from "@date-fns/tz/date/mini";
import { tzOffset } from "@date-fns/tz/tzOffset";
import { DAY_MS, MINUTE_MS } from "./units.js";

/** `YYYY-MM-DD`, the only shape of a policy day. */
const DAY_SHAPE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Memoised day starts per zone, then per day (two lookups, no key string built on the hot path);
 * bounded, because `startOfDayIn` is public and takes any string.
 */
const dayStarts = new Map<string, Map<string, number>>();
const MAX_DAY_STARTS = 4096;
let dayStartCount = 0;

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
  const zone = dayStarts.get(timeZone);
  const hit = zone?.get(day);
  if (hit !== undefined) return hit;
  const parts = DAY_SHAPE.exec(day);
  if (parts === null) return Number.NaN;
  const value = dayStart(Number(parts[1]), Number(parts[2]) - 1, Number(parts[3]), timeZone);
  if (Number.isFinite(value)) {
    if (dayStartCount >= MAX_DAY_STARTS) {
      dayStarts.clear();
      dayStartCount = 0;
    }
    let days = dayStarts.get(timeZone);
    if (days === undefined) {
      days = new Map();
      dayStarts.set(timeZone, days);
    }
    days.set(day, value);
    dayStartCount++;
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
  const last = lastMonth;
  if (timeZone === last.zone && at >= last.from && at < last.until) return last.label;
  const hit = months.get(timeZone);
  if (hit !== undefined && at >= hit.from && at < hit.until) {
    lastMonth = hit;
    return hit.label;
  }
  return monthOf(at, timeZone);
}

/**
 * The month holding `at` in `timeZone` as {@link monthIn} remembers it: `[from, until)` and its
 * label, or `undefined` for an unknown time zone. A caller that keeps it can tell whether a
 * later instant is in the same month with two comparisons.
 *
 * @example
 * ```ts
 * monthSpan(Date.parse("2026-11-01T01:00:00Z"), "America/Sao_Paulo")?.label; //=> "2026-10"
 * ```
 */
export function monthSpan(at: number, timeZone: string): ZoneMonth | undefined {
  monthIn(at, timeZone);
  const last = lastMonth;
  return timeZone === last.zone && at >= last.from && at < last.until ? last : undefined;
}

/**
 * The month of `at` in `timeZone` by date-fns, remembered as `[from, until)` for the zone. Its
 * first day and the next month's are {@link dayStart}s (local midnights of `TZDateMini`): the
 * same instants as date-fns's `startOfMonth` / `addMonths` on a `TZDate`
 * (test/core/calendar.test.ts), without their 0.5 kB in the decision's bundle
 * (docs/benchmarks.md, issue 13).
 */
function monthOf(at: number, timeZone: string): string {
  const local = new TZDateMini(at, timeZone);
  const y = local.getFullYear();
  const m = local.getMonth() + 1;
  // `YYYY-MM`, the year in four digits from year 0 to 999 too (ISO 8601).
  const label = `${y >= 0 && y < 1000 ? String(y).padStart(4, "0") : y}-${m < 10 ? "0" : ""}${m}`;
  const from = dayStart(y, m - 1, 1, timeZone);
  if (Number.isFinite(from)) {
    // One entry per valid zone (an invalid zone gives NaN and is never stored).
    const until = dayStart(y, m, 1, timeZone);
    lastMonth = { zone: timeZone, from, until, label };
    months.set(timeZone, lastMonth);
  }
  return label;
}

/**
 * The instant 00:00 of day `date` of month `month` (0-based; 12 is January of the next year, as
 * `Date` counts) of `year` in `timeZone`: local midnight by date-fns's `TZDateMini`, set with
 * `setFullYear` and `setHours`, not the constructor, which reads years 0–99 as 1900–1999
 * (`Date`'s legacy rule). When 00:00 does not exist (a DST gap at midnight) the day starts where
 * the gap ends: TZDate moves a missing midnight forward for whole-hour gaps (São Paulo
 * 2018-11-04) but back into the previous day for a shorter one (Kathmandu 1986-01-01, +05:30 →
 * +05:45, found by the 0.1.0 oracle in test/core/calendar.test.ts); then the gap's length, read
 * from the zone's offsets, is added.
 */
function dayStart(year: number, month: number, date: number, timeZone: string): number {
  const local = new TZDateMini(0, timeZone);
  local.setFullYear(year, month, date);
  const at = local.setHours(0, 0, 0, 0);
  if (local.getDate() === date || !Number.isFinite(at)) return at;
  return at + (tzOffset(timeZone, new Date(at + DAY_MS)) - tzOffset(timeZone, local)) * MINUTE_MS;
}

/** A month of a zone: `[from, until)` and its label. */
export interface ZoneMonth {
  readonly zone: string;
  readonly from: number;
  readonly until: number;
  readonly label: string;
}

/** The month last answered per time zone. */
const months = new Map<string, ZoneMonth>();
/** The month answered last (any zone): a campaign asks one zone, so no map lookup per call. */
let lastMonth: ZoneMonth = { zone: "", from: 0, until: 0, label: "" };

/**
 * Whether `timeZone` is a name the runtime's Intl data knows.
 *
 * @example
 * ```ts
 * isValidTimeZone("Europe/Berlin"); //=> true
 * isValidTimeZone("Mars/Olympus"); //=> false
 * isValidTimeZone("Mars123+05"); //=> false (not read as an offset)
 * ```
 */
export function isValidTimeZone(timeZone: string): boolean {
  if (valid.has(timeZone)) return true;
  // A name the runtime's `Intl` data knows. `tzOffset` alone is not the check: when `Intl`
  // refuses a name it reads any `+05` or `-0530` inside it as an offset ("Mars123+05").
  let ok: boolean;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone });
    ok = Number.isFinite(tzOffset(timeZone, new Date(0)));
  } catch {
    ok = false;
  }
  // Only accepted names are remembered, and at most 1,024 of them: `Intl` accepts any case of a
  // name, so input could otherwise grow the set.
  if (ok) {
    if (valid.size >= 1024) valid.clear();
    valid.add(timeZone);
  }
  return ok;
}

const valid = new Set<string>(["UTC"]);
