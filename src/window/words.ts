/**
 * Dates and durations in words, for explanations, alternatives and timeline labels: the one
 * formatter module, so every sentence speaks the same zone (OPEN-6). Window arithmetic never goes
 * through here (CSW-2); the instants in a decision's data stay absolute `Date`s.
 *
 * @module
 */
import { TZDateMini } from "@date-fns/tz/date/mini";
import { LATEST_INSTANT } from "../domain/event.js";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../policy/units.js";

/**
 * A wall clock: the day in words, the day of the month, the month, the hour and the minute, and
 * the zone it is read in (`undefined`: UTC).
 */
export interface Wall {
  readonly day: string;
  readonly date: number;
  readonly month: number;
  readonly hour: number;
  readonly minute: number;
  readonly zone: string | undefined;
}

/** The wall clock a `Date`'s (or a `TZDateMini`'s) local getters read. */
const localWall = (d: Date, zone: string): Wall =>
  wall(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), zone);

const wall = (
  year: number,
  month: number,
  date: number,
  hour: number,
  minute: number,
  zone: string | undefined,
): Wall => ({ day: `${year}-${two(month + 1)}-${two(date)}`, date, month, hour, minute, zone });

/**
 * The last wall clocks date-fns's `TZDateMini` read at the start of a minute of UTC, one slot per
 * minute number modulo 64 (direct-mapped: no map to grow, nothing long-lived for the collector).
 * Every instant of a minute reads the same fields, so a sentence that names the same minute
 * again (a decision names its instants in the explanation, the alternatives and the notes; a
 * campaign decides at one `now`) reuses `TZDateMini`'s answer instead of asking `Intl` again.
 * A minute is kept only when the zone's offset has no seconds there (local mean time had some:
 * a minute of UTC then spans two local minutes).
 */
const SLOTS = 64;
const slotMinute = new Float64Array(SLOTS);
const slotWall: (Wall | undefined)[] = new Array<Wall | undefined>(SLOTS).fill(undefined);

/** `TZDateMini`'s wall clock for minute `m` of UTC in `zone`, or `undefined` when not kept. */
function minuteOf(m: number, zone: string): Wall | undefined {
  const i = m & (SLOTS - 1);
  const hit = slotWall[i];
  if (hit !== undefined && hit.zone === zone && slotMinute[i] === m) return hit;
  const local = new TZDateMini(m * MINUTE_MS, zone);
  if (!Number.isFinite(local.getFullYear()) || local.getSeconds() !== 0) return undefined;
  const w = localWall(local, zone);
  slotMinute[i] = m;
  slotWall[i] = w;
  return w;
}

/**
 * The wall clock of `ms` in `timeZone`, read by date-fns (`TZDateMini`, remembered per minute);
 * in UTC when no zone (or `UTC`) is given, the zone is unknown or its wall clock leaves the
 * calendar. `undefined` when no calendar holds `ms`.
 *
 * @internal
 */
export function wallOf(ms: number, timeZone: string | undefined): Wall | undefined {
  // `Date`'s TimeClip, as `TZDateMini` applies it: outside the calendar, or truncated to a ms.
  if (!(Math.abs(ms) <= LATEST_INSTANT)) return undefined;
  const t = Math.trunc(ms);
  if (timeZone !== undefined && timeZone !== "UTC") {
    const kept = minuteOf(Math.floor(t / MINUTE_MS), timeZone);
    if (kept !== undefined) return kept;
    const local = new TZDateMini(t, timeZone);
    if (Number.isFinite(local.getFullYear())) return localWall(local, timeZone);
  }
  const d = new Date(t);
  // Getters, not toISOString(): a year past 9999 (which a Date holds) keeps its shape.
  return wall(
    d.getUTCFullYear(),
    d.getUTCMonth(),
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    undefined,
  );
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
  const w = wallOf(ms, timeZone);
  // Defence in depth: states and host holds are checked, but prose never throws a RangeError.
  if (w === undefined) return OUTSIDE;
  return `${w.day} ${two(w.hour)}:${two(w.minute)} ${w.zone === undefined ? "UTC" : `(${w.zone})`}`;
}

const OUTSIDE = "an instant outside the calendar";

const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);

/**
 * A duration in words: `5 h 12 min`, `40 s`, `2 d 3 h`. Durations are absolute time (a window
 * lasts 24 h even across a DST change, CSW-2), so whole units are counted by dividing by the one
 * module of time constants, which the compiler checks against date-fns's. Not date-fns's
 * `millisecondsToMinutes` / `millisecondsToSeconds`: each is this one division, and importing
 * them ships date-fns's constants module, whose computed members no bundler can drop (about
 * 0.12 kB brotli on the decision path). Not its `formatDuration` / `intervalToDuration`
 * either: 3.5 kB brotli for "5 hours 12 minutes" (docs/benchmarks.md, issue 13).
 *
 * @example
 * ```ts
 * formatDuration(5 * 3_600_000 + 12 * 60_000); //=> "5 h 12 min"
 * ```
 */
export function formatDuration(ms: number): string {
  if (ms < MINUTE_MS) {
    // "0 s" would read as "closed" while a window still has a few hundred ms left.
    if (ms > 0 && ms < SECOND_MS) return "under 1 s";
    return `${Math.max(0, Math.trunc(ms / SECOND_MS))} s`;
  }
  const days = Math.floor(ms / DAY_MS);
  const hours = Math.floor((ms % DAY_MS) / HOUR_MS);
  const mins = Math.floor((ms % HOUR_MS) / MINUTE_MS);
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
  const w = wallOf(ms, timeZone);
  // Never "NaN ? NaN:NaN": an instant no calendar holds is said so.
  if (w === undefined) return OUTSIDE;
  return `${w.date} ${monthName(w.month)} ${two(w.hour)}:${two(w.minute)}`;
}
