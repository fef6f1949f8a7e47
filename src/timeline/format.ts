/**
 * Time labels of the timeline pictures in a display time zone (OPEN-6: UTC unless told), and
 * axis ticks on that zone's wall clock, by date-fns and @date-fns/tz. Pure; no clock.
 *
 * @module
 * @internal
 */
import { TZDate } from "@date-fns/tz";
import type { NearestMinutes } from "date-fns";
import { eachDayOfInterval } from "date-fns/eachDayOfInterval";
import { eachHourOfInterval } from "date-fns/eachHourOfInterval";
import { eachMinuteOfInterval } from "date-fns/eachMinuteOfInterval";
import { eachMonthOfInterval } from "date-fns/eachMonthOfInterval";
import { eachWeekOfInterval } from "date-fns/eachWeekOfInterval";
import { format } from "date-fns/format";
import { roundToNearestMinutes } from "date-fns/roundToNearestMinutes";
import { startOfDay } from "date-fns/startOfDay";
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import { isValidTimeZone } from "../policy/time.js";
import { DAY_MS, HOUR_MS, MINUTE_MS } from "../policy/units.js";

/** A display time zone, validated once. */
export interface Zone {
  /** IANA name or `UTC`. */
  readonly name: string;
}

/** Validates `timeZone` (IANA name or `UTC`); throws an {@link InvalidInputError} naming the field. */
export function zoneOf(timeZone: string | undefined, field = "options.timeZone"): Zone {
  const name = timeZone ?? "UTC";
  if (!isValidTimeZone(name)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} "${name}" is not an IANA time zone`,
      field,
    );
  }
  return { name };
}

/** `at` as a date in `zone`: its getters read the zone's wall clock. */
const local = (at: Instant, zone: Zone): TZDate => new TZDate(at, zone.name);

/** `2026-11-27 09:12` (wall time in `zone`). */
export function stamp(at: Instant, zone: Zone): string {
  return written(at, zone, "yyyy-MM-dd HH:mm");
}

/** `09:12`. */
export function clock(at: Instant, zone: Zone): string {
  return written(at, zone, "HH:mm");
}

/**
 * `at` in `zone` by date-fns's `format`; an instant a state may hold (within ±8.64e15 ms) whose
 * wall clock in the zone leaves the calendar is said so instead of a `RangeError`.
 */
function written(at: Instant, zone: Zone, pattern: string): string {
  const d = local(at, zone);
  return Number.isFinite(d.getTime()) ? format(d, pattern) : "outside the calendar";
}

/** One day in ms: ticks at least this far apart get date labels only. */
export const DAY_STEP = DAY_MS;

/** `Thu 26 Nov`. */
export function day(at: Instant, zone: Zone): string {
  return written(at, zone, "EEE d MMM");
}

/** The local calendar day of `at` (its start instant), for "the date changed" checks. */
export function dayKey(at: Instant, zone: Zone): number {
  return startOfDay(local(at, zone)).getTime();
}

/** Nominal tick spacings; the ticks themselves are wall-clock times of the zone. */
const STEPS = [
  15 * MINUTE_MS,
  30 * MINUTE_MS,
  HOUR_MS,
  2 * HOUR_MS,
  3 * HOUR_MS,
  6 * HOUR_MS,
  12 * HOUR_MS,
  DAY_MS,
  2 * DAY_MS,
  7 * DAY_MS,
  14 * DAY_MS,
  30 * DAY_MS,
] as const;

/** Round wall-clock times of the zone from `start` to `end`, `step` apart. */
function wallTicks(start: TZDate, end: TZDate, step: number): readonly Date[] {
  if (step < HOUR_MS) {
    const minutes = (step / MINUTE_MS) as NearestMinutes; // 15 or 30
    const first = roundToNearestMinutes(start, { nearestTo: minutes, roundingMethod: "ceil" });
    return first > end ? [] : eachMinuteOfInterval({ start: first, end }, { step: minutes });
  }
  if (step < DAY_MS) {
    // Every local hour, kept when it is a multiple of the step: after a DST change the ticks
    // stay on 00:00, 03:00 … (a nonexistent hour simply has no tick).
    const hours = step / HOUR_MS;
    return eachHourOfInterval({ start, end }).filter((d) => d.getHours() % hours === 0);
  }
  // Local midnights: every day or every other day, Mondays, every other Monday, 1st of the month.
  if (step === 7 * DAY_MS || step === 14 * DAY_MS) {
    return eachWeekOfInterval({ start, end }, { weekStartsOn: 1, step: step / (7 * DAY_MS) });
  }
  if (step === 30 * DAY_MS) return eachMonthOfInterval({ start, end });
  return eachDayOfInterval({ start, end }, { step: step / DAY_MS });
}

/**
 * Axis ticks between `from` and `to`, about `maxTicks` at most, on round wall-clock times of
 * `zone` (quarter hours, hours, local midnights, Mondays or the 1st of a month).
 */
export function ticks(
  from: Instant,
  to: Instant,
  maxTicks: number,
  zone: Zone,
): { readonly at: Instant[]; readonly step: number } {
  const span = to - from;
  const step: number = STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? 30 * DAY_MS;
  const out: Instant[] = [];
  if (!(span >= 0)) return { at: out, step };
  // At most 1000 ticks, whatever the span.
  const end = Math.min(to, from + 1000 * step);
  for (const date of wallTicks(local(from, zone), local(end, zone), step)) {
    const at = date.getTime();
    if (at >= from && at <= to && out[out.length - 1] !== at) out.push(at);
    if (out.length >= 1000) break;
  }
  return { at: out, step };
}
