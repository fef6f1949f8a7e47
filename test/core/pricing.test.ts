import { describe, expect, it } from "vitest";
import {
  type DecideOptions,
  type Decision,
  ERAS,
  type Intent,
  InvalidInputError,
  type PricingEra,
  type PricingInfo,
  type ThreadEvent,
} from "../../src/index.js";
import { eraAt } from "../../src/window/evaluate.js";
import { priceCase } from "../../src/window/pricing.js";
import {
  AUTHENTICATION,
  adEntry,
  consent,
  DAY,
  DIRECT_UTILITY,
  decideOn,
  FREE_FORM,
  HOUR,
  inbound,
  MARKETING,
  marketingPref,
  outbound,
  REACTION,
  ruleIds,
  T25,
  T26,
  UTILITY,
} from "./fixtures.js";

type Column = "fep" | "csw" | "outside";
type Expect = Pick<PricingInfo, "charge" | "type"> | "not allowed";

/** Builds the three columns of the PRICE-4 table around `base`; decisions at base + 2 h. */
function column(base: number, col: Column): ThreadEvent[] {
  const optIn = consent(base - 10 * DAY, "opt-in", "all");
  if (col === "fep") return [adEntry(base), outbound(base + HOUR), optIn];
  if (col === "csw") return [inbound(base), optIn];
  return [inbound(base - 3 * DAY), optIn];
}

const FREE_FEP = { charge: "free", type: "free_entry_point" } as const;
const FREE_CSW = { charge: "free", type: "free_customer_service" } as const;
const CHARGED = { charge: "charged", type: "regular" } as const;

const rows: [string, Intent, Record<Column, Expect>, Record<Column, Expect>][] = [
  //            intent        pmp-2025                                          pmp-service-tier-2026
  [
    "marketing template",
    MARKETING,
    { fep: FREE_FEP, csw: CHARGED, outside: CHARGED },
    { fep: FREE_FEP, csw: CHARGED, outside: CHARGED },
  ],
  [
    "utility template",
    UTILITY,
    { fep: FREE_FEP, csw: FREE_CSW, outside: CHARGED },
    { fep: FREE_FEP, csw: CHARGED, outside: CHARGED },
  ],
  [
    "authentication template",
    AUTHENTICATION,
    { fep: FREE_FEP, csw: CHARGED, outside: CHARGED },
    { fep: FREE_FEP, csw: CHARGED, outside: CHARGED },
  ],
  [
    "service (free-form) message",
    FREE_FORM,
    { fep: FREE_FEP, csw: FREE_CSW, outside: "not allowed" },
    { fep: FREE_FEP, csw: FREE_CSW, outside: "not allowed" }, // tier given below: 10 used
  ],
  [
    "reaction",
    REACTION,
    { fep: FREE_FEP, csw: FREE_CSW, outside: "not allowed" },
    { fep: FREE_FEP, csw: FREE_CSW, outside: "not allowed" },
  ],
  [
    "Direct Send utility",
    DIRECT_UTILITY,
    { fep: CHARGED, csw: CHARGED, outside: CHARGED }, // FEP column: OPEN-7 default
    { fep: CHARGED, csw: CHARGED, outside: CHARGED },
  ],
];

describe("PRICE-4: charge table of the per-message eras", () => {
  const eras: [era: string, base: number, column: 2 | 3][] = [
    ["pmp-2025", T25, 2],
    ["pmp-service-tier-2026", T26, 3],
  ];
  for (const [era, base, idx] of eras) {
    for (const row of rows) {
      const [name, intent] = row;
      const table = row[idx];
      for (const col of ["fep", "csw", "outside"] as const) {
        const want = table[col];
        it(`PRICE-4 (${era}): ${name}, ${col === "fep" ? "inside an open FEP" : col === "csw" ? "inside an open CSW, no FEP" : "outside any window"} → ${want === "not allowed" ? "not allowed" : want.charge}`, () => {
          const options: DecideOptions = {
            serviceTier: { used: 10 },
            directSendEligible: true,
          };
          const d = decideOn(column(base, col), intent, base + 2 * HOUR, options);
          expect(d.pricing.era).toBe(era);
          expect(d.freeEntryPoint.open).toBe(col === "fep");
          expect(d.window.open).toBe(col !== "outside");
          if (want === "not allowed") {
            expect(d.outcome).not.toBe("session");
            return;
          }
          expect(d.outcome).not.toBe("blocked");
          expect(d.pricing).toMatchObject(want);
          expect(ruleIds(d)).toContain("PRICE-4");
        });
      }
    }
  }
});

describe("PRICE-5: the monthly free service tier (2026-10-01 on)", () => {
  const events = [inbound(T26)];
  const now = T26 + HOUR;

  it("PRICE-5: tier given with room left → free, tier reported", () => {
    const d = decideOn(events, FREE_FORM, now, { serviceTier: { used: 999 } });
    expect(d.pricing).toMatchObject({
      charge: "free",
      type: "free_customer_service",
      tier: { used: 999, limit: 1000, month: "2026-11" },
    });
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["PRICE-5", "OPEN-5"]));
  });

  it("PRICE-5: tier exhausted (1,000 used) → charged at the utility rate", () => {
    const d = decideOn(events, FREE_FORM, now, { serviceTier: { used: 1000 } });
    expect(d.pricing).toMatchObject({ charge: "charged", type: "regular", category: "service" });
    expect(d.pricing.tier).toEqual({ used: 1000, limit: 1000, month: "2026-11" });
  });

  it("PRICE-5 / OPEN-5: tier not given → unknown, and the decision says so", () => {
    const d = decideOn(events, FREE_FORM, now);
    expect(d.pricing.charge).toBe("unknown");
    expect(d.pricing.tier).toBeUndefined();
    expect(d.pricing.note).toMatch(/not given/);
    expect(d.pricing.note).toContain("1000");
  });

  it("PRICE-4: reactions never use up the tier (free even when it is exhausted)", () => {
    const d = decideOn(events, REACTION, now, { serviceTier: { used: 5000 } });
    expect(d.pricing).toMatchObject({ charge: "free", type: "free_customer_service" });
  });

  it("PRICE-5 / OPEN-6: the month is the calendar month in the account's time zone", () => {
    const at = Date.parse("2026-12-01T02:00:00Z"); // 2026-11-30 23:00 in São Paulo
    const e = [inbound(at - HOUR)];
    const sp = decideOn(e, FREE_FORM, at, {
      serviceTier: { used: 1 },
      timeZone: "America/Sao_Paulo",
    });
    const utc = decideOn(e, FREE_FORM, at, { serviceTier: { used: 1 } });
    expect(sp.pricing.tier?.month).toBe("2026-11");
    expect(utc.pricing.tier?.month).toBe("2026-12");
  });

  it("PRICE-5: a month the host gives is reported as given", () => {
    const d = decideOn(events, FREE_FORM, now, { serviceTier: { used: 3, month: "2026-11" } });
    expect(d.pricing.tier?.month).toBe("2026-11");
  });

  it("PRICE-5: in pmp-2025 there is no tier; service is free and no tier is reported", () => {
    const d = decideOn([inbound(T25)], FREE_FORM, T25 + HOUR, { serviceTier: { used: 5000 } });
    expect(d.pricing).toMatchObject({ charge: "free", type: "free_customer_service" });
    expect(d.pricing.tier).toBeUndefined();
  });
});

describe("PRICE-8: government and non-profit exemption (2026-10-01 … 2027-12-31)", () => {
  const exhausted = { serviceTier: { used: 1000 }, governmentExempt: true } as const;

  it("PRICE-8: service beyond the tier is free for an exempt sender", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, exhausted);
    expect(d.pricing.charge).toBe("free");
    expect(d.pricing.note).toContain("PRICE-8");
  });

  it("PRICE-8: the exemption covers 2027-12-31 and ends at 2028-01-01", () => {
    const end = Date.parse("2028-01-01T00:00:00Z");
    const e = [inbound(end - 2 * HOUR)];
    expect(decideOn(e, FREE_FORM, end - 1, exhausted).pricing.charge).toBe("free");
    expect(decideOn(e, FREE_FORM, end, exhausted).pricing.charge).toBe("charged");
  });

  it("PRICE-8: without the declaration the same message is charged", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, { serviceTier: { used: 1000 } });
    expect(d.pricing.charge).toBe("charged");
  });

  it("PRICE-8: the exemption does not make templates free", () => {
    const d = decideOn([inbound(T26)], UTILITY, T26 + HOUR, exhausted);
    expect(d.pricing.charge).toBe("charged");
  });
});

describe("PRICE-23: earlier eras say only what is certain", () => {
  const at = (iso: string) => Date.parse(iso);
  const inWindow = (base: number, intent: Intent, extra: ThreadEvent[] = []): Decision =>
    decideOn([inbound(base), ...extra], intent, base + HOUR);

  it("PRICE-23 (hsm-2019): in-window free-form is free, templates are charged", () => {
    const base = at("2020-06-01T10:00:00Z");
    const ff = inWindow(base, FREE_FORM);
    expect(ff.pricing).toMatchObject({
      era: "hsm-2019",
      charge: "free",
      type: "free_customer_service",
    });
    for (const intent of [MARKETING, UTILITY, AUTHENTICATION]) {
      expect(inWindow(base, intent).pricing).toMatchObject({ era: "hsm-2019", charge: "charged" });
    }
    const outside = decideOn(
      [inbound(base - 3 * DAY), consent(base - 4 * DAY, "opt-in", "all")],
      UTILITY,
      base,
    );
    expect(outside.pricing).toMatchObject({ charge: "charged" });
    expect(outside.pricing.note).toMatch(/not modelled|unknown/i);
  });

  const conversationEras: [string, string][] = [
    ["cbp-2022", "2022-06-01T10:00:00Z"],
    ["cbp-categories-2023", "2024-01-15T10:00:00Z"],
    ["cbp-free-service-2024", "2025-01-15T10:00:00Z"],
  ];
  for (const [era, iso] of conversationEras) {
    const base = at(iso);

    it(`PRICE-23 (${era}): templates are unknown, with the reason`, () => {
      for (const intent of [MARKETING, UTILITY, AUTHENTICATION]) {
        const d = inWindow(base, intent);
        expect(d.pricing).toMatchObject({ era, charge: "unknown" });
        expect(d.pricing.note).toContain("PRICE-23");
        expect(ruleIds(d)).toContain("PRICE-23");
      }
    });

    it(`PRICE-23 (${era}): everything inside an open FEP is free`, () => {
      const d = decideOn([adEntry(base), outbound(base + HOUR)], MARKETING, base + 2 * HOUR);
      expect(d.pricing).toMatchObject({ era, charge: "free", type: "free_entry_point" });
    });

    const freeService = era === "cbp-free-service-2024";
    it(`PRICE-23 (${era}): an in-window free-form reply is ${freeService ? "free" : "unknown"}`, () => {
      const d = inWindow(base, FREE_FORM);
      expect(d.pricing.charge).toBe(freeService ? "free" : "unknown");
    });
  }
});

describe("PRICE-1 / PRICE-2 / OPEN-6: the era is picked by `now` in the account's time zone", () => {
  it("PRICE-1: each era starts at 00:00 UTC on its date when no time zone is given", () => {
    for (const era of ERAS.slice(1)) {
      const start = Date.parse(`${era.from}T00:00:00Z`);
      const prev = ERAS[ERAS.indexOf(era) - 1] as PricingEra;
      expect(eraAt(start - 1).id).toBe(prev.id);
      expect(eraAt(start).id).toBe(era.id);
    }
    expect(eraAt(Date.parse("2019-01-01T00:00:00Z")).id).toBe("hsm-2019");
  });

  it("PRICE-2 / OPEN-6: pmp-2025 begins at 00:00 America/Sao_Paulo (03:00 UTC), not 00:00 UTC", () => {
    const sp = { timeZone: "America/Sao_Paulo" } as const;
    const e = [inbound(Date.parse("2025-06-30T20:00:00Z"))];
    const mid = Date.parse("2025-07-01T02:00:00Z"); // 23:00 on 30 June in São Paulo
    expect(decideOn(e, UTILITY, mid).pricing.era).toBe("pmp-2025");
    expect(decideOn(e, UTILITY, mid, sp).pricing.era).toBe("cbp-free-service-2024");
    expect(decideOn(e, UTILITY, Date.parse("2025-07-01T03:00:00Z") - 1, sp).pricing.era).toBe(
      "cbp-free-service-2024",
    );
    expect(decideOn(e, UTILITY, Date.parse("2025-07-01T03:00:00Z"), sp).pricing.era).toBe(
      "pmp-2025",
    );
  });

  it("PRICE-2 / OPEN-6: the 2026-10-01 switch in São Paulo changes in-window utility from free to charged", () => {
    const sp = { timeZone: "America/Sao_Paulo" } as const;
    const e = [inbound(Date.parse("2026-09-30T22:00:00Z"))];
    const before = decideOn(e, UTILITY, Date.parse("2026-10-01T02:59:59.999Z"), sp);
    const after = decideOn(e, UTILITY, Date.parse("2026-10-01T03:00:00Z"), sp);
    expect(before.pricing).toMatchObject({ era: "pmp-2025", charge: "free" });
    expect(after.pricing).toMatchObject({ era: "pmp-service-tier-2026", charge: "charged" });
  });

  it("OPEN-6: a zone east of UTC switches earlier (Asia/Tokyo)", () => {
    const at = Date.parse("2026-09-30T15:00:00Z"); // 2026-10-01 00:00 JST
    expect(eraAt(at, "Asia/Tokyo").id).toBe("pmp-service-tier-2026");
    expect(eraAt(at - 1, "Asia/Tokyo").id).toBe("pmp-2025");
    expect(eraAt(at).id).toBe("pmp-2025");
  });

  it("OPEN-6: without a time zone the decision notes that UTC was assumed", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR);
    expect(d.notes.join(" ")).toContain("OPEN-6");
    expect(ruleIds(d)).toContain("OPEN-6");
    const z = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, { timeZone: "Europe/Berlin" });
    expect(z.notes.join(" ")).not.toContain("OPEN-6");
  });

  it("PRICE-2: a pinned era id overrides `now`", () => {
    const d = decideOn([inbound(T26)], UTILITY, T26 + HOUR, { era: "pmp-2025" });
    expect(d.pricing).toMatchObject({ era: "pmp-2025", charge: "free" });
  });

  it("PRICE-2: an unknown pinned era id is a typed error naming options.era", () => {
    expect(() =>
      decideOn([inbound(T26)], UTILITY, T26, { era: "pmp-2030" as "pmp-2025" }),
    ).toThrowError(expect.objectContaining({ code: "invalid-argument", field: "options.era" }));
  });

  it("PRICE-2: a custom era object is used as given (e.g. a 2,000-message tier)", () => {
    const base = ERAS.find((e) => e.id === "pmp-service-tier-2026") as PricingEra;
    const custom: PricingEra = { ...base, serviceTier: 2000, title: "negotiated tier" };
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, {
      era: custom,
      serviceTier: { used: 1500 },
    });
    expect(d.pricing).toMatchObject({ charge: "free", tier: { used: 1500, limit: 2000 } });
    const alsoUtility = decideOn([inbound(T25)], UTILITY, T25 + HOUR, { era: custom });
    expect(alsoUtility.pricing).toMatchObject({ era: "pmp-service-tier-2026", charge: "charged" });
  });
});

describe("OPEN-8 / PRICE-7: no payment method on file", () => {
  const noCard = { paymentMethodOnFile: false } as const;

  it("OPEN-8: a charged message is blocked payment-method-missing", () => {
    const d = decideOn([inbound(T26)], MARKETING, T26 + HOUR, noCard);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("payment-method-missing");
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["PRICE-7", "OPEN-8"]));
  });

  it("OPEN-8: service beyond the tier is blocked; within the tier it goes", () => {
    const e = [inbound(T26)];
    expect(
      decideOn(e, FREE_FORM, T26 + HOUR, { ...noCard, serviceTier: { used: 1000 } }).reason,
    ).toBe("payment-method-missing");
    expect(
      decideOn(e, FREE_FORM, T26 + HOUR, { ...noCard, serviceTier: { used: 999 } }).outcome,
    ).toBe("session");
  });

  it("OPEN-8: a service message whose tier usage is unknown is blocked (it may be charged)", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, noCard);
    // #15 item 7: blocked, so nothing is charged; the price that blocked it is kept in wouldBe.
    expect(d.pricing.charge).toBe("not-sent");
    expect(d.pricing.charge === "not-sent" && d.pricing.wouldBe?.charge).toBe("unknown");
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("payment-method-missing");
    expect(d.explanation).toContain("price is unknown");
  });

  it("OPEN-8: free messages go (FEP template, pmp-2025 service)", () => {
    const fep = decideOn([adEntry(T26), outbound(T26 + HOUR)], MARKETING, T26 + 2 * HOUR, noCard);
    expect(fep.outcome).toBe("session");
    expect(decideOn([inbound(T25)], FREE_FORM, T25 + HOUR, noCard).outcome).toBe("session");
  });

  it("OPEN-8: the default (payment method on file) never blocks for billing", () => {
    const d = decideOn([inbound(T26)], MARKETING, T26 + HOUR);
    expect(d.reason).not.toBe("payment-method-missing");
  });
});

describe("OPEN-14 / TPL-7: a template whose category is unknown", () => {
  const unknown: Intent = { kind: "template", category: "unknown", name: "legacy_promo" };

  it("OPEN-14: priced as charged with category unknown, and noted", () => {
    const d = decideOn([inbound(T26)], unknown, T26 + HOUR);
    expect(d.outcome).toBe("session");
    expect(d.pricing).toMatchObject({ charge: "charged", category: "unknown", type: "regular" });
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["TPL-7", "OPEN-14"]));
    expect(d.notes.join(" ")).toContain("OPEN-14");
    // Its own charge case (OPEN-14), not the marketing one (PRICE-4) it is consented as.
    expect(d.pricing.note).toContain("OPEN-14");
    expect(d.pricing.note).not.toContain("PRICE-4");
  });

  it("TPL-7: consented as marketing (a marketing stop blocks it)", () => {
    const d = decideOn([inbound(T26), marketingPref(T26 - HOUR, "stop")], unknown, T26 + HOUR);
    expect(d.reason).toBe("marketing-stopped");
  });

  it("TPL-7: outside the window a utility opt-in does not cover it, a marketing one does", () => {
    const old = inbound(T26 - 3 * DAY);
    expect(decideOn([old, consent(T26 - DAY, "opt-in", "utility")], unknown, T26).reason).toBe(
      "no-opt-in",
    );
    expect(decideOn([old, consent(T26 - DAY, "opt-in", "marketing")], unknown, T26).outcome).toBe(
      "template",
    );
  });

  it("TPL-7: a US customer gets no uncatalogued template (it may be marketing; CONSENT-8)", () => {
    const d = decideOn([inbound(T26)], unknown, T26 + HOUR, { customer: "12125551234" });
    expect(d.reason).toBe("category-unknown");
  });
});

describe("typed errors are not thrown for expected outcomes", () => {
  it("ERR / CSW-11: a closed window with no consent is a value, not an exception", () => {
    expect(() => decideOn([], MARKETING, T26)).not.toThrow();
    expect(() => decideOn([], MARKETING, T26)).not.toThrow(InvalidInputError);
  });
});

describe("PRICE-5 / PRICE-4: notes are written from the values of each price (memoised per case)", () => {
  const era = eraAt(Date.parse("2026-11-26T09:00:00Z"), "UTC");
  const service = { category: "service", reaction: false, directSend: false } as const;
  const at = Date.parse("2026-11-26T09:00:00Z");
  const note = (used: number, month: string, timeZone?: string) =>
    priceCase(era, service, {
      windowOpen: true,
      fepOpen: false,
      at,
      tier: { used, limit: 1000, month },
      timeZone,
    }).pricing.note;

  it("a changed count, month or zone is never served the previous note", () => {
    expect(note(120, "2026-11")).toBe(note(120, "2026-11"));
    expect(note(121, "2026-11")).toContain("121 of 1000");
    expect(note(120, "2026-11")).toContain("120 of 1000");
    expect(note(120, "2026-12")).toContain("2026-12");
    const utility = { category: "utility", reaction: false, directSend: false } as const;
    const from = (timeZone: string) =>
      priceCase(era, utility, { windowOpen: true, fepOpen: false, at, timeZone }).pricing.note;
    expect(from("UTC")).toContain("UTC");
    expect(from("America/Sao_Paulo")).toContain("(America/Sao_Paulo)");
    expect(from("UTC")).not.toContain("Sao_Paulo");
  });
});
