/**
 * Issue 13 / OPEN-6: the timeline's labels and axis ticks come from date-fns on the display
 * zone's wall clock.
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { DAY_MS, HOUR_MS } from "../../src/policy/units.js";
import { clock, day, dayKey, stamp, ticks, zoneOf } from "../../src/timeline/format.js";

const at = (iso: string): number => Date.parse(iso);

describe("timeline labels in the display zone (OPEN-6)", () => {
  const t = at("2026-11-26T09:12:00Z");
  it("UTC by default, the zone's wall time otherwise", () => {
    expect(stamp(t, zoneOf(undefined))).toBe("2026-11-26 09:12");
    expect(stamp(t, zoneOf("America/Sao_Paulo"))).toBe("2026-11-26 06:12");
    expect(clock(t, zoneOf("Asia/Kathmandu"))).toBe("14:57");
    expect(day(t, zoneOf("Asia/Kolkata"))).toBe("Thu 26 Nov");
  });

  it("dayKey changes at the zone's midnight, not UTC's", () => {
    const z = zoneOf("America/Sao_Paulo");
    expect(dayKey(at("2026-11-27T02:59:00Z"), z)).toBe(dayKey(at("2026-11-26T03:00:00Z"), z));
    expect(dayKey(at("2026-11-27T03:00:00Z"), z)).not.toBe(dayKey(at("2026-11-27T02:59:00Z"), z));
  });

  it("an unknown zone is a typed error naming the field", () => {
    expect(() => zoneOf("Mars/Olympus")).toThrow(InvalidInputError);
    expect(() => zoneOf("Mars/Olympus", "--time-zone")).toThrow(/--time-zone/);
  });
});

describe("timeline ticks on round wall-clock times (OPEN-6)", () => {
  it("3-hour ticks in Kathmandu (+05:45) fall on local 00:00, 03:00, 06:00 …", () => {
    const z = zoneOf("Asia/Kathmandu");
    const { at: list, step } = ticks(at("2026-11-26T00:00:00Z"), at("2026-11-27T00:00:00Z"), 8, z);
    expect(step).toBe(3 * HOUR_MS);
    expect(list.map((x) => clock(x, z))).toEqual([
      "06:00",
      "09:00",
      "12:00",
      "15:00",
      "18:00",
      "21:00",
      "00:00",
      "03:00",
    ]);
  });

  it("across Berlin's spring-forward, hourly ticks skip the missing 02:00", () => {
    const z = zoneOf("Europe/Berlin");
    const { at: list } = ticks(at("2026-03-28T23:30:00Z"), at("2026-03-29T03:30:00Z"), 5, z);
    expect(list.map((x) => clock(x, z))).toEqual(["01:00", "03:00", "04:00", "05:00"]);
  });

  it("across São Paulo's 2018 gap at midnight, 12-hour ticks stay on 12:00 (00:00 does not exist)", () => {
    const z = zoneOf("America/Sao_Paulo");
    const { at: list } = ticks(at("2018-11-03T12:00:00Z"), at("2018-11-04T16:00:00Z"), 3, z);
    expect(list.map((x) => stamp(x, z))).toEqual(["2018-11-03 12:00", "2018-11-04 12:00"]);
  });

  it("weekly ticks are Mondays at local midnight; 30-day ticks are the 1st of the month", () => {
    const z = zoneOf("America/Sao_Paulo");
    const weeks = ticks(at("2026-11-01T12:00:00Z"), at("2026-12-20T12:00:00Z"), 8, z);
    expect(weeks.step).toBe(7 * DAY_MS);
    expect(weeks.at.map((x) => day(x, z))).toEqual([
      "Mon 2 Nov",
      "Mon 9 Nov",
      "Mon 16 Nov",
      "Mon 23 Nov",
      "Mon 30 Nov",
      "Mon 7 Dec",
      "Mon 14 Dec",
    ]);
    const months = ticks(at("2026-01-15T00:00:00Z"), at("2026-06-15T00:00:00Z"), 5, z);
    expect(months.step).toBe(30 * DAY_MS);
    expect(months.at.map((x) => stamp(x, z))).toEqual([
      "2026-02-01 00:00",
      "2026-03-01 00:00",
      "2026-04-01 00:00",
      "2026-05-01 00:00",
      "2026-06-01 00:00",
    ]);
  });

  it("never more than 1000 ticks, and none for an empty or reversed range", () => {
    const z = zoneOf(undefined);
    expect(ticks(0, 1e15, 5, z).at.length).toBeLessThanOrEqual(1000);
    expect(ticks(10, 0, 5, z).at).toEqual([]);
  });
});
