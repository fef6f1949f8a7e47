/**
 * The one module of time constants (issue 13). Durations are plain epoch-millisecond arithmetic
 * (CSW-2: `T ≤ now < T + DAY_MS`); the values come from date-fns so there is one definition.
 *
 * @module
 */
import {
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
export const SECOND_MS: 1000 = millisecondsInSecond;

/**
 * One minute in ms.
 *
 * @example
 * ```ts
 * MINUTE_MS; //=> 60000
 * ```
 */
export const MINUTE_MS: 60_000 = millisecondsInMinute;

/**
 * One hour in ms.
 *
 * @example
 * ```ts
 * HOUR_MS; //=> 3600000
 * ```
 */
export const HOUR_MS: 3_600_000 = millisecondsInHour;

/**
 * One day of absolute time in ms: the length of the customer service window (CSW-2). A calendar
 * day in a time zone can be 23 or 25 hours; calendar days go through date-fns (policy/time.ts).
 *
 * @example
 * ```ts
 * DAY_MS; //=> 86400000
 * ```
 */
export const DAY_MS: 86_400_000 = millisecondsInDay;
