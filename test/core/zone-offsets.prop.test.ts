/**
 * OPEN-6: the words of a decision are on the account zone's wall clock. `formatInstant` and
 * `formatInstantShort` (window/words.ts) read it from date-fns's `TZDateMini` once per minute of
 * UTC and zone (remembered), instead of asking `Intl` per sentence. Their output must be exactly what `TZDate`'s own getters give (the oracle below is
 * the 0.2.0 formatter, one `TZDateMini` per instant), for every instant and zone: DST changes
 * (São Paulo 2018 with no midnight, Berlin, St John's at :30, Lord Howe's 30-minute DST), zones
 * at +05:30 and +05:45 (Kathmandu's 1986 change from +05:30), historical local mean time (offsets
 * with seconds, changing at odd seconds), fractional and out-of-range instants, unknown zones.
 */
import { TZDateMini } from "@date-fns/tz/date/mini";
import { tzOffset } from "@date-fns/tz/tzOffset";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { formatInstant, formatInstantShort } from "../../src/window/words.js";
import { DAY, HOUR, MINUTE, PROP_RUNS } from "./fixtures.js";

const ZONES = [
  "America/Sao_Paulo",
  "Europe/Berlin",
  "Asia/Kolkata",
  "Asia/Kathmandu",
  "Australia/Lord_Howe",
  "America/St_Johns",
  "Pacific/Chatham",
  "America/New_York",
  "Pacific/Apia",
  "UTC",
] as const;

/** Offset changes (absolute instants) in the zones above, and one LMT change per LMT zone. */
const CHANGES: [zone: string, iso: string][] = [
  ["America/Sao_Paulo", "2018-11-04T03:00:00Z"], // 00:00 → 01:00, no midnight
  ["America/Sao_Paulo", "2019-02-17T02:00:00Z"],
  ["America/Sao_Paulo", "1914-01-01T03:06:28Z"], // LMT −03:06:28 → −03:00
  ["Europe/Berlin", "2026-03-29T01:00:00Z"],
  ["Europe/Berlin", "2026-10-25T01:00:00Z"],
  ["Europe/Berlin", "1893-03-31T23:06:32Z"], // LMT +00:53:28 → +01:00
  ["Asia/Kathmandu", "1985-12-31T18:30:00Z"], // +05:30 → +05:45
  ["Asia/Kolkata", "1945-10-14T17:30:00Z"],
  ["Australia/Lord_Howe", "2026-04-04T15:00:00Z"], // +11 → +10:30
  ["Australia/Lord_Howe", "2026-10-03T15:30:00Z"], // +10:30 → +11
  ["America/St_Johns", "2026-03-08T05:30:00Z"], // −03:30 → −02:30
  ["America/St_Johns", "2026-11-01T04:30:00Z"],
  ["Pacific/Apia", "2011-12-30T10:00:00Z"], // a whole day skipped
  ["Pacific/Chatham", "2026-04-04T14:00:00Z"], // +13:45 → +12:45
  // Changes on a whole minute that is not a quarter hour.
  ["America/Goose_Bay", "1987-04-05T04:01:00Z"], // 00:01 local → 02:01 (double daylight time)
  ["Africa/Johannesburg", "1892-02-07T22:08:00Z"], // LMT +01:52 → +01:30
];

/** The 0.2.0 `formatInstant`: one `TZDateMini` per instant, its getters read. */
function oracle(ms: number, timeZone?: string): string {
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  if (timeZone !== undefined && timeZone !== "UTC") {
    const local = new TZDateMini(ms, timeZone);
    const y = local.getFullYear();
    if (Number.isFinite(y)) {
      return `${y}-${two(local.getMonth() + 1)}-${two(local.getDate())} ${two(local.getHours())}:${two(local.getMinutes())} (${timeZone})`;
    }
  }
  const date = new Date(ms);
  if (!Number.isFinite(date.getTime())) return "an instant outside the calendar";
  return `${date.getUTCFullYear()}-${two(date.getUTCMonth() + 1)}-${two(date.getUTCDate())} ${two(date.getUTCHours())}:${two(date.getUTCMinutes())} UTC`;
}

/** The 0.2.0 `formatInstantShort`, wall clock fields only (the month name is not at stake). */
function oracleShort(ms: number, timeZone?: string): string {
  let d: Date = new TZDateMini(ms, timeZone ?? "UTC");
  if (!Number.isFinite(d.getFullYear())) d = new TZDateMini(ms, "UTC");
  if (!Number.isFinite(d.getFullYear())) return "an instant outside the calendar";
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  return `${d.getDate()} ${d.getMonth()} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

/** `formatInstantShort` with its month name turned back into the month's index, for the oracle. */
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const short = (ms: number, zone?: string): string =>
  formatInstantShort(ms, zone).replace(/ ([A-Z][a-z]{2}) /, (_m, name: string) => {
    return ` ${MONTHS.indexOf(name)} `;
  });

const instant = fc.oneof(
  // Any time in the last and the next century and a half, to the millisecond.
  fc.integer({ min: Date.UTC(1880, 0, 1), max: Date.UTC(2100, 0, 1) }),
  // Within a day of an offset change, to the millisecond.
  fc
    .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -DAY, max: DAY }))
    .map(([[, iso], d]) => Date.parse(iso) + d),
  // Within a minute of an offset change or of a slot's edge.
  fc
    .tuple(fc.constantFrom(...CHANGES), fc.integer({ min: -MINUTE, max: MINUTE }))
    .map(([[, iso], d]) => Date.parse(iso) + d),
  // Fractional, extreme and non-finite instants.
  fc.double({ min: -1e13, max: 1e13, noNaN: true }),
  fc.constantFrom(
    8.64e15,
    -8.64e15,
    8.64e15 - 1,
    -8.64e15 + 1,
    8.64e15 + 1,
    1e20,
    -0,
    -0.5,
    0.5,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ),
);

const zone = fc.oneof(
  fc.constantFrom<string | undefined>(...ZONES, undefined, "Mars/Olympus", ""),
  fc.constantFrom(...CHANGES).map(([z]) => z),
);

describe("OPEN-6: minutes read by TZDate give the wall clock of every instant", () => {
  it("OPEN-6: each listed change is one (the fixture's instants are right)", () => {
    for (const [z, iso] of CHANGES) {
      const at = Date.parse(iso);
      expect(tzOffset(z, new Date(at - 1)), `${z} ${iso}`).not.toBe(tzOffset(z, new Date(at)));
    }
  });

  it("OPEN-6: formatInstant equals the TZDate formatter for any instant and zone", () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        expect(formatInstant(ms, z)).toBe(oracle(ms, z));
      }),
      { numRuns: PROP_RUNS * 5 },
    );
  });

  it("OPEN-6: formatInstantShort equals the TZDate formatter for any instant and zone", () => {
    fc.assert(
      fc.property(instant, zone, (ms, z) => {
        expect(short(ms, z)).toBe(oracleShort(ms, z));
      }),
      { numRuns: PROP_RUNS * 2 },
    );
  });

  it("OPEN-6: every minute within 3 h of each offset change reads as TZDate reads it", () => {
    for (const [z, iso] of CHANGES) {
      const change = Date.parse(iso);
      // Twice: the first pass fills the minute cache, the second reads from it.
      for (let pass = 0; pass < 2; pass++) {
        for (let ms = change - 3 * HOUR - 7; ms <= change + 3 * HOUR; ms += MINUTE) {
          expect(formatInstant(ms, z), `${z} ${new Date(ms).toISOString()}`).toBe(oracle(ms, z));
          expect(short(ms, z)).toBe(oracleShort(ms, z));
        }
      }
    }
  });

  it("OPEN-6: a change at odd seconds (local mean time) is read exactly on both sides", () => {
    const change = Date.parse("1914-01-01T03:06:28Z");
    for (let ms = change - 2 * MINUTE; ms <= change + 2 * MINUTE; ms += 1000) {
      expect(formatInstant(ms, "America/Sao_Paulo")).toBe(oracle(ms, "America/Sao_Paulo"));
    }
    // LMT: −03:06:28 before the change, −03:00 after it.
    expect(formatInstant(change - 1, "America/Sao_Paulo")).toBe(
      "1913-12-31 23:59 (America/Sao_Paulo)",
    );
    expect(formatInstant(change, "America/Sao_Paulo")).toBe("1914-01-01 00:06 (America/Sao_Paulo)");
  });

  it("OPEN-6: the zones' own offsets, and an unknown zone falls back to UTC", () => {
    const at = Date.parse("2026-11-26T09:00:00Z");
    expect(formatInstant(at, "Asia/Kathmandu")).toBe("2026-11-26 14:45 (Asia/Kathmandu)");
    expect(formatInstant(at, "Australia/Lord_Howe")).toBe("2026-11-26 20:00 (Australia/Lord_Howe)");
    expect(formatInstant(at, "America/St_Johns")).toBe("2026-11-26 05:30 (America/St_Johns)");
    expect(formatInstant(at, "Mars/Olympus")).toBe("2026-11-26 09:00 UTC");
    expect(formatInstant(Number.NaN, "Europe/Berlin")).toBe("an instant outside the calendar");
  });

  it("OPEN-6: the cache stays right after thousands of minutes in many zones (slots reused)", () => {
    const start = Date.UTC(2018, 9, 1);
    // 12 zones × 1200 minutes: far more than the 64 slots, so every slot is reused many times.
    for (const z of ZONES) {
      for (let k = 0; k < 1200; k++) {
        const ms = start + k * 15 * MINUTE * 7 + 13;
        expect(formatInstant(ms, z)).toBe(oracle(ms, z));
        expect(formatInstant(ms, z)).toBe(oracle(ms, z)); // the second ask reads the cache
      }
    }
  });
});
