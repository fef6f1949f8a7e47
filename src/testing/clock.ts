/**
 * A controllable clock for tests: pass `clock.now` as the service's `now` option.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../policy/units.js";

/**
 * A duration for {@link TestClock.advance}: milliseconds, or calendar-free parts that are summed
 * as absolute milliseconds (a day is always 24 h, CSW-2).
 *
 * @example
 * ```ts
 * const d: ClockStep = { hours: 23, minutes: 59, seconds: 59, milliseconds: 999 };
 * ```
 */
export type ClockStep =
  | number
  | {
      readonly days?: number;
      readonly hours?: number;
      readonly minutes?: number;
      readonly seconds?: number;
      readonly milliseconds?: number;
    };

/**
 * A clock whose time only moves when you say so.
 *
 * @example
 * ```ts
 * const clock: TestClock = createClock("2026-11-26T09:00:00Z");
 * ```
 */
export interface TestClock {
  /** The current instant, as a new `Date` each call (safe to mutate). */
  now(): Date;
  /** Jumps to an instant. */
  set(to: Date | number | string): void;
  /** Moves forward (or backward, with a negative step); returns the new instant. */
  advance(step: ClockStep): Date;
  /** The current instant in epoch ms. */
  readonly ms: number;
}

function toMs(value: Date | number | string, field: string): number {
  const ms =
    value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a valid Date, epoch-ms number or ISO string`,
      field,
    );
  }
  return ms;
}

function stepMs(step: ClockStep): number {
  if (typeof step === "number") return toMs(step, "step");
  const { days = 0, hours = 0, minutes = 0, seconds = 0, milliseconds = 0 } = step;
  return toMs(
    days * DAY_MS + hours * HOUR_MS + minutes * MINUTE_MS + seconds * SECOND_MS + milliseconds,
    "step",
  );
}

/**
 * Creates a test clock starting at `start`. Its `now` is a plain function (no `this`), so it can
 * be passed around directly.
 *
 * @example
 * ```ts
 * import { createClock } from "care-window/testing";
 *
 * const clock = createClock("2026-11-26T09:00:00Z");
 * const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
 * clock.advance({ hours: 24 }); // exactly T+24h: the window is closed (CSW-2)
 * ```
 */
export function createClock(start: Date | number | string): TestClock {
  let current = toMs(start, "start");
  return {
    now: () => new Date(current),
    set(to) {
      current = toMs(to, "to");
    },
    advance(step) {
      current += stepMs(step);
      return new Date(current);
    },
    get ms() {
      return current;
    },
  };
}
