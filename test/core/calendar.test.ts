/**
 * Issue 13: day and month boundaries now come from date-fns (`TZDate`, `startOfMonth`,
 * `addMonths`). The 0.1.0 algorithm (double offset lookup, bisection across a DST gap at
 * midnight, wall-clock month labels) is kept here, verbatim in behaviour, as the oracle: the new
 * implementation must give the same instants and labels on every zone-day checked.
 */

import { TZDate } from "@date-fns/tz";
import { tzOffset } from "@date-fns/tz/tzOffset";
import { addMonths } from "date-fns/addMonths";
import { intervalToDuration } from "date-fns/intervalToDuration";
import { millisecondsToMinutes } from "date-fns/millisecondsToMinutes";
import { millisecondsToSeconds } from "date-fns/millisecondsToSeconds";
import { startOfMonth } from "date-fns/startOfMonth";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decide, emptyState, foldEvents } from "../../src/index.js";
import { ERAS } from "../../src/policy/eras.js";
import { monthIn, monthSpan, startOfDayIn } from "../../src/policy/time.js";
import { DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS } from "../../src/policy/units.js";
import { eraAt } from "../../src/window/evaluate.js";
import { formatDuration, formatInstant } from "../../src/window/words.js";
import { failed } from "./fixtures.js";

// ---- the 0.1.0 implementation (oracle) -------------------------------------------------------

const oldLocalWall = (at: number, timeZone: string): number =>
  at + tzOffset(timeZone, new Date(at)) * 60_000;

function oldStartOfDayIn(day: string, timeZone: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  const first = utcMidnight - tzOffset(timeZone, new Date(utcMidnight)) * 60_000;
  let value = utcMidnight - tzOffset(timeZone, new Date(first)) * 60_000;
  if (Number.isFinite(value) && oldLocalWall(value, timeZone) !== utcMidnight) {
    let lo = Math.min(first, value) - 86_400_000;
    let hi = Math.max(first, value) + 86_400_000;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      if (oldLocalWall(mid, timeZone) >= utcMidnight) hi = mid;
      else lo = mid;
    }
    value = hi;
  }
  return value;
}

function oldMonthIn(at: number, timeZone: string): string {
  const local = new Date(oldLocalWall(at, timeZone));
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + 1;
  return `${y}-${m < 10 ? "0" : ""}${m}`;
}

function oldEraAt(at: number, timeZone: string): string {
  const starts = ERAS.map((e) => oldStartOfDayIn(e.from, timeZone));
  for (let i = ERAS.length - 1; i > 0; i--) if (at >= (starts[i] as number)) return ERAS[i]!.id;
  return ERAS[0]!.id;
}

// ---- the zones and days checked --------------------------------------------------------------

/** São Paulo (DST until 2019, gap at midnight), Berlin (DST at 02:00), Kolkata (+05:30), Kathmandu (+05:45, +05:30 before 1986). */
const ZONES = ["America/Sao_Paulo", "Europe/Berlin", "Asia/Kolkata", "Asia/Kathmandu"] as const;

/** Every calendar day from `from` to `to` (inclusive) as `YYYY-MM-DD`. */
function days(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`); t <= Date.parse(`${to}T00:00:00Z`); t += DAY_MS) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

// 1984-2027: Kathmandu's 1986 switch, every São Paulo DST season (gaps at midnight up to 2018),
// Berlin's changes, and every era boundary up to the 2027 end of PRICE-8.
const DAYS = days("1984-01-01", "2027-12-31");

describe("issue 13: date-fns boundaries equal the 0.1.0 results (old algorithm as oracle)", () => {
  for (const zone of ZONES) {
    it(`OPEN-6: startOfDayIn equals the old bisection on ${DAYS.length} days in ${zone}`, () => {
      const diffs: string[] = [];
      for (const day of DAYS) {
        const next = startOfDayIn(day, zone);
        const old = oldStartOfDayIn(day, zone);
        if (next !== old) diffs.push(`${day}: ${next} vs ${old}`);
      }
      expect(diffs).toEqual([]);
    });

    it(`PRICE-5: monthIn equals the old month labels around every day start in ${zone}`, () => {
      const diffs: string[] = [];
      for (const day of DAYS) {
        const start = oldStartOfDayIn(day, zone);
        // Just before, at and after each local midnight, and at local noon-ish: the cache is
        // crossed in both directions (back steps re-enter the previous month).
        for (const at of [start - 1, start, start + 1, start + 13 * HOUR_MS, start - DAY_MS]) {
          const next = monthIn(at, zone);
          const old = oldMonthIn(at, zone);
          if (next !== old) diffs.push(`${new Date(at).toISOString()}: ${next} vs ${old}`);
        }
      }
      expect(diffs).toEqual([]);
    });

    it(`PRICE-1 / PRICE-2: eraAt equals the old era around every era start in ${zone}`, () => {
      const diffs: string[] = [];
      for (const era of ERAS) {
        const start = oldStartOfDayIn(era.from, zone);
        for (let d = -2 * HOUR_MS; d <= 2 * HOUR_MS; d += 15 * MINUTE_MS) {
          for (const at of [start + d - 1, start + d]) {
            if (eraAt(at, zone).id !== oldEraAt(at, zone)) diffs.push(`${era.id} ${at}`);
          }
        }
      }
      expect(diffs).toEqual([]);
    });

    it(`PRICE-5: monthSpan's [from, until) are the old month starts, every month, in ${zone}`, () => {
      const diffs: string[] = [];
      let checked = 0;
      for (const day of DAYS) {
        if (!day.endsWith("-15")) continue;
        const y = Number(day.slice(0, 4));
        const m = Number(day.slice(5, 7));
        const next = m === 12 ? `${y + 1}-01-01` : `${y}-${m < 9 ? "0" : ""}${m + 1}-01`;
        const at = oldStartOfDayIn(day, zone) + 12 * HOUR_MS;
        const span = monthSpan(at, zone);
        const from = oldStartOfDayIn(`${day.slice(0, 7)}-01`, zone);
        const until = oldStartOfDayIn(next, zone);
        if (span?.from !== from || span.until !== until || span.label !== day.slice(0, 7)) {
          diffs.push(`${day}: ${span?.from}–${span?.until} vs ${from}–${until}`);
        }
        // date-fns's own month arithmetic on a TZDate gives the same instants where midnight
        // exists (a gap at midnight is moved by `dayStart`, checked against the oracle above).
        const local = new TZDate(at, zone);
        const dfFrom = startOfMonth(local).getTime();
        const dfUntil = startOfMonth(addMonths(local, 1)).getTime();
        if (dfFrom === from && dfUntil === until) checked++;
        else if (new TZDate(dfFrom, zone).getDate() === 1 && dfFrom !== from) {
          diffs.push(`${day}: startOfMonth ${dfFrom} vs ${from}`);
        }
      }
      expect(diffs).toEqual([]);
      expect(checked).toBeGreaterThan(500);
    });
  }

  it("OPEN-6: São Paulo's 2018-11-04 has no midnight; the day starts at 01:00 local (03:00Z)", () => {
    expect(startOfDayIn("2018-11-04", "America/Sao_Paulo")).toBe(
      Date.parse("2018-11-04T03:00:00Z"),
    );
    expect(oldStartOfDayIn("2018-11-04", "America/Sao_Paulo")).toBe(
      Date.parse("2018-11-04T03:00:00Z"),
    );
  });

  it("OPEN-6: Kolkata (+05:30) and Kathmandu (+05:45) months start at their local midnight", () => {
    expect(startOfDayIn("2026-10-01", "Asia/Kolkata")).toBe(Date.parse("2026-09-30T18:30:00Z"));
    expect(startOfDayIn("2026-10-01", "Asia/Kathmandu")).toBe(Date.parse("2026-09-30T18:15:00Z"));
    expect(monthIn(Date.parse("2026-09-30T18:14:59.999Z"), "Asia/Kathmandu")).toBe("2026-09");
    expect(monthIn(Date.parse("2026-09-30T18:15:00Z"), "Asia/Kathmandu")).toBe("2026-10");
  });

  it("OPEN-6: years 0–99 are those years, not 1900–1999 (Date's legacy rule), in any order", () => {
    const utc = (y: number, m: number, d: number) => new Date(0).setUTCFullYear(y, m, d);
    expect(startOfDayIn("0050-06-01", "UTC")).toBe(utc(50, 5, 1));
    expect(startOfDayIn("1950-06-01", "UTC")).toBe(utc(1950, 5, 1));
    // Months: asked in both orders, each answer stays its own (the zone's month is remembered).
    const mid50 = utc(50, 10, 15);
    const mid1950 = utc(1950, 10, 15);
    for (const at of [mid1950, mid50, mid1950, mid50]) {
      const span = monthSpan(at, "UTC");
      const y = at === mid50 ? 50 : 1950;
      expect(span?.label).toBe(y === 50 ? "0050-11" : "1950-11");
      expect([span?.from, span?.until]).toEqual([utc(y, 10, 1), utc(y, 11, 1)]);
      expect(monthIn(at, "UTC")).toBe(span?.label);
    }
  });

  it("startOfDayIn: NaN for an unknown zone or a day that is not YYYY-MM-DD", () => {
    expect(startOfDayIn("2026-10-01", "Mars/Olympus")).toBeNaN();
    expect(startOfDayIn("2026-10-1", "UTC")).toBeNaN();
    expect(startOfDayIn("2026-10-01T00:00:00Z", "UTC")).toBeNaN();
  });
});

describe("issue 13: one module of time constants", () => {
  it("DAY_MS, HOUR_MS, MINUTE_MS and SECOND_MS are the absolute lengths", () => {
    expect([DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS]).toEqual([86_400_000, 3_600_000, 60_000, 1000]);
  });
});

describe("OPEN-6: instants in words speak the account's zone", () => {
  const at = Date.parse("2026-11-21T10:00:00Z");
  it("formatInstant: UTC without a zone, the zone's wall time with the zone named", () => {
    expect(formatInstant(at)).toBe("2026-11-21 10:00 UTC");
    expect(formatInstant(at, "UTC")).toBe("2026-11-21 10:00 UTC");
    expect(formatInstant(at, "America/Sao_Paulo")).toBe("2026-11-21 07:00 (America/Sao_Paulo)");
    expect(formatInstant(at, "Asia/Kathmandu")).toBe("2026-11-21 15:45 (Asia/Kathmandu)");
    // Berlin in summer (+02:00) and winter (+01:00).
    expect(formatInstant(Date.parse("2026-07-01T10:00:00Z"), "Europe/Berlin")).toBe(
      "2026-07-01 12:00 (Europe/Berlin)",
    );
    expect(formatInstant(at, "Europe/Berlin")).toBe("2026-11-21 11:00 (Europe/Berlin)");
  });

  it("formatInstant: an unknown zone falls back to UTC instead of throwing", () => {
    expect(formatInstant(at, "Mars/Olympus")).toBe("2026-11-21 10:00 UTC");
  });

  it("formatDuration: whole units, never negative", () => {
    expect(formatDuration(5 * HOUR_MS + 12 * MINUTE_MS + 59 * SECOND_MS)).toBe("5 h 12 min");
    expect(formatDuration(40 * SECOND_MS)).toBe("40 s");
    expect(formatDuration(2 * DAY_MS + 3 * HOUR_MS)).toBe("2 d 3 h");
    expect(formatDuration(-90 * SECOND_MS)).toBe("0 s");
    expect(formatDuration(0)).toBe("0 s");
    expect(formatDuration(1)).toBe("under 1 s");
    expect(formatDuration(999)).toBe("under 1 s");
    expect(formatDuration(1000)).toBe("1 s");
  });

  it("formatDuration counts the units date-fns counts (its conversions and intervalToDuration)", () => {
    // The words divide by the checked time constants instead of importing date-fns's
    // conversions (issue 13: they ship its whole constants module); the counts must not differ.
    fc.assert(
      fc.property(fc.integer({ min: 1000, max: 27 * DAY_MS }), (ms) => {
        const d = intervalToDuration({ start: 0, end: ms });
        const minutes = millisecondsToMinutes(ms);
        const expected =
          minutes < 1
            ? `${millisecondsToSeconds(ms)} s`
            : (d.days ?? 0) > 0
              ? `${d.days} d ${d.hours ?? 0} h`
              : (d.hours ?? 0) > 0
                ? `${d.hours} h ${d.minutes ?? 0} min`
                : `${d.minutes ?? 0} min`;
        expect(formatDuration(ms)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it("CSW-2 / OPEN-6: an explanation with timeZone America/Sao_Paulo shows local wall time", () => {
    const thread = { business: "106540352242922", customer: "5511987654321" };
    const state = foldEvents(emptyState(), [
      {
        kind: "inbound",
        id: "wamid.A",
        type: "text",
        at: Date.parse("2026-11-20T10:00:00Z"),
        thread,
      },
    ]);
    const now = Date.parse("2026-11-20T12:00:00Z");
    const local = decide(state, { kind: "free-form" }, now, { timeZone: "America/Sao_Paulo" });
    expect(local.explanation).toContain("at 2026-11-20 07:00 (America/Sao_Paulo)");
    expect(local.explanation).toContain("open until 2026-11-21 07:00 (America/Sao_Paulo)");
    // The data stays absolute.
    expect(local.window.closesAt).toEqual(new Date("2026-11-21T10:00:00Z"));
    const utc = decide(state, { kind: "free-form" }, now);
    expect(utc.explanation).toContain("open until 2026-11-21 10:00 UTC");
    // Alternatives speak the same zone (CONSENT-7: a 131049 an hour after the inbound).
    const limited = foldEvents(state, [failed(Date.parse("2026-11-20T11:00:00Z"), 131049)]);
    const marketing = decide(limited, { kind: "template", category: "marketing" }, now, {
      timeZone: "America/Sao_Paulo",
    });
    expect(marketing.reason).toBe("marketing-limited");
    expect(marketing.alternatives.map((a) => a.text)).toEqual(
      expect.arrayContaining([
        "Retry marketing no sooner than 2026-11-21 08:00 (America/Sao_Paulo), with growing back-off (CONSENT-7).",
        "Reply free-form while the window is open (until 2026-11-21 07:00 (America/Sao_Paulo)); service messages are unaffected.",
      ]),
    );
    expect(marketing.alternatives.find((a) => a.action === "retry-after")?.at).toEqual(
      new Date("2026-11-21T11:00:00Z"),
    );
  });

  it("CONSENT-8 / OPEN-6: the US pause starts at 00:00 in the account's zone, like PRICE-8", () => {
    const state = foldEvents(emptyState(), []);
    const marketing = { kind: "template", category: "marketing" } as const;
    const opts = { timeZone: "America/Sao_Paulo", customer: "12125550100" } as const;
    // 2025-04-01 00:00 in São Paulo is 03:00Z.
    expect(decide(state, marketing, Date.parse("2025-04-01T02:59:59Z"), opts).reason).not.toBe(
      "us-marketing-paused",
    );
    expect(decide(state, marketing, Date.parse("2025-04-01T03:00:00Z"), opts).reason).toBe(
      "us-marketing-paused",
    );
  });
});
