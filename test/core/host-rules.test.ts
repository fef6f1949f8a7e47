/**
 * Host rules (issue 12): a host's own rules in the rule table. They only tighten, are cited by
 * their own id and explained like Meta's, and the two shipped ones behave as documented.
 */
import { TZDate } from "@date-fns/tz";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { ThreadEvent } from "../../src/domain/types.js";
import { type HostRule, marketingCooldown, quietHours, verdict } from "../../src/index.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { assertBlocked, assertTemplate, expectDecision, scenario } from "../../src/testing.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents } from "../../src/window/state.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const HOUR = 3_600_000;
const MARKETING = { kind: "template", category: "marketing" } as const;
const UTILITY = { kind: "template", category: "utility" } as const;

function shopWithAna() {
  const shop = scenario();
  const ana = shop.customer("5511987654321");
  shop.recordsOptIn(ana, T - 48 * HOUR, { scope: "all", source: "signup" });
  ana.writes(T - 30 * HOUR, "Oi");
  return { shop, ana };
}

/** A rule that holds back nothing. */
const holdNothing: HostRule = { id: "HOST-none", title: "Hold nothing", check: () => undefined };

/** A rule that holds back everything it sees. */
const holdAll: HostRule = {
  id: "HOST-hold-all",
  title: "Hold everything",
  check: () => ({ explanation: "Everything is on hold." }),
};

describe("host rules can only tighten", () => {
  it("a host rule blocks what Meta allows, with reason host-rule and its own id cited", () => {
    const { ana } = shopWithAna();
    const d = decide(ana.state(), UTILITY, T, { rules: [holdAll] });
    assertBlocked(d, "host-rule");
    expect(d.rules.map((r) => r.id)).toContain("HOST-hold-all");
    expect(d.rules.find((r) => r.id === "HOST-hold-all")).toEqual({
      id: "HOST-hold-all",
      title: "Hold everything",
      source: "host",
    });
    expect(d.fired).toEqual(expect.arrayContaining(["host-rule", "HOST-hold-all"]));
    expect(d.explanation).toContain("Everything is on hold.");
    expect(d.pricing.charge).toBe("not-sent");
  });

  it("a host rule never turns a Meta block into an allowed send (CONSENT-4 stays)", () => {
    const { shop, ana } = shopWithAna();
    shop.recordsOptOut(ana, T - HOUR, { scope: "all", source: "STOP" });
    const allowAll: HostRule = { id: "HOST-noop", title: "noop", check: () => undefined };
    for (const rules of [[allowAll], [holdAll], []]) {
      const d = decide(ana.state(), UTILITY, T, { rules });
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("opted-out");
    }
  });

  it("with any host rules the outcome is Meta's or blocked, never looser (property)", () => {
    const { ana } = shopWithAna();
    const state = ana.state();
    fc.assert(
      fc.property(
        fc.constantFrom(MARKETING, UTILITY, { kind: "free-form" } as const),
        fc.integer({ min: -2 * 24, max: 4 * 24 }),
        fc.boolean(),
        (intent, h, hold) => {
          const at = T + h * HOUR;
          const rules: HostRule[] = [
            { id: "HOST-x", title: "x", check: () => (hold ? { explanation: "held" } : undefined) },
          ];
          const meta = verdict(state, intent, at);
          const host = verdict(state, intent, at, { rules });
          if (meta.outcome === "blocked") expect(host).toEqual(meta);
          else if (hold) expect([host.outcome, host.reason]).toEqual(["blocked", "host-rule"]);
          else expect(host).toEqual(meta);
        },
      ),
    );
  });

  it("a hold with a bad until or explanation is kept as a hold, never an untyped error", () => {
    const { ana } = shopWithAna();
    const odd: HostRule = {
      id: "HOST-odd",
      title: "odd",
      check: () => ({ explanation: 42, until: Number.NaN }) as never,
    };
    const d = decide(ana.state(), UTILITY, T, { rules: [odd] });
    expect([d.outcome, d.reason]).toEqual(["blocked", "host-rule"]);
    expect(d.explanation).toContain("Held back by odd.");
    expect(d.alternatives).toEqual([]);
  });

  it("a rule whose check throws is a typed error naming it, with the rule's error as cause", () => {
    const { ana } = shopWithAna();
    const boom = new Error("db down");
    const broken: HostRule = {
      id: "HOST-broken",
      title: "broken",
      check: () => {
        throw boom;
      },
    };
    let caught: unknown;
    try {
      decide(ana.state(), UTILITY, T, { rules: [holdNothing, broken] });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(InvalidInputError);
    expect(caught).toMatchObject({ field: "options.rules[1]", cause: boom });
    expect((caught as Error).message).toContain("HOST-broken");
    // A non-Error throw is wrapped the same way.
    expect(() =>
      decide(ana.state(), UTILITY, T, {
        rules: [
          {
            ...broken,
            check: () => {
              throw "nope";
            },
          },
        ],
      }),
    ).toThrow(expect.objectContaining({ field: "options.rules[0]", cause: "nope" }));
  });

  it("a check answering anything but undefined or a hold is a typed error, never a silent block", () => {
    const { ana } = shopWithAna();
    const answers: [string, () => unknown][] = [
      ["a promise (async check)", async () => undefined],
      ["false", () => false],
      ["0", () => 0],
      ["a string", () => "no"],
    ];
    for (const [name, check] of answers) {
      const rule = { id: "HOST-odd", title: "odd", check } as HostRule;
      expect(() => decide(ana.state(), UTILITY, T, { rules: [rule] }), name).toThrow(
        expect.objectContaining({ field: "options.rules[0]", code: "invalid-argument" }),
      );
    }
    // A hold whose fields throw on read, and thrown values that cannot be printed.
    const nasty: (() => unknown)[] = [
      () => ({
        get explanation(): string {
          throw new Error("expl boom");
        },
      }),
      () => {
        throw Object.create(null);
      },
      () => {
        throw {
          toString() {
            throw new Error("ts boom");
          },
        };
      },
    ];
    for (const check of nasty) {
      const rule = { id: "HOST-nasty", title: "nasty", check } as HostRule;
      expect(() => decide(ana.state(), UTILITY, T, { rules: [rule] })).toThrow(InvalidInputError);
    }
  });

  it("a host rule may not take a rulebook id (it would read as Meta's rule)", () => {
    const { ana } = shopWithAna();
    for (const id of ["CSW-2", "PRICE-25", "consent-4", "OPEN-20", " CSW-2", "FEP-1\n", "CSW-２"]) {
      expect(() => decide(ana.state(), UTILITY, T, { rules: [{ ...holdAll, id }] })).toThrow(
        expect.objectContaining({ field: "options.rules[0].id" }),
      );
    }
    // Anything else is the host's to name.
    expect(
      decide(ana.state(), UTILITY, T, { rules: [{ ...holdAll, id: "CSW-night" }] }).reason,
    ).toBe("host-rule");
  });

  it("options.rules must be an array of { id, title, check }", () => {
    const { ana } = shopWithAna();
    for (const rules of [{}, [{}], [{ id: "", title: "x", check: () => undefined }]]) {
      expect(() => decide(ana.state(), UTILITY, T, { rules } as never)).toThrow(InvalidInputError);
    }
  });
});

describe("quietHours", () => {
  const quiet = quietHours({ from: "21:00", to: "08:00", timeZone: "America/Sao_Paulo" });

  it("blocks marketing templates during the hours, until they end (in the rule's zone)", () => {
    const { ana } = shopWithAna();
    // 2026-11-27 01:00 UTC is 22:00 in São Paulo (UTC−3): quiet until 08:00 local = 11:00 UTC.
    const at = Date.parse("2026-11-27T01:00:00Z");
    const d = decide(ana.state(), MARKETING, at, { rules: [quiet] });
    assertBlocked(d, "host-rule");
    expect(d.rules.map((r) => r.id)).toContain("HOST-quiet-hours");
    expect(d.alternatives).toContainEqual(
      expect.objectContaining({ action: "retry-after", at: new Date("2026-11-27T11:00:00Z") }),
    );
  });

  it("leaves other categories, free-form replies and the daytime alone", () => {
    const { ana } = shopWithAna();
    const night = Date.parse("2026-11-27T01:00:00Z");
    assertTemplate(decide(ana.state(), UTILITY, night, { rules: [quiet] }));
    const day = Date.parse("2026-11-27T15:00:00Z"); // 12:00 in São Paulo
    assertTemplate(decide(ana.state(), MARKETING, day, { rules: [quiet] }));
    ana.writes(night - HOUR, "Ainda aí?");
    expectDecision(decide(ana.state(), { kind: "free-form" }, night, { rules: [quiet] }), {
      outcome: "session",
      reason: "window-open",
    });
  });

  it("boundaries: quiet from 21:00 inclusive to 08:00 exclusive; account zone by default", () => {
    const { ana } = shopWithAna();
    const rule = quietHours({ from: "21:00", to: "08:00" });
    const opts = { rules: [rule], timeZone: "Europe/Berlin" }; // UTC+1 in November
    expect(decide(ana.state(), MARKETING, Date.parse("2026-11-26T20:00:00Z"), opts).reason).toBe(
      "host-rule",
    );
    expect(
      decide(ana.state(), MARKETING, Date.parse("2026-11-26T19:59:59Z"), opts).reason,
    ).not.toBe("host-rule");
    expect(
      decide(ana.state(), MARKETING, Date.parse("2026-11-27T07:00:00Z"), opts).reason,
    ).not.toBe("host-rule");
    expect(decide(ana.state(), MARKETING, Date.parse("2026-11-27T06:59:59Z"), opts).reason).toBe(
      "host-rule",
    );
  });

  it("holds exactly when the local time is quiet, across DST changes and odd offsets (property)", () => {
    const { ana } = shopWithAna();
    const state = ana.state();
    fc.assert(
      fc.property(
        fc.integer({
          min: Date.parse("2026-01-01T00:00:00Z"),
          max: Date.parse("2028-12-31T00:00:00Z"),
        }),
        fc.constantFrom(
          "America/Sao_Paulo",
          "Europe/Berlin",
          "Australia/Lord_Howe",
          "Asia/Kathmandu",
          "America/New_York",
        ),
        (at, timeZone) => {
          const local = new TZDate(at, timeZone);
          const minutes = local.getHours() * 60 + local.getMinutes();
          const quietNow = minutes >= 21 * 60 || minutes < 8 * 60;
          const rules = [quietHours({ from: "21:00", to: "08:00", timeZone })];
          const v = verdict(state, MARKETING, at, { rules, usMarketingPause: false });
          expect(v.reason === "host-rule").toBe(quietNow);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("OPEN-6: reads the wall clock on both sides of an offset change at a minute that is not a quarter hour", () => {
    // America/Goose_Bay, 1987-04-05 04:01 UTC: 00:01 local jumped to 02:01 (double daylight).
    const state = foldEvents(emptyState(), []);
    const rules = [quietHours({ from: "01:00", to: "08:00", timeZone: "America/Goose_Bay" })];
    const change = Date.parse("1987-04-05T04:01:00Z");
    for (let at = change - 20 * 60_000; at <= change + 20 * 60_000; at += 60_000) {
      const local = new TZDate(at, "America/Goose_Bay");
      const minutes = local.getHours() * 60 + local.getMinutes();
      const v = verdict(state, MARKETING, at, {
        rules,
        usMarketingPause: false,
        requireOptIn: false,
      });
      expect(v.reason === "host-rule", new Date(at).toISOString()).toBe(
        minutes >= 60 && minutes < 8 * 60,
      );
    }
  });

  it("rejects a malformed time with a typed error naming the field", () => {
    expect(() => quietHours({ from: "9pm", to: "08:00" })).toThrow(
      expect.objectContaining({ field: "quietHours.from" }),
    );
  });
});

describe("marketingCooldown", () => {
  const cooldown = marketingCooldown({ hours: 72 });

  it("holds a second marketing template within the cooldown, then lets it go", () => {
    const { shop, ana } = shopWithAna();
    shop.sendsTemplate(ana, T - 10 * HOUR, { name: "promo", category: "marketing" });
    const held = decide(ana.state(), MARKETING, T, { rules: [cooldown] });
    assertBlocked(held, "host-rule");
    expect(held.alternatives).toContainEqual(
      expect.objectContaining({ action: "retry-after", at: new Date(T + 62 * HOUR) }),
    );
    assertTemplate(decide(ana.state(), MARKETING, T + 62 * HOUR, { rules: [cooldown] }));
    assertTemplate(decide(ana.state(), UTILITY, T, { rules: [cooldown] }));
  });

  it("reads the folded state, so the order of the history does not matter (property)", () => {
    const { shop, ana } = shopWithAna();
    shop.sendsTemplate(ana, T - 50 * HOUR, { name: "promo", category: "marketing" });
    shop.sendsTemplate(ana, T - 10 * HOUR, { name: "promo2", category: "marketing" });
    shop.sendsTemplate(ana, T - 5 * HOUR, { name: "receipt", category: "utility" });
    const events = ana.events.filter((e) => "thread" in e) as ThreadEvent[];
    const want = decide(ana.state(), MARKETING, T, { rules: [cooldown] });
    fc.assert(
      fc.property(fc.shuffledSubarray(events, { minLength: events.length }), (shuffled) => {
        const d = decide(foldEvents(emptyState(), shuffled), MARKETING, T, { rules: [cooldown] });
        expect(d).toEqual(want);
      }),
    );
  });

  it("rejects a non-positive or absurd cooldown with a typed error", () => {
    expect(() => marketingCooldown({ hours: 0 })).toThrow(InvalidInputError);
    // 1e9 hours is past the calendar: its `until` could not be written as a date.
    expect(() => marketingCooldown({ hours: 1e9 })).toThrow(
      expect.objectContaining({ field: "marketingCooldown.hours" }),
    );
    expect(marketingCooldown({ hours: 87_600 }).id).toBe("HOST-marketing-cooldown");
  });

  it("works through the service's rules option too", async () => {
    const care = createCareWindow({
      store: createMemoryStore(),
      now: () => new Date(T),
      rules: [cooldown],
    });
    const { shop, ana } = shopWithAna();
    shop.sendsTemplate(ana, T - HOUR, { name: "promo", category: "marketing" });
    await care.record([...ana.events]);
    const d = await care.decide(ana.thread, MARKETING);
    expect([d.outcome, d.reason]).toEqual(["blocked", "host-rule"]);
  });
});
