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
import { zoneOffsetMs } from "../policy/time.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../policy/units.js";

/**
 * One `Date` reused by every formatter call: set to an instant shifted by its zone's offset, its
 * UTC getters read that zone's wall clock (the fields `TZDate` keeps internally), so no date
 * object is built per sentence. Never handed out.
 */
const wall = new Date(0);

/**
 * Sets {@link wall} to the wall clock of `ms` in `timeZone`: the fields `new TZDate(ms,
 * timeZone)`'s getters return, through the offset @date-fns/tz gives there (OPEN-6). `true` when
 * it reads that zone; `false` when it reads UTC (no zone, `UTC`, a zone the runtime does not
 * know, or a wall clock past the calendar's end). An instant no calendar holds leaves it invalid.
 */
function setWall(ms: number, timeZone: string | undefined): boolean {
  // `Date`'s own clipping first: a fractional or out-of-range instant reads as `TZDate` reads it.
  const at = wall.setTime(ms);
  if (timeZone === undefined || timeZone === "UTC" || Number.isNaN(at)) return false;
  if (!Number.isNaN(wall.setTime(at + zoneOffsetMs(at, timeZone)))) return true;
  wall.setTime(at);
  return false;
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
  const zoned = setWall(ms, timeZone);
  const at = wall.getTime();
  // Defence in depth: states and host holds are checked, but prose never throws a RangeError.
  if (Number.isNaN(at)) return "an instant outside the calendar";
  // A day is DAY_MS of epoch time (ECMAScript's Day(t)); its words are read once (below).
  const day = Math.floor(at / DAY_MS);
  const time = at - day * DAY_MS;
  let date = days.get(day);
  if (date === undefined) {
    // Getters, not toISOString(): a year past 9999 (which a Date holds) keeps its shape.
    date = `${wall.getUTCFullYear()}-${two(wall.getUTCMonth() + 1)}-${two(wall.getUTCDate())}`;
    if (days.size >= 4096) days.clear();
    days.set(day, date);
  }
  return `${date} ${two(Math.floor(time / HOUR_MS))}:${two(Math.floor((time % HOUR_MS) / MINUTE_MS))} ${zoned ? `(${timeZone})` : "UTC"}`;
}

/** `YYYY-MM-DD` per day number (epoch ms / `DAY_MS`), bounded: dropped whole when full. */
const days = new Map<number, string>();

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
  setWall(ms, timeZone);
  // Never "NaN ? NaN:NaN": an instant no calendar holds is said so.
  if (Number.isNaN(wall.getTime())) return "an instant outside the calendar";
  return `${wall.getUTCDate()} ${monthName(wall.getUTCMonth())} ${two(wall.getUTCHours())}:${two(wall.getUTCMinutes())}`;
}
