/**
 * CSW-2: "DST days and the host time zone change nothing". Two checks:
 * 1. in-process: decisions around DST changes are computed under several `process.env.TZ`
 *    values (Node applies a new TZ immediately) and must be identical;
 * 2. the whole core suite is re-run in child processes with TZ=America/Sao_Paulo and
 *    TZ=Europe/Berlin, and must pass.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { decide, type Intent } from "../../src/index.js";
import { monthIn, startOfDayIn } from "../../src/policy/time.js";
import { eraAt } from "../../src/window/evaluate.js";
import { consent, DAY, fold, HOUR, inbound, MINUTE, PROP_RUNS } from "./fixtures.js";

const HOST_ZONES = [
  "UTC",
  "America/Sao_Paulo",
  "Europe/Berlin",
  "America/New_York",
  "Asia/Kolkata",
  "Pacific/Chatham",
] as const;

/** DST changes (absolute instants of the switch) and the zone they happen in. */
const DST: [name: string, zone: string, iso: string][] = [
  ["Berlin spring forward 2026-03-29", "Europe/Berlin", "2026-03-29T01:00:00Z"],
  ["Berlin fall back 2026-10-25", "Europe/Berlin", "2026-10-25T01:00:00Z"],
  [
    "São Paulo spring forward 2018-11-04 (no midnight)",
    "America/Sao_Paulo",
    "2018-11-04T03:00:00Z",
  ],
  ["New York spring forward 2026-03-08", "America/New_York", "2026-03-08T07:00:00Z"],
  ["New York fall back 2026-11-01", "America/New_York", "2026-11-01T06:00:00Z"],
];

const INTENTS: Intent[] = [
  { kind: "free-form" },
  { kind: "template", category: "utility" },
  { kind: "template", category: "marketing" },
];

const originalTz = process.env.TZ;
afterAll(() => {
  if (originalTz === undefined) delete process.env.TZ;
  else process.env.TZ = originalTz;
});

function decisionsAround(switchAt: number, accountZone: string): unknown[] {
  const out: unknown[] = [];
  // inbound from 30 h before to 2 h after the switch; decide around T+24h of each
  for (let offset = -30 * HOUR; offset <= 2 * HOUR; offset += 90 * MINUTE) {
    const t = switchAt + offset;
    const state = fold(inbound(t), consent(t - DAY, "opt-in", "all"));
    for (const d of [-1, 0, 1, DAY - 1, DAY, DAY + 1]) {
      for (const intent of INTENTS) {
        for (const options of [{}, { timeZone: accountZone, serviceTier: { used: 1 } }]) {
          out.push(JSON.stringify(decide(state, intent, t + d, options)));
        }
      }
    }
  }
  return out;
}

describe("CSW-2: the host time zone never matters (in-process, process.env.TZ switched)", () => {
  for (const [name, zone, iso] of DST) {
    it(`CSW-2: identical decisions under every host TZ around ${name}`, () => {
      const at = Date.parse(iso);
      process.env.TZ = "UTC";
      const reference = decisionsAround(at, zone);
      for (const tz of HOST_ZONES) {
        process.env.TZ = tz;
        // the switch took effect (otherwise this test would prove nothing)
        if (tz === "Europe/Berlin")
          expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(-120);
        if (tz === "America/Sao_Paulo")
          expect(new Date(Date.UTC(2026, 6, 1)).getTimezoneOffset()).toBe(180);
        expect(decisionsAround(at, zone), `host TZ ${tz}`).toEqual(reference);
      }
    });
  }

  it("CSW-2: across Berlin's spring-forward the window lasts 24 h, not until the same wall time", () => {
    process.env.TZ = "Europe/Berlin";
    const t = Date.parse("2026-03-28T11:00:00Z"); // 12:00 CET
    const state = fold(inbound(t));
    const d = decide(state, { kind: "free-form" }, t + DAY - 1, { timeZone: "Europe/Berlin" });
    expect(d.window.open).toBe(true);
    expect(d.window.closesAt?.toISOString()).toBe("2026-03-29T11:00:00.000Z"); // 13:00 CEST
    // "same time tomorrow" (12:00 CEST = 10:00Z) would be 23 h: still open then
    expect(
      decide(state, { kind: "free-form" }, Date.parse("2026-03-29T10:00:00Z")).window.open,
    ).toBe(true);
  });

  it("CSW-2: across New York's fall-back the window lasts 24 h, not 25", () => {
    process.env.TZ = "America/New_York";
    const t = Date.parse("2026-10-31T16:00:00Z"); // 12:00 EDT
    const state = fold(inbound(t), consent(t - DAY, "opt-in", "all"));
    const closed = decide(state, { kind: "free-form" }, Date.parse("2026-11-01T16:00:00Z"));
    expect(closed.window.open).toBe(false); // 11:00 EST, exactly 24 h later
    expect(closed.window.closesAt?.toISOString()).toBe("2026-11-01T16:00:00.000Z");
  });
});

describe("OPEN-6: calendars in the account's zone around DST changes", () => {
  it("startOfDayIn: a day whose midnight does not exist starts at the DST switch", () => {
    // São Paulo, 2018-11-04: 00:00 → 01:00 (-03 → -02), so the day starts at 03:00Z.
    expect(new Date(startOfDayIn("2018-11-04", "America/Sao_Paulo")).toISOString()).toBe(
      "2018-11-04T03:00:00.000Z",
    );
    // Havana, 2024-03-10: 00:00 → 01:00 (-05 → -04).
    expect(new Date(startOfDayIn("2024-03-10", "America/Havana")).toISOString()).toBe(
      "2024-03-10T05:00:00.000Z",
    );
  });

  it("startOfDayIn: ordinary and DST days in Berlin, New York and São Paulo", () => {
    const cases: [string, string, string][] = [
      ["2026-03-29", "Europe/Berlin", "2026-03-28T23:00:00.000Z"],
      ["2026-03-30", "Europe/Berlin", "2026-03-29T22:00:00.000Z"],
      ["2026-10-25", "Europe/Berlin", "2026-10-24T22:00:00.000Z"],
      ["2026-10-26", "Europe/Berlin", "2026-10-25T23:00:00.000Z"],
      ["2026-03-08", "America/New_York", "2026-03-08T05:00:00.000Z"],
      ["2026-11-01", "America/New_York", "2026-11-01T04:00:00.000Z"],
      ["2018-11-03", "America/Sao_Paulo", "2018-11-03T03:00:00.000Z"],
      ["2018-11-05", "America/Sao_Paulo", "2018-11-05T02:00:00.000Z"],
      ["2025-07-01", "America/Sao_Paulo", "2025-07-01T03:00:00.000Z"],
      ["2026-10-01", "UTC", "2026-10-01T00:00:00.000Z"],
    ];
    for (const [day, zone, iso] of cases) {
      expect(new Date(startOfDayIn(day, zone)).toISOString(), `${day} ${zone}`).toBe(iso);
    }
  });

  it("PRICE-5: monthIn flips at local midnight on the 1st, DST or not", () => {
    expect(monthIn(Date.parse("2018-11-01T02:59:59.999Z"), "America/Sao_Paulo")).toBe("2018-10");
    expect(monthIn(Date.parse("2018-11-01T03:00:00Z"), "America/Sao_Paulo")).toBe("2018-11");
    expect(monthIn(Date.parse("2026-11-01T03:59:59.999Z"), "America/New_York")).toBe("2026-10");
    expect(monthIn(Date.parse("2026-11-01T04:00:00Z"), "America/New_York")).toBe("2026-11");
  });

  it("PRICE-2: era boundaries in the account's zone do not depend on the host TZ", () => {
    const boundary = Date.parse("2026-10-01T03:00:00Z"); // 00:00 in São Paulo
    for (const tz of HOST_ZONES) {
      process.env.TZ = tz;
      expect(eraAt(boundary - 1, "America/Sao_Paulo").id).toBe("pmp-2025");
      expect(eraAt(boundary, "America/Sao_Paulo").id).toBe("pmp-service-tier-2026");
    }
  });
});

const ZONES = [
  "UTC",
  "America/Sao_Paulo",
  "Europe/Berlin",
  "America/New_York",
  "America/Havana",
  "Asia/Kolkata",
  "Australia/Lord_Howe",
  "Pacific/Chatham",
] as const;
const fmt = new Map<string, Intl.DateTimeFormat>();
/** `YYYY-MM-DD` of `at` in `zone`, from Intl (an oracle independent of @date-fns/tz). */
const localDay = (at: number, zone: string): string => {
  let f = fmt.get(zone);
  if (f === undefined) {
    f = new Intl.DateTimeFormat("en-CA", {
      timeZone: zone,
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
    });
    fmt.set(zone, f);
  }
  return f.format(at);
};

describe("OPEN-6: calendar helpers agree with Intl (fast-check)", () => {
  const from = Date.parse("2018-01-01T00:00:00Z");
  const to = Date.parse("2030-12-31T00:00:00Z");

  it("monthIn(at, zone) is the month of Intl's local date, in any call order (its cache never goes stale)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: from, max: to }), fc.constantFrom(...ZONES)), {
          minLength: 1,
          maxLength: 30,
        }),
        (calls) => {
          for (const [at, zone] of calls) {
            expect(monthIn(at, zone), `${new Date(at).toISOString()} ${zone}`).toBe(
              localDay(at, zone).slice(0, 7),
            );
          }
        },
      ),
      { numRuns: PROP_RUNS },
    );
  });

  it("monthIn is exact at every month boundary (last ms of a month, first ms of the next)", () => {
    for (const zone of ZONES) {
      for (const day of [
        "2018-11-01",
        "2019-03-01",
        "2025-07-01",
        "2026-10-01",
        "2026-11-01",
        "2027-01-01",
      ]) {
        const start = startOfDayIn(day, zone);
        expect(monthIn(start, zone), `${day} ${zone}`).toBe(day.slice(0, 7));
        expect(monthIn(start - 1, zone)).not.toBe(day.slice(0, 7));
      }
    }
  });

  it("startOfDayIn(day, zone) is the first instant whose local date is `day`", () => {
    fc.assert(
      fc.property(fc.integer({ min: from, max: to }), fc.constantFrom(...ZONES), (at, zone) => {
        const day = new Date(at).toISOString().slice(0, 10);
        const start = startOfDayIn(day, zone);
        expect(localDay(start, zone), `${day} ${zone}`).toBe(day);
        expect(localDay(start - 1, zone) < day).toBe(true);
      }),
      { numRuns: PROP_RUNS },
    );
  });
});

const run = promisify(execFile);

describe("the whole core suite under other host time zones (child processes)", () => {
  it("CSW-2: `vitest run test/core` passes with TZ=America/Sao_Paulo and TZ=Europe/Berlin", async () => {
    const zones = ["America/Sao_Paulo", "Europe/Berlin"];
    const results = await Promise.allSettled(
      zones.map((TZ) =>
        run(
          "npx",
          [
            "vitest",
            "run",
            "test/core",
            "--exclude",
            "test/core/tz.test.ts",
            "--reporter=dot",
            "--typecheck.enabled=false",
          ],
          {
            cwd: new URL("../..", import.meta.url).pathname,
            env: { ...process.env, TZ, CARE_WINDOW_PROP_RUNS: "150" },
            timeout: 240_000,
            maxBuffer: 16 * 1024 * 1024,
          },
        ),
      ),
    );
    results.forEach((r, i) => {
      const zone = zones[i];
      if (r.status === "rejected") {
        const e = r.reason as { stdout?: string; stderr?: string; code?: number };
        throw new Error(`TZ=${zone}: exit ${e.code}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
      }
      expect(r.value.stdout, `TZ=${zone}`).toMatch(/Tests\s.*passed/);
      expect(r.value.stdout, `TZ=${zone}`).not.toMatch(/\bfailed\b/);
    });
  }, 300_000);
});
