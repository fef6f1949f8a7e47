/**
 * The last price of each charge case is handed out again while it stays the same (a campaign
 * prices one message again and again). "The same" covers every value the price is written from,
 * the era's and the case's included: a custom era a host changes in place between decisions is
 * priced afresh (hostile review, 2026-12-06 night: the reuse once kept the old charge and
 * allowed a send that needed a payment method).
 */
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { decide, ERAS, emptyState, foldEvents, type PricingEra, verdict } from "../../src/index.js";

const thread = { business: "106540352242922", customer: "5511987654321" };
const now = Date.parse("2026-11-20T12:00:00Z");
const state = foldEvents(emptyState(), [
  { kind: "inbound", id: "wamid.a", type: "text", at: now - 60_000, thread },
]);
const utility = { kind: "template", category: "utility" } as const;

/** A deep copy of a built-in era the test may change in place, as a host's config might. */
function mutableEra(
  index: number,
  id: string,
): { -readonly [K in keyof PricingEra]: PricingEra[K] } {
  const base = ERAS[index] as PricingEra;
  return { ...base, id: id as PricingEra["id"], charges: base.charges.map((c) => ({ ...c })) };
}

describe("a reused price follows an era changed in place", () => {
  it("OPEN-8 / PRICE-7: a case's charge changed in place: the payment-method stop follows it both ways", () => {
    const era = mutableEra(4, "mine");
    const options = { era, paymentMethodOnFile: false };
    const a = verdict(state, utility, now, options);
    expect(a.outcome).toBe("session");
    expect(a.pricing.charge).toBe("free");
    const c = era.charges.find((x) => x.note === a.pricing.note) as unknown as Record<
      string,
      unknown
    >;
    const before = { charge: c.charge, type: c.type, note: c.note };
    Object.assign(c, { charge: "charged", type: "regular", note: "Charged now." });
    const b = verdict(state, utility, now, options);
    expect([b.outcome, b.reason]).toEqual(["blocked", "payment-method-missing"]);
    Object.assign(c, before);
    expect(verdict(state, utility, now, options)).toEqual(a);
  });

  it("PRICE-5: the era's id and tier limit changed in place reach the next price note", () => {
    const era = mutableEra(5, "my-era-v1");
    era.serviceTier = 1000;
    const options = { era };
    const first = decide(state, { kind: "free-form" }, now, options);
    era.id = "my-era-v2" as PricingEra["id"];
    era.serviceTier = 250;
    const second = decide(state, { kind: "free-form" }, now, options);
    expect(first.pricing.note).toContain("first 1000 ");
    expect(second.pricing.era).toBe("my-era-v2");
    expect(second.pricing.note).toContain("first 250 ");
    expect(second.pricing.note).not.toContain("first 1000 ");
  });

  it("an unchanged price is one shared, frozen object", () => {
    const a = verdict(state, { kind: "free-form" }, now);
    const b = verdict(state, { kind: "free-form" }, now + 1);
    expect(b.pricing).toBe(a.pricing);
    expect(Object.isFrozen(a.pricing)).toBe(true);
  });
});

describe("a custom era is checked before pricing reads it (typed errors, never a TypeError)", () => {
  const field = (f: () => unknown): string | undefined => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as InvalidInputError).field;
    }
    return undefined;
  };
  const base = ERAS[5] as PricingEra;
  const cases: readonly [string, unknown, string][] = [
    ["no charges", { id: "x" }, "options.era.from"],
    ["charges null", { ...base, charges: null }, "options.era.charges"],
    ["a null case", { ...base, charges: [null] }, "options.era.charges[0]"],
    [
      "a case without a note",
      { ...base, charges: [{ charge: "free", type: "regular", rules: [] }] },
      "options.era.charges[0].note",
    ],
    [
      "a kind that is not a list",
      { ...base, charges: [{ ...base.charges[0], kind: "service" }] },
      "options.era.charges[0].kind",
    ],
    ["a negative tier", { ...base, serviceTier: -1 }, "options.era.serviceTier"],
  ];
  for (const [name, era, f] of cases) {
    it(`${name} → ${f}`, () => {
      expect(field(() => verdict(state, utility, now, { era: era as PricingEra }))).toBe(f);
      expect(
        field(() => decide(state, { kind: "free-form" }, now, { era: era as PricingEra })),
      ).toBe(f);
    });
  }

  it("a rule ID the rulebook does not have: decide refuses it naming options.era", () => {
    const era = { ...base, charges: base.charges.map((c) => ({ ...c, rules: ["NOPE-1"] })) };
    expect(field(() => verdict(state, utility, now, { era: era as never }))).toBeUndefined();
    expect(field(() => decide(state, utility, now, { era: era as never }))).toBe("options.era");
  });

  it("every built-in era passes, and a copy with another tier decides", () => {
    for (const era of ERAS) {
      expect(() => verdict(state, utility, now, { era })).not.toThrow();
    }
    expect(verdict(state, utility, now, { era: { ...base, serviceTier: 2_000 } }).outcome).toBe(
      "session",
    );
  });
});

describe("PRICE-5: the tier figures are answered again only for the same count, month and limit", () => {
  const free = { kind: "free-form" } as const;
  const SP = "America/Sao_Paulo";
  // 2026-11-30 23:30 in São Paulo is 2026-12-01 02:30 UTC: the month boundary in the account zone.
  const lastOfNov = Date.parse("2026-12-01T02:30:00Z");
  const busy = foldEvents(emptyState(), [
    { kind: "inbound", id: "wamid.b", type: "text", at: lastOfNov - 3_600_000, thread },
  ]);
  const tierOf = (v: ReturnType<typeof verdict>) =>
    (v.pricing as { readonly tier?: { used: number; limit: number; month: string } }).tier;

  it("a count object changed in place is read again (used, month)", () => {
    const serviceTier: { used: number; month?: string } = { used: 10 };
    const options = { timeZone: SP, serviceTier };
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.used).toBe(10);
    serviceTier.used = 11;
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.used).toBe(11);
    serviceTier.month = "2026-10"; // another month's count says nothing about this one
    expect(tierOf(verdict(busy, free, lastOfNov, options))).toBeUndefined();
    serviceTier.month = "2026-11";
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.month).toBe("2026-11");
  });

  it("a count changed in place to a bad value is refused, as on first use", () => {
    const serviceTier = { used: 3 };
    const options = { timeZone: SP, serviceTier };
    verdict(busy, free, lastOfNov, options);
    serviceTier.used = -1;
    expect(() => verdict(busy, free, lastOfNov, options)).toThrow(InvalidInputError);
  });

  it("the same count one hour later is in the next month of the account zone", () => {
    const options = { timeZone: SP, serviceTier: { used: 5 } };
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.month).toBe("2026-11");
    // The same instant and count in UTC is in December already.
    const utc = { serviceTier: options.serviceTier };
    expect(tierOf(verdict(busy, free, lastOfNov, utc))?.month).toBe("2026-12");
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.month).toBe("2026-11");
    expect(tierOf(verdict(busy, free, lastOfNov + 3_600_000, options))?.month).toBe("2026-12");
  });

  it("a custom era's tier limit changed in place is read again", () => {
    const era = mutableEra(5, "mine-tier");
    const options = { era, serviceTier: { used: 5 } };
    const before = tierOf(verdict(busy, free, lastOfNov, options));
    expect(before?.limit).toBe(1000);
    (era as { serviceTier: number | null }).serviceTier = 7;
    expect(tierOf(verdict(busy, free, lastOfNov, options))?.limit).toBe(7);
  });
});

describe("hostile review, 2026-12-06 late: reuse follows every value it was written from", () => {
  const free = { kind: "free-form" } as const;

  it("PRICE-5: a count of -0 changed in place from 0 is answered as -0 (Object.is)", () => {
    const serviceTier = { used: 0 };
    const tier = () =>
      (verdict(state, free, now, { serviceTier }).pricing as { tier?: { used: number } }).tier;
    expect(Object.is(tier()?.used, 0)).toBe(true);
    serviceTier.used = -0;
    expect(Object.is(tier()?.used, -0)).toBe(true);
  });

  it("PRICE-4 / PRICE-23: a custom era's first day changed in place is printed afresh in the notes", () => {
    for (const [index, intent] of [
      [3, { kind: "free-form" }],
      [5, utility],
    ] as const) {
      const era = mutableEra(index, `from-${index}`);
      expect(verdict(state, intent, now, { era }).pricing.note).toContain(`from ${era.from}`);
      era.from = "2020-01-01";
      const after = verdict(state, intent, now, { era }).pricing.note;
      const fresh = verdict(state, intent, now, {
        era: { ...era, id: "fresh" as PricingEra["id"] },
      }).pricing.note;
      expect(after).toBe(fresh);
    }
  });
});
