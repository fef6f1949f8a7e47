/**
 * Dates and durations in words, for explanations, alternatives and timeline labels: the one
 * formatter module, so every sentence speaks the same zone (OPEN-6). Window arithmetic never goes
 * through here (CSW-2); the instants in a decision's data stay absolute `Date`s.
 *
 * @module
 */
import { minutesInDay, minutesInHour } from "date-fns/constants";
import { millisecondsToMinutes } from "date-fns/millisecondsToMinutes";
import { millisecondsToSeconds } from "date-fns/millisecondsToSeconds";
import { LATEST_INSTANT } from "../domain/event.js";
import { zoneOffsetMs } from "../policy/time.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../policy/units.js";

/**
 * The wall clock of `ms` in `timeZone` as epoch ms whose UTC fields are that zone's fields: the
 * same fields `new TZDate(ms, timeZone)`'s getters return, through the zone offset
 * @date-fns/tz gives (OPEN-6). UTC when no zone, `UTC` or a zone the runtime does not know is
 * given, or when the zone's wall clock would leave the calendar; `NaN` when no calendar holds the
 * instant. `zoned` says which.
 */
function wallClock(ms: number, timeZone: string | undefined): { at: number; zoned: boolean } {
  // ECMAScript's TimeClip, as `Date` (and so `TZDate`) applies it to an instant.
  if (!(Math.abs(ms) <= LATEST_INSTANT)) return { at: Number.NaN, zoned: false };
  const at = Math.trunc(ms) + 0;
  if (timeZone === undefined || timeZone === "UTC") return { at, zoned: false };
  const wall = at + zoneOffsetMs(at, timeZone);
  return Math.abs(wall) <= LATEST_INSTANT ? { at: wall, zoned: true } : { at, zoned: false };
}

/** `"00"` … `"59"`, the two digits of an hour, a minute or a day of the month. */
const TWO: readonly string[] = Array.from({ length: 60 }, (_, n) => (n < 10 ? `0${n}` : `${n}`));
const two = (n: number): string => TWO[n] ?? `${n}`;

/**
 * `YYYY-MM-DD` per day number (epoch ms / `DAY_MS`), read from `Date`'s UTC calendar once per day
 * and remembered; bounded (any instant may be formatted), dropped whole when full.
 */
const days = new Map<number, string>();
const MAX_DAYS = 4096;
const scratch = new Date(0);

function dayLabel(day: number): string {
  const hit = days.get(day);
  if (hit !== undefined) return hit;
  scratch.setTime(day * DAY_MS);
  // Getters, not toISOString(): a year past 9999 (which a Date holds) keeps its shape.
  const label = `${scratch.getUTCFullYear()}-${two(scratch.getUTCMonth() + 1)}-${two(scratch.getUTCDate())}`;
  if (days.size >= MAX_DAYS) days.clear();
  days.set(day, label);
  return label;
}

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
  const { at, zoned } = wallClock(ms, timeZone);
  // Defence in depth: states and host holds are checked, but prose never throws a RangeError.
  if (Number.isNaN(at)) return "an instant outside the calendar";
  // A day is DAY_MS of epoch time (ECMAScript's Day(t)); the clock is the rest of it.
  const day = Math.floor(at / DAY_MS);
  const time = at - day * DAY_MS;
  const clock = `${two(Math.floor(time / HOUR_MS))}:${two(Math.floor((time % HOUR_MS) / MINUTE_MS))}`;
  return `${dayLabel(day)} ${clock} ${zoned ? `(${timeZone})` : "UTC"}`;
}

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
  const { at } = wallClock(ms, timeZone);
  // Never "NaN ? NaN:NaN": an instant no calendar holds is said so.
  if (Number.isNaN(at)) return "an instant outside the calendar";
  scratch.setTime(at);
  return `${scratch.getUTCDate()} ${monthName(scratch.getUTCMonth())} ${two(scratch.getUTCHours())}:${two(scratch.getUTCMinutes())}`;
}
