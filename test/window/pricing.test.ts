/**
 * `priceMessage` reading an era's charge cases (src/window/pricing.ts), where the decision suites
 * did not pin it down (found by mutation testing, `npm run mutate`): the notes' figures and
 * dates, the service-tier position a case is matched on, and the first lookup of an era.
 */
import { describe, expect, it } from "vitest";
import { ERAS, type PricingEra } from "../../src/index.js";
import type { ChargeCase } from "../../src/policy/charges.js";
import { type PricedMessage, priceMessage } from "../../src/window/pricing.js";

const era = (id: string): PricingEra => {
  const found = ERAS.find((e) => e.id === id);
  if (found === undefined) throw new Error(`era ${id} missing`);
  return found;
};

const SERVICE: PricedMessage = { category: "service", reaction: false, directSend: false };
const UTILITY: PricedMessage = { category: "utility", reaction: false, directSend: false };
const NOV_2026 = Date.parse("2026-11-26T09:00:00Z");

describe("CSW-11: the first lookup of an era", () => {
  it("CSW-11: a free-form message outside the window, no FEP, first priced under a fresh era, has no price", () => {
    // A copy of the era: nothing priced under it yet.
    const fresh: PricingEra = { ...era("pmp-2025") };
    const p = priceMessage(fresh, SERVICE, { windowOpen: false, fepOpen: false, at: NOV_2026 });
    expect(p.charge).toBe("unknown");
    expect(p.type).toBe("regular");
    expect(p.note).toContain("CSW-11");
  });
});

describe("PRICE-5: the service tier's notes read the month's figures", () => {
  const tier2026 = era("pmp-service-tier-2026");

  it("PRICE-5: within the tier the note gives the count used, the limit and the month", () => {
    const p = priceMessage(tier2026, SERVICE, {
      windowOpen: true,
      fepOpen: false,
      at: NOV_2026,
      tier: { used: 12, limit: 1000, month: "2026-11" },
    });
    expect(p.charge).toBe("free");
    expect(p.note).toBe("Free: 12 of 1000 free service messages used in 2026-11 (PRICE-5).");
    expect(p.tier).toEqual({ used: 12, limit: 1000, month: "2026-11" });
  });

  it("PRICE-5: beyond the tier the note names the month whose free messages are used up", () => {
    const p = priceMessage(tier2026, SERVICE, {
      windowOpen: true,
      fepOpen: false,
      at: NOV_2026,
      tier: { used: 1000, limit: 1000, month: "2026-11" },
    });
    expect(p.charge).toBe("charged");
    expect(p.note).toBe(
      "Charged at the utility rate: all 1000 free service messages of 2026-11 are used (PRICE-5, PRICE-6).",
    );
  });
});

describe("PRICE-5: the tier figures go with the service messages that use the tier", () => {
  it("PRICE-5: a template priced while a tier count is known carries no tier figures", () => {
    const p = priceMessage(era("pmp-service-tier-2026"), UTILITY, {
      windowOpen: true,
      fepOpen: false,
      at: NOV_2026,
      tier: { used: 12, limit: 1000, month: "2026-11" },
    });
    expect(p.charge).toBe("charged");
    expect(Object.keys(p)).not.toContain("tier");
  });
});

describe("PRICE-8: the exemption's end without an account zone", () => {
  it("PRICE-8: without a zone it ends at 00:00 UTC on its last day, whatever the host process's zone", () => {
    const saved = process.env["TZ"];
    process.env["TZ"] = "Asia/Kolkata"; // UTC+05:30: local midnight is 18:30 UTC the day before
    try {
      const p = priceMessage(era("pmp-service-tier-2026"), SERVICE, {
        windowOpen: true,
        fepOpen: false,
        at: Date.parse("2027-12-31T20:00:00Z"),
        tier: { used: 1000, limit: 1000, month: "2027-12" },
        governmentExempt: true,
      });
      expect(p.charge).toBe("free");
      expect(p.note).toContain("PRICE-8");
    } finally {
      if (saved === undefined) delete process.env["TZ"];
      else process.env["TZ"] = saved;
    }
  });
});

describe("OPEN-6 / PRICE-23: dates in pricing notes come from the era, in the account's zone", () => {
  const free2024 = era("cbp-free-service-2024");
  const inWindow = { windowOpen: true, fepOpen: false, at: Date.parse("2025-01-10T12:00:00Z") };

  it("OPEN-6: with a time zone, the era's first day is written in that zone", () => {
    const p = priceMessage(free2024, SERVICE, { ...inWindow, timeZone: "America/Sao_Paulo" });
    expect(p.note).toBe(
      "Service conversations were free from 2024-11-01 00:00 (America/Sao_Paulo) (PRICE-23).",
    );
  });

  it("PRICE-4 / OPEN-6: the 2026 note on utility templates in the window dates the change", () => {
    const p = priceMessage(era("pmp-service-tier-2026"), UTILITY, {
      windowOpen: true,
      fepOpen: false,
      at: NOV_2026,
      timeZone: "Asia/Kolkata",
    });
    expect(p.charge).toBe("charged");
    expect(p.note).toBe(
      "Utility templates inside the window are charged from 2026-10-01 00:00 (Asia/Kolkata) (PRICE-4).",
    );
  });

  it("OPEN-6: without a time zone, in UTC", () => {
    const p = priceMessage(free2024, SERVICE, inWindow);
    expect(p.note).toBe("Service conversations were free from 2024-11-01 00:00 UTC (PRICE-23).");
  });
});

/**
 * A host-defined era (`options.era` accepts one) whose cases match on the service tier's
 * position: `none` for a message that is not a service message or an era without a tier,
 * `beyond` past the free messages.
 */
function tieredEra(serviceTier: number | null): PricingEra {
  const charges: ChargeCase[] = [
    { tier: ["none"], charge: "free", type: "regular", note: "none", rules: [] },
    { tier: ["beyond"], charge: "charged", type: "regular", note: "beyond", rules: [] },
    { charge: "unknown", type: "regular", note: "other", rules: [] },
  ];
  return { ...era("pmp-service-tier-2026"), serviceTier, charges };
}

describe("PRICE-5: the tier position a charge case is matched on", () => {
  const used = { used: 5000, limit: 1000, month: "2026-11" };
  const ctx = { windowOpen: true, fepOpen: false, at: NOV_2026, tier: used };

  it("PRICE-5: a template is never counted against the service tier (`none`)", () => {
    expect(priceMessage(tieredEra(1000), UTILITY, ctx).note).toBe("none");
  });

  it("PRICE-5: an era without a service tier puts service messages at `none`", () => {
    expect(priceMessage(tieredEra(null), SERVICE, ctx).note).toBe("none");
  });

  it("PRICE-5: past the free messages a service message is `beyond`", () => {
    expect(priceMessage(tieredEra(1000), SERVICE, ctx).note).toBe("beyond");
  });
});

describe("PRICE-4: one era prices every case on its own", () => {
  const messages: PricedMessage[] = [
    SERVICE,
    { category: "service", reaction: true, directSend: false },
    { category: "utility", reaction: false, directSend: true },
    UTILITY,
    { category: "marketing", reaction: false, directSend: false },
    { category: "authentication", reaction: false, directSend: false },
    { category: "unknown", reaction: false, directSend: false },
  ];
  const tiers = [
    undefined,
    { used: 1, limit: 1000, month: "2026-11" },
    { used: 1000, limit: 1000, month: "2026-11" },
  ];
  const contexts = [true, false].flatMap((windowOpen) =>
    [true, false].flatMap((fepOpen) =>
      [true, false].flatMap((directSendFreeInFep) =>
        tiers.flatMap((tier) =>
          [true, false].map((governmentExempt) => ({
            windowOpen,
            fepOpen,
            directSendFreeInFep,
            governmentExempt,
            at: NOV_2026,
            ...(tier === undefined ? {} : { tier }),
          })),
        ),
      ),
    ),
  );

  it.each(ERAS.map((e) => e.id))(
    "%s: pricing many cases in a row gives each its own price",
    (id) => {
      const shared: PricingEra = { ...era(id) };
      for (const message of messages) {
        for (const context of contexts) {
          const alone = priceMessage({ ...era(id) }, message, context);
          expect(priceMessage(shared, message, context)).toEqual(alone);
        }
      }
    },
  );
});

describe("PRICE-5 / OPEN-6: a note is written from this message's own values", () => {
  const tier2026 = era("pmp-service-tier-2026");
  const within = (limit: number) => ({
    windowOpen: true,
    fepOpen: false,
    at: NOV_2026,
    tier: { used: 12, limit, month: "2026-11" },
  });

  it("PRICE-5: the same count against another limit gives that limit in the note", () => {
    expect(priceMessage(tier2026, SERVICE, within(1000)).note).toContain("12 of 1000");
    expect(priceMessage(tier2026, SERVICE, within(2000)).note).toContain("12 of 2000");
    expect(priceMessage(tier2026, SERVICE, within(1000)).note).toContain("12 of 1000");
  });

  it("OPEN-6: a host era with the same cases but another first day dates its own note", () => {
    const ctx = { windowOpen: true, fepOpen: false, at: NOV_2026 };
    const later: PricingEra = { ...tier2026, from: "2026-11-15" };
    expect(priceMessage(tier2026, UTILITY, ctx).note).toContain("from 2026-10-01 00:00 UTC");
    expect(priceMessage(later, UTILITY, ctx).note).toContain("from 2026-11-15 00:00 UTC");
    expect(priceMessage(tier2026, UTILITY, ctx).note).toContain("from 2026-10-01 00:00 UTC");
  });
});

describe("OPEN-7 / FEP-4: Direct Send inside an FEP is free only when the host says so", () => {
  const tier2026 = era("pmp-service-tier-2026");
  const direct: PricedMessage = { category: "utility", reaction: false, directSend: true };
  const inFep = { windowOpen: true, fepOpen: true, at: NOV_2026 };

  it("FEP-4: with directSendFreeInFep it is free, as an FEP message", () => {
    const p = priceMessage(tier2026, direct, { ...inFep, directSendFreeInFep: true });
    expect([p.charge, p.type]).toEqual(["free", "free_entry_point"]);
    expect(p.note).toContain("FEP-4");
  });

  it("OPEN-7: without it (absent or false) it is charged until Meta says otherwise", () => {
    for (const directSendFreeInFep of [undefined, false]) {
      const p = priceMessage(tier2026, direct, { ...inFep, directSendFreeInFep });
      expect([p.charge, p.type]).toEqual(["charged", "regular"]);
      expect(p.note).toContain("OPEN-7");
    }
  });
});

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A host era with one case for everything, both changed in place as a host's config might. */
function hostEra(note: ChargeCase["note"] = "one"): [Mutable<PricingEra>, Mutable<ChargeCase>] {
  const c: Mutable<ChargeCase> = { charge: "free", type: "regular", note, rules: [] };
  const e: Mutable<PricingEra> = { ...era("pmp-service-tier-2026"), charges: [c] };
  return [e, c];
}

describe("PRICE-5: the last price of a charge case is handed out again while nothing changed", () => {
  const inWindow = { windowOpen: true, fepOpen: false, at: NOV_2026 };

  it("the same message again gets the same frozen price object", () => {
    const [e] = hostEra();
    const a = priceMessage(e, SERVICE, inWindow);
    expect(priceMessage(e, SERVICE, inWindow)).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it("an era priced again after another era keeps its prices", () => {
    const [a] = hostEra();
    const [b] = hostEra();
    const first = priceMessage(a, SERVICE, inWindow);
    priceMessage(b, SERVICE, inWindow);
    expect(priceMessage(a, SERVICE, inWindow)).toBe(first);
  });

  it("DIRECT-6: Direct Sends of two categories (one charge case) each keep their category", () => {
    const [e] = hostEra();
    const utility = { category: "utility", reaction: false, directSend: true } as const;
    const marketing = { category: "marketing", reaction: false, directSend: true } as const;
    expect(priceMessage(e, utility, inWindow).category).toBe("utility");
    expect(priceMessage(e, marketing, inWindow).category).toBe("marketing");
    expect(priceMessage(e, utility, inWindow).category).toBe("utility");
  });

  it("OPEN-6: the same case in another zone dates its note in that zone", () => {
    const [e] = hostEra((v) => `from ${v.from()}`);
    expect(priceMessage(e, SERVICE, inWindow).note).toBe("from 2026-10-01 00:00 UTC");
    expect(priceMessage(e, SERVICE, { ...inWindow, timeZone: "Asia/Kolkata" }).note).toBe(
      "from 2026-10-01 00:00 (Asia/Kolkata)",
    );
  });

  it("PRICE-5: a note reads the era's tier when no count is given: no month, 0 used", () => {
    const [e] = hostEra((v) => `${v.used} of ${v.limit} [${v.month}] ${v.category}`);
    e.serviceTier = 1000;
    expect(priceMessage(e, SERVICE, inWindow).note).toBe("0 of 1000 [] service");
    e.serviceTier = 250;
    expect(priceMessage(e, SERVICE, inWindow).note).toBe("0 of 250 [] service");
  });

  it("an era renamed in place prices under its new id", () => {
    const [e] = hostEra();
    expect(priceMessage(e, SERVICE, inWindow).era).toBe("pmp-service-tier-2026");
    e.id = "my-era" as PricingEra["id"];
    expect(priceMessage(e, SERVICE, inWindow).era).toBe("my-era");
  });

  it("PRICE-7: a case's charge changed in place reaches the next price", () => {
    const [e, c] = hostEra();
    expect(priceMessage(e, SERVICE, inWindow).charge).toBe("free");
    c.charge = "charged";
    expect(priceMessage(e, SERVICE, inWindow).charge).toBe("charged");
  });

  it("FEP-4: a case's type changed in place reaches the next price", () => {
    const [e, c] = hostEra();
    expect(priceMessage(e, SERVICE, inWindow).type).toBe("regular");
    c.type = "free_entry_point";
    expect(priceMessage(e, SERVICE, inWindow).type).toBe("free_entry_point");
  });

  it("a case's note changed in place reaches the next price", () => {
    const [e, c] = hostEra();
    expect(priceMessage(e, SERVICE, inWindow).note).toBe("one");
    c.note = "two";
    expect(priceMessage(e, SERVICE, inWindow).note).toBe("two");
  });

  it("PRICE-5: a case that starts reporting the tier figures reports them on the next price", () => {
    const [e, c] = hostEra();
    const ctx = { ...inWindow, tier: { used: 3, limit: 1000, month: "2026-11" } };
    expect(Object.keys(priceMessage(e, SERVICE, ctx))).not.toContain("tier");
    c.withTier = true;
    expect(priceMessage(e, SERVICE, ctx).tier).toEqual({ used: 3, limit: 1000, month: "2026-11" });
  });

  it("PRICE-5: a case reporting the tier figures has none to report without a count", () => {
    const [e, c] = hostEra();
    c.withTier = true;
    expect(Object.keys(priceMessage(e, SERVICE, inWindow))).not.toContain("tier");
  });
});
