/**
 * Dates and durations in words, for explanations, alternatives and timeline labels: the one
 * formatter module, so every sentence speaks the same zone (OPEN-6). Window arithmetic never goes
 * through here (CSW-2); the instants in a decision's data stay absolute `Date`s.
 *
 * @module
 */
import { TZDateMini } from "@date-fns/tz/date/mini";
import { minutesInDay, minutesInHour } from "date-fns/constants";
import { millisecondsToMinutes } from "date-fns/millisecondsToMinutes";
import { millisecondsToSeconds } from "date-fns/millisecondsToSeconds";

/**
 * An instant in words: the wall time in `timeZone` with the zone named, when one is given
 * (OPEN-6), in UTC otherwise. A zone the runtime does not know falls back to UTC (zones are
 * validated where the host passes them).
 *
 * @example
 * ```ts
 * formatInstant(Date.parse("2026-11-21T10:00:00Z")); //=> "2026-11-21 10:00 UTC"
 * formatInstant(Date.parse("2026-11-21T10:00:00Z"), "America/Sao_Paulo");
 * //=> "2026-11-21 07:00 (America/Sao_Paulo)"
 * ```
 */
export function formatInstant(ms: number, timeZone?: string): string {
  if (timeZone !== undefined && timeZone !== "UTC") {
    // TZDate's getters read the wall clock of the zone (DST included).
    const local = new TZDateMini(ms, timeZone);
    const y = local.getFullYear();
    if (Number.isFinite(y)) {
      return `${y}-${two(local.getMonth() + 1)}-${two(local.getDate())} ${two(local.getHours())}:${two(local.getMinutes())} (${timeZone})`;
    }
  }
  const date = new Date(ms);
  // Defence in depth: states and host holds are checked, but prose never throws a RangeError.
  if (!Number.isFinite(date.getTime())) return "an instant outside the calendar";
  // Getters, not toISOString(): a year past 9999 (which a Date holds) keeps its shape.
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())} UTC`;
}

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * A duration in words: `5 h 12 min`, `40 s`, `2 d 3 h`. Durations are absolute time (a window
 * lasts 24 h even across a DST change), so whole units are counted with date-fns's conversions.
 *
 * @example
 * ```ts
 * formatDuration(5 * 3_600_000 + 12 * 60_000); //=> "5 h 12 min"
 * ```
 */
export function formatDuration(ms: number): string {
  const minutes = millisecondsToMinutes(ms);
  if (minutes < 1) {
    // "0 s" would read as "closed" while a window still has a few hundred ms left.
    if (ms > 0 && ms < 1000) return "under 1 s";
    return `${Math.max(0, millisecondsToSeconds(ms))} s`;
  }
  const days = Math.floor(minutes / minutesInDay);
  const hours = Math.floor((minutes % minutesInDay) / minutesInHour);
  const mins = minutes % minutesInHour;
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${mins} min` : `${mins} min`;
}

/**
 * English month abbreviations, read once from the runtime's `Intl` data (no month table written
 * here, issue 13): `Jan` … `Dec`, as date-fns's `MMM` writes them.
 */
let months: readonly string[] | undefined;
function monthName(index: number): string {
  if (months === undefined) {
    const f = new Intl.DateTimeFormat("en-US", { month: "short", timeZone: "UTC" });
    months = Array.from({ length: 12 }, (_, m) => f.format(Date.UTC(2001, m, 1)));
  }
  return months[index] ?? "?";
}

/**
 * An instant in a few words, short enough for a timeline band: `27 Nov 09:12`, the wall time in
 * `timeZone` (UTC when none is given; the picture names its zone once, OPEN-6). A zone the
 * runtime does not know falls back to UTC, like {@link formatInstant}.
 *
 * @example
 * ```ts
 * formatInstantShort(Date.parse("2026-11-27T12:12:00Z"), "America/Sao_Paulo"); //=> "27 Nov 09:12"
 * ```
 */
export function formatInstantShort(ms: number, timeZone?: string): string {
  let d: Date = new TZDateMini(ms, timeZone ?? "UTC");
  if (!Number.isFinite(d.getFullYear())) d = new TZDateMini(ms, "UTC");
  // Never "NaN ? NaN:NaN": an instant no calendar holds is said so.
  if (!Number.isFinite(d.getFullYear())) return "an instant outside the calendar";
  return `${d.getDate()} ${monthName(d.getMonth())} ${two(d.getHours())}:${two(d.getMinutes())}`;
}
