/**
 * Time labels of the timeline pictures in a display time zone (OPEN-6: UTC unless told), and
 * axis ticks aligned to that zone's wall clock. Pure; no clock.
 *
 * @module
 * @internal
 */
import { tzOffset } from "@date-fns/tz/tzOffset";
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import { isValidTimeZone } from "../policy/time.js";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** A display time zone, validated once. */
export interface Zone {
  readonly name: string;
  /** Offset of local wall time from UTC at `at`, in ms. */
  offset(at: Instant): number;
}

/** Validates `timeZone` (IANA name or `UTC`); throws an {@link InvalidInputError} naming the field. */
export function zoneOf(timeZone: string | undefined, field = "options.timeZone"): Zone {
  const name = timeZone ?? "UTC";
  if (name === "UTC") return { name, offset: () => 0 };
  if (!isValidTimeZone(name)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} "${name}" is not an IANA time zone`,
      field,
    );
  }
  return { name, offset: (at) => tzOffset(name, new Date(at)) * 60_000 };
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** Wall-clock fields of `at` in `zone`. */
function wall(at: Instant, zone: Zone) {
  const d = new Date(at + zone.offset(at));
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth(),
    d: d.getUTCDate(),
    wd: d.getUTCDay(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
  };
}

/** `2026-11-27 09:12` (wall time in `zone`). */
export function stamp(at: Instant, zone: Zone): string {
  const w = wall(at, zone);
  return `${w.y}-${pad(w.mo + 1)}-${pad(w.d)} ${pad(w.h)}:${pad(w.mi)}`;
}

/** `09:12`. */
export function clock(at: Instant, zone: Zone): string {
  const w = wall(at, zone);
  return `${pad(w.h)}:${pad(w.mi)}`;
}

/** One day in ms: ticks at least this far apart get date labels only. */
export const DAY_STEP = DAY;

/** `Thu 26 Nov`. */
export function day(at: Instant, zone: Zone): string {
  const w = wall(at, zone);
  return `${WEEKDAYS[w.wd]} ${w.d} ${MONTHS[w.mo]}`;
}

/** `27 Nov 09:12`: short enough for band labels. */
export function short(at: Instant, zone: Zone): string {
  const w = wall(at, zone);
  return `${w.d} ${MONTHS[w.mo]} ${pad(w.h)}:${pad(w.mi)}`;
}

/** Local calendar day key of `at` (for "the date changed" checks). */
export function dayKey(at: Instant, zone: Zone): number {
  return Math.floor((at + zone.offset(at)) / DAY);
}

const STEPS = [
  15 * 60_000,
  30 * 60_000,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  2 * DAY,
  7 * DAY,
  14 * DAY,
  30 * DAY,
];

/**
 * Axis ticks between `from` and `to`, at most `maxTicks`, on round wall-clock times of `zone`.
 */
export function ticks(
  from: Instant,
  to: Instant,
  maxTicks: number,
  zone: Zone,
): { readonly at: Instant[]; readonly step: number } {
  const span = to - from;
  const step = STEPS.find((s) => span / s <= Math.max(1, maxTicks)) ?? STEPS[STEPS.length - 1]!;
  const out: Instant[] = [];
  // Align on local wall time: first multiple of `step` at or after `from` (local epoch).
  let local = Math.ceil((from + zone.offset(from)) / step) * step;
  for (let guard = 0; guard < 1000; guard++) {
    const at = local - zone.offset(local - zone.offset(local));
    if (at > to) break;
    if (at >= from && out[out.length - 1] !== at) out.push(at);
    local += step;
  }
  return { at: out, step };
}
