import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { createClock } from "../../src/testing.js";

describe("createClock", () => {
  it("starts where told and moves only on set/advance", () => {
    const clock = createClock("2026-11-26T09:00:00Z");
    expect(clock.now().toISOString()).toBe("2026-11-26T09:00:00.000Z");
    expect(clock.now().toISOString()).toBe("2026-11-26T09:00:00.000Z");
    clock.advance({ hours: 23, minutes: 59, seconds: 59, milliseconds: 999 });
    expect(clock.now().toISOString()).toBe("2026-11-27T08:59:59.999Z");
    clock.advance(1);
    expect(clock.ms).toBe(Date.parse("2026-11-27T09:00:00Z"));
    clock.advance({ days: -1 });
    expect(clock.now().toISOString()).toBe("2026-11-26T09:00:00.000Z");
    clock.set(new Date(0));
    expect(clock.ms).toBe(0);
  });

  it("CSW-2: a day is always 24 h, even across a DST change", () => {
    const clock = createClock("2026-03-28T12:00:00Z"); // Europe/Berlin switches on 2026-03-29
    clock.advance({ days: 1 });
    expect(clock.now().toISOString()).toBe("2026-03-29T12:00:00.000Z");
  });

  it("returns a fresh Date each call (mutating it does not move the clock)", () => {
    const clock = createClock(1000);
    clock.now().setTime(5);
    expect(clock.ms).toBe(1000);
  });

  it("rejects invalid instants with a typed error", () => {
    expect(() => createClock("nope")).toThrow(InvalidInputError);
    expect(() => createClock(0).advance(Number.NaN)).toThrow(
      expect.objectContaining({ field: "step" }),
    );
    expect(() => createClock(0).set(new Date("x"))).toThrow(
      expect.objectContaining({ field: "to" }),
    );
  });
});
