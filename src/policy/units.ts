/**
 * The one module of time constants (issue 13). Durations are plain epoch-millisecond arithmetic
 * (CSW-2: `T ≤ now < T + DAY_MS`). Each is typed as date-fns's own constant (`typeof
 * millisecondsInDay`, a literal type), so the compiler rejects a value that differs from
 * date-fns's, and no date-fns code ships for them (docs/benchmarks.md, issue 13).
 *
 * @module
 */
import type {
  millisecondsInDay,
  millisecondsInHour,
  millisecondsInMinute,
  millisecondsInSecond,
} from "date-fns/constants";

/**
 * One second in ms.
 *
 * @example
 * ```ts
 * SECOND_MS; //=> 1000
 * ```
 */
export const SECOND_MS: typeof millisecondsInSecond = 1000;

/**
 * One minute in ms.
 *
 * @example
 * ```ts
 * MINUTE_MS; //=> 60000
 * ```
 */
export const MINUTE_MS: typeof millisecondsInMinute = 60_000;

/**
 * One hour in ms.
 *
 * @example
 * ```ts
 * HOUR_MS; //=> 3600000
 * ```
 */
export const HOUR_MS: typeof millisecondsInHour = 3_600_000;

/**
 * One day of absolute time in ms: the length of the customer service window (CSW-2). A calendar
 * day in a time zone can be 23 or 25 hours; calendar days go through date-fns (policy/time.ts).
 *
 * @example
 * ```ts
 * DAY_MS; //=> 86400000
 * ```
 */
export const DAY_MS: typeof millisecondsInDay = 86_400_000;
