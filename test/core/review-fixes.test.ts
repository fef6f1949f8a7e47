/**
 * Regression tests for the findings of the rulebook review of the core (each reproduced the bug
 * before its fix).
 */
import { describe, expect, it } from "vitest";
import { decide, ERAS, emptyState, mergeStates, plainDecision } from "../../src/index.js";
import { priceMessage } from "../../src/window/pricing.js";
import { carriedOver, type ThreadState, withCarried } from "../../src/window/state.js";
import {
  adEntry,
  consent,
  DAY,
  DIRECT_UTILITY,
  decideOn,
  FREE_FORM,
  failed,
  fold,
  HOUR,
  inbound,
  MARKETING,
  marketingPref,
  outbound,
  ruleIds,
  status,
  T26,
  THREAD,
  UTILITY,
} from "./fixtures.js";

const T0 = Date.parse("2026-11-20T09:00:00Z");

describe("FEP-2: only a real business send activates a free entry point", () => {
  it("FEP-2: a `read` status of a template sent before the ad entry is not the reply", () => {
    const events = [adEntry(T0), status(T0 + 5_000, { status: "read" })];
    const d = decideOn(events, MARKETING, T0 + 30 * HOUR, { requireOptIn: false });
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });

  it("FEP-2: a failed reply activates nothing", () => {
    const events = [adEntry(T0), failed(T0 + HOUR, 131026)];
    const d = decideOn(events, MARKETING, T0 + 30 * HOUR, { requireOptIn: false });
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });

  it("FEP-2: a `sent` status inside the entry's window does (it dates a business send)", () => {
    const events = [adEntry(T0), status(T0 + HOUR, { status: "sent" })];
    const d = decideOn(events, MARKETING, T0 + 30 * HOUR, { requireOptIn: false });
    expect(d.freeEntryPoint).toMatchObject({ open: true, source: "estimated" });
    expect(d.pricing.charge).toBe("free");
  });
});

describe("CONSENT-7: the 131049 back-off", () => {
  it("CONSENT-7: a retry-after shorter than 24 h never shortens the floor", () => {
    const s = fold(failed(T26, 131049, { message: "template", retryAfter: T26 + 60_000 }));
    expect(s.marketingLimitedUntil).toBe(T26 + DAY);
  });

  it("CONSENT-7: a longer retry-after is kept", () => {
    const s = fold(failed(T26, 131049, { message: "template", retryAfter: T26 + 3 * DAY }));
    expect(s.marketingLimitedUntil).toBe(T26 + 3 * DAY);
  });
});

describe("CONSENT-8 / OPEN-18 / ID-3: every US number, however it is written", () => {
  for (const customer of ["+1 415 555 0100", "1-415-555-0100", "+1 (415) 555-0100", "US.9"]) {
    it(`CONSENT-8: ${customer} is paused for marketing`, () => {
      const d = decide(fold(inbound(T26)), MARKETING, T26 + HOUR, { customer });
      expect(d.reason).toBe("us-marketing-paused");
    });
  }
  // OPEN-18 (changed 2026-12-06): Canada, the Caribbean and US territories are not covered.
  for (const customer of ["+1 416 555 0100", "+1 876 555 0100", "PR.123", "CA.9"]) {
    it(`OPEN-18: ${customer} is not paused for marketing`, () => {
      const d = decide(fold(inbound(T26)), MARKETING, T26 + HOUR, { customer });
      expect(d.outcome).toBe("session");
    });
  }
  it("CONSENT-8: a Brazilian number is not", () => {
    const d = decide(fold(inbound(T26)), MARKETING, T26 + HOUR, { customer: THREAD.customer });
    expect(d.outcome).toBe("session");
  });
});

describe("OPEN-4: fepRequirePlatform keeps prose and price consistent", () => {
  it("OPEN-4: an estimated FEP priced as charged is not called free in the explanation", () => {
    const events = [adEntry(T0), outbound(T0 + HOUR), consent(T0, "opt-in", "all")];
    const d = decideOn(events, UTILITY, T0 + 30 * HOUR, { fepRequirePlatform: true });
    expect(d.pricing.charge).toBe("charged");
    expect(d.explanation).not.toContain("free until");
    for (const a of d.alternatives) expect(a.text).not.toContain("free until");
    expect(ruleIds(d)).toContain("OPEN-4");
  });
});

describe("PRICE-8 / OPEN-6: the exemption ends at midnight in the account's time zone", () => {
  const lateUtc = Date.parse("2027-12-31T15:30:00Z"); // already 2028-01-01 in Tokyo
  const options = {
    governmentExempt: true,
    timeZone: "Asia/Tokyo",
    serviceTier: { used: 5000 },
  } as const;
  it("PRICE-8: in Tokyo the exemption is over at 15:30 UTC on 2027-12-31", () => {
    const d = decideOn([inbound(lateUtc - HOUR)], FREE_FORM, lateUtc, options);
    expect(d.pricing.charge).toBe("charged");
  });
  it("PRICE-8: earlier that day it still applies, and is cited", () => {
    const earlier = lateUtc - 2 * HOUR;
    const d = decideOn([inbound(earlier - HOUR)], FREE_FORM, earlier, options);
    expect(d.pricing.charge).toBe("free");
    expect(ruleIds(d)).toContain("PRICE-8");
  });
});

describe("PRICE-5 / OPEN-5: a service-tier count for another month is ignored", () => {
  it("PRICE-5: used 1,500 in October says nothing about November", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, {
      serviceTier: { used: 1500, month: "2026-10" },
    });
    expect(d.pricing.charge).toBe("unknown");
    expect(d.notes.join(" ")).toContain("2026-10");
  });
});

describe("DIRECT-2: Direct Send eligibility is noted inside the window too", () => {
  it("DIRECT-2: an ineligible account's Direct Send in an open window carries the note", () => {
    const d = decideOn(
      [inbound(T26), consent(T26, "opt-in", "utility")],
      DIRECT_UTILITY,
      T26 + HOUR,
    );
    expect(d.notes.join(" ")).toContain("DIRECT-2");
    expect(ruleIds(d)).toContain("DIRECT-2");
  });
});

describe("explanations that match the case", () => {
  it("CONSENT-4: a Direct Send blocked by a utility opt-out names utility, not all messages", () => {
    const d = decideOn([consent(T26, "opt-out", "utility")], DIRECT_UTILITY, T26 + HOUR);
    expect(d.reason).toBe("opted-out");
    expect(d.explanation).toContain("utility messages");
  });

  it("CSW-7 / OPEN-3: a reaction alone is not 'never written'", () => {
    const d = decideOn([inbound(T26, { type: "reaction" })], FREE_FORM, T26 + HOUR, {
      requireOptIn: false,
    });
    expect(d.reason).toBe("no-inbound");
    expect(d.explanation).not.toContain("never written");
    expect(d.explanation).toContain("opens the window");
  });

  it("CONSENT-2 / CONSENT-5: a marketing opt-in plus a stop is not 'no opt-in is recorded'", () => {
    const events = [
      inbound(T26),
      consent(T26, "opt-in", "marketing"),
      marketingPref(T26 + 1, "stop"),
    ];
    const d = decideOn(events, FREE_FORM, T26 + 2 * DAY);
    expect(d.outcome).toBe("blocked");
    expect(d.explanation).toContain("marketing: stopped by the customer");
    expect(d.explanation).toContain("utility: no recorded opt-in");
  });

  it("CSW-12: a 131047 closure is named even when the reason is no-opt-in", () => {
    const events = [inbound(T26), failed(T26 + HOUR, 131047)];
    const d = decideOn(events, FREE_FORM, T26 + 2 * HOUR);
    expect(d.reason).toBe("no-opt-in");
    expect(d.explanation).toContain("131047");
    expect(ruleIds(d)).toContain("CSW-12");
  });

  it("CSW-11: a free-form intent says which templates may replace it", () => {
    const events = [inbound(T26), consent(T26, "opt-in", "marketing")];
    const d = decideOn(events, FREE_FORM, T26 + 2 * DAY);
    expect(d.outcome).toBe("template");
    expect(d.explanation).toContain("only a marketing template may go");
  });
});

describe("folding laws, serialisation and identity changes", () => {
  it("mergeStates(a, b) and mergeStates(b, a) serialise identically (key order)", () => {
    const a = fold(inbound(T26, { type: "reaction" }), consent(T26, "opt-in", "utility"));
    const b = fold(inbound(T26 + 1), consent(T26, "opt-out", "all"));
    expect(JSON.stringify(mergeStates(a, b))).toBe(JSON.stringify(mergeStates(b, a)));
  });

  // The new number's state after a change, as a decision reads it.
  const moved = (s: ThreadState) => withCarried(mergeStates(emptyState(), carriedOver(s)));

  it("OPEN-15: an opt-out lifted by a later opt-in of everything does not carry over", () => {
    const s = fold(consent(T26, "opt-out", "marketing"), consent(T26 + 1, "opt-in", "all"));
    expect(moved(s).consent).toEqual({});
  });

  it("OPEN-15: an opt-out still in force does", () => {
    const s = fold(consent(T26, "opt-in", "all"), consent(T26 + 1, "opt-out", "marketing"));
    expect(moved(s).consent.marketing).toMatchObject({ action: "opt-out" });
    // Carried opt-ins grant nothing: requireOptIn still needs the new number's own.
    expect(moved(s).consent.all).toBeUndefined();
  });

  it("a consent source is never cut inside a surrogate pair", () => {
    const s = fold(consent(T26, "opt-in", "all", `${"a".repeat(31)}🚀tail`));
    const source = s.consent.all?.source ?? "";
    expect(source).toBe("a".repeat(31));
    expect(() => encodeURIComponent(source)).not.toThrow();
  });
});

describe("priceMessage and plainDecision", () => {
  it("PRICE-4 / CSW-11 / FEP-5: a service message outside the window has no price", () => {
    const era = ERAS.find((e) => e.id === "pmp-2025");
    if (era === undefined) throw new Error("era missing");
    const p = priceMessage(
      era,
      { category: "service", reaction: false, directSend: false },
      { windowOpen: false, fepOpen: true, at: T26 },
    );
    expect(p.charge).toBe("unknown");
    expect(p.note).toContain("CSW-11");
  });

  it("plainDecision gives a spread- and clone-safe copy with every field", () => {
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + HOUR);
    const copy = structuredClone({ ...plainDecision(d) });
    expect(copy.explanation).toBe(d.explanation);
    expect(copy.window.closesAt).toEqual(d.window.closesAt);
    expect(Object.keys(copy)).not.toContain("tag");
  });
});

describe("OPEN-19: deregistered periods", () => {
  it("OPEN-19: the latest inbound inside a deregistered period does not open the window", () => {
    const deregistered = [{ from: T26 - HOUR, until: new Date(T26 + HOUR) }];
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + 2 * HOUR, {
      deregistered,
      requireOptIn: false,
    });
    expect(d.window.open).toBe(false);
    expect(ruleIds(d)).toContain("OPEN-19");
  });
  it("OPEN-19: inbound after the period counts", () => {
    const deregistered = [{ from: T26 - 3 * HOUR, until: T26 - HOUR }];
    const d = decideOn([inbound(T26)], FREE_FORM, T26 + 2 * HOUR, { deregistered });
    expect(d.outcome).toBe("session");
  });
  it("OPEN-19: a malformed period is a typed error naming the field", () => {
    const deregistered = [{ from: T26, until: Number.NaN }];
    expect(() => decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, { deregistered })).toThrow(
      expect.objectContaining({ field: "options.deregistered[0].until" }),
    );
  });
  it("OPEN-19: a hole in the list is a missing period, named by the options check", () => {
    // `[, period]`: the check once skipped holes (forEach), and the window read them.
    const deregistered: { from: number; until: number }[] = [];
    deregistered[1] = { from: T26 - 3 * HOUR, until: T26 - HOUR };
    expect(() => decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, { deregistered })).toThrow(
      expect.objectContaining({ name: "InvalidInputError", field: "options.deregistered[0]" }),
    );
  });
  it("OPEN-19: a hole made in place after the options passed gets the same error", () => {
    const options = { deregistered: [{ from: T26 - 3 * HOUR, until: T26 - HOUR }] };
    expect(decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, options).outcome).toBe("session");
    options.deregistered.length = 3;
    options.deregistered[2] = { from: T26 - 3 * HOUR, until: T26 - HOUR };
    const field = "options.deregistered[1]";
    for (const o of [options, { deregistered: [...options.deregistered] }]) {
      expect(() => decideOn([inbound(T26)], FREE_FORM, T26 + HOUR, o)).toThrow(
        expect.objectContaining({ name: "InvalidInputError", field }),
      );
    }
  });
});

describe("FEP-7 / OPEN-4: a free_entry_point status confirms the FEP", () => {
  const fepDelivered = status(T0 + HOUR, {
    status: "delivered",
    pricing: { model: "PMP", type: "free_entry_point", category: "referral_conversion" },
  });
  it("FEP-7: a delivered status priced free_entry_point (no expiry, v24+) proves the FEP", () => {
    const d = decideOn([adEntry(T0), fepDelivered], MARKETING, T0 + 30 * HOUR, {
      requireOptIn: false,
    });
    expect(d.freeEntryPoint).toMatchObject({ open: true, source: "estimated" });
    expect(d.pricing.charge).toBe("free");
  });
  it("OPEN-4: with fepRequirePlatform, that confirmation is enough to price as free", () => {
    const d = decideOn([adEntry(T0), fepDelivered], MARKETING, T0 + 30 * HOUR, {
      requireOptIn: false,
      fepRequirePlatform: true,
    });
    expect(d.pricing.charge).toBe("free");
  });
});

describe("prose details", () => {
  it("a utility template, an authentication template (articles)", () => {
    const consented = [inbound(T26), consent(T26, "opt-in", "all")];
    expect(decideOn(consented, UTILITY, T26 + HOUR).explanation).toContain("a utility template");
    expect(
      decideOn(consented, { kind: "template", category: "authentication" }, T26 + HOUR).explanation,
    ).toContain("an authentication template");
  });

  it("PRICE-5: a tier count for this month is not called stale, whatever the intent", () => {
    const d = decideOn([inbound(T26)], UTILITY, T26 + HOUR, {
      serviceTier: { used: 3, month: "2026-11" },
    });
    expect(d.notes.join(" ")).not.toContain("was not used");
  });
});
