import { describe, expect, it } from "vitest";
import { type Decision, RULES } from "../../src/index.js";
import {
  adEntry,
  block,
  consent,
  DAY,
  decideOn,
  FREE_FORM,
  failed,
  HOUR,
  inbound,
  MARKETING,
  marketingPref,
  outbound,
  T26,
  UTILITY,
} from "./fixtures.js";

const T = T26;

/** One scenario per reason the WhatsApp decider produces. */
const scenarios: Record<string, () => Decision> = {
  "window-open": () => decideOn([inbound(T)], FREE_FORM, T + HOUR),
  "no-inbound": () => decideOn([consent(T - DAY, "opt-in", "all")], FREE_FORM, T),
  "window-closed": () =>
    decideOn([inbound(T), consent(T, "opt-in", "all")], FREE_FORM, T + DAY + HOUR),
  "window-closed-by-error": () =>
    decideOn(
      [inbound(T), failed(T + HOUR, 131047), consent(T, "opt-in", "all")],
      FREE_FORM,
      T + 2 * HOUR,
    ),
  "opted-out": () =>
    decideOn(
      [inbound(T), consent(T - HOUR, "opt-out", "marketing", "keyword-STOP")],
      MARKETING,
      T + HOUR,
    ),
  "marketing-stopped": () =>
    decideOn([inbound(T), marketingPref(T - HOUR, "stop")], MARKETING, T + HOUR),
  "no-opt-in": () => decideOn([inbound(T)], UTILITY, T + 2 * DAY),
  "marketing-limited": () =>
    decideOn(
      [inbound(T), failed(T + HOUR, 131049, { message: "template" })],
      MARKETING,
      T + 2 * HOUR,
    ),
  "us-marketing-paused": () =>
    decideOn([inbound(T)], MARKETING, T + HOUR, { customer: "+12125551234" }),
  "category-unknown": () =>
    decideOn(
      [inbound(T)],
      { kind: "template", category: "unknown", name: "spring_note" },
      T + HOUR,
      { customer: "+12125551234" },
    ),
  "account-limited": () =>
    decideOn(
      [inbound(T), failed(T + HOUR, 131064, { message: "template", retryAfter: T + 3 * DAY })],
      UTILITY,
      T + 2 * HOUR,
    ),
  "account-billing": () =>
    decideOn(
      [inbound(Date.parse("2027-01-02T09:00:00Z"))],
      FREE_FORM,
      Date.parse("2027-01-02T10:00:00Z"),
      {
        account: { country: "IN", billingCurrency: "USD" },
      },
    ),
  "business-blocked": () => decideOn([inbound(T), block(T, "block")], FREE_FORM, T + HOUR),
  "payment-method-missing": () =>
    decideOn([inbound(T)], MARKETING, T + HOUR, { paymentMethodOnFile: false }),
};

const CLOSES = "2026-11-27 09:00 UTC"; // T + 24 h

describe("explanation: one plain sentence", () => {
  for (const [reason, make] of Object.entries(scenarios)) {
    it(`${reason}: the scenario yields that reason and a single sentence`, () => {
      const d = make();
      expect(d.reason).toBe(reason);
      const text = d.explanation;
      expect(text).toMatch(/^[A-Z].*\.$/s);
      expect(text).not.toMatch(/\n/);
      // no sentence boundary inside: ". " followed by a capital letter
      expect(text.slice(0, -1)).not.toMatch(/[.!?]\s+[A-Z]/);
      expect(text.length).toBeLessThan(300);
    });
  }

  it("CSW-2: an open window's explanation gives the closing time and the time left", () => {
    const d = scenarios["window-open"]!();
    expect(d.explanation).toContain(CLOSES);
    expect(d.explanation).toContain("23 h 0 min left");
  });

  it("CSW-11: a closed window's explanation gives the time it closed", () => {
    expect(scenarios["window-closed"]!().explanation).toContain(`closed at ${CLOSES}`);
    expect(scenarios["no-opt-in"]!().explanation).toContain(CLOSES);
  });

  it("FEP-5: after the CSW, the explanation gives the FEP's end", () => {
    const d = decideOn(
      [adEntry(T), outbound(T + HOUR), consent(T, "opt-in", "all")],
      FREE_FORM,
      T + 30 * HOUR,
    );
    expect(d.explanation).toContain(`closed at ${CLOSES}`);
    expect(d.explanation).toContain("free until 2026-11-29 10:00 UTC");
  });
});

describe("alternatives: what to do instead, per reason", () => {
  const actions = (d: Decision) => d.alternatives.map((a) => a.action);

  it("window-closed: consented templates first, then waiting for the customer", () => {
    const d = scenarios["window-closed"]!();
    expect(actions(d)).toEqual([
      "send-template",
      "send-template",
      "send-template",
      "wait-for-customer",
    ]);
    expect(d.alternatives.slice(0, 3).map((a) => ("category" in a ? a.category : ""))).toEqual([
      "utility",
      "authentication",
      "marketing",
    ]);
    expect(d.alternatives.at(-1)?.text).toMatch(/wait for the customer/i);
  });

  it("window-closed: a template intent is not offered its own category again", () => {
    const d = decideOn([inbound(T), consent(T, "opt-in", "all")], UTILITY, T + 2 * DAY);
    expect(d.outcome).toBe("template");
    const cats = d.alternatives.flatMap((a) => ("category" in a ? [a.category] : []));
    expect(cats).not.toContain("utility");
  });

  it("no-inbound: templates and waiting", () => {
    expect(actions(scenarios["no-inbound"]!())).toContain("wait-for-customer");
    expect(actions(scenarios["no-inbound"]!())).toContain("send-template");
  });

  it("window-closed-by-error: templates and waiting, never a free-form retry", () => {
    const a = actions(scenarios["window-closed-by-error"]!());
    expect(a).toContain("send-template");
    expect(a).not.toContain("send-free-form");
  });

  it("no-opt-in: record the opt-in for that category first", () => {
    const d = scenarios["no-opt-in"]!();
    expect(d.alternatives[0]).toMatchObject({ action: "record-opt-in", scope: "utility" });
    expect(actions(d)).toContain("wait-for-customer");
  });

  it("marketing-stopped: reply free-form while the window is open, or send a non-marketing template", () => {
    const d = scenarios["marketing-stopped"]!();
    expect(d.alternatives[0]).toMatchObject({
      action: "send-free-form",
      until: new Date(T + DAY),
    });
    const cats = d.alternatives.flatMap((a) => ("category" in a ? [a.category] : []));
    expect(cats).toEqual(["utility", "authentication"]);
  });

  it("marketing-limited: retry after the hold, with the instant", () => {
    const d = scenarios["marketing-limited"]!();
    expect(d.alternatives[0]).toMatchObject({
      action: "retry-after",
      at: new Date(T + HOUR + DAY),
    });
  });

  it("opted-out (marketing): other consented categories are offered, never marketing", () => {
    const d = scenarios["opted-out"]!();
    const cats = d.alternatives.flatMap((a) => ("category" in a ? [a.category] : []));
    expect(cats).not.toContain("marketing");
    expect(cats.length).toBeGreaterThan(0);
  });

  it("window-open with a charged utility template: a free-form reply is suggested when service is free (PRICE-4, PRICE-5)", () => {
    const d = decideOn([inbound(T)], UTILITY, T + HOUR, { serviceTier: { used: 10 } });
    expect(d.pricing.charge).toBe("charged");
    expect(d.alternatives).toEqual([
      expect.objectContaining({ action: "send-free-form", until: new Date(T + DAY) }),
    ]);
  });

  it("…but not when the service tier is used up, nor when its price is unknown (PRICE-5)", () => {
    expect(
      decideOn([inbound(T)], UTILITY, T + HOUR, { serviceTier: { used: 5000 } }).alternatives,
    ).toEqual([]);
    expect(decideOn([inbound(T)], UTILITY, T + HOUR).alternatives).toEqual([]);
  });

  it("…and never for authentication templates: only they may carry one-time passcodes (TPL-4)", () => {
    const auth = { kind: "template", category: "authentication" } as const;
    expect(
      decideOn([inbound(T)], auth, T + HOUR, { serviceTier: { used: 10 } }).alternatives,
    ).toEqual([]);
  });

  it("business-blocked: nothing to offer", () => {
    expect(scenarios["business-blocked"]!().alternatives).toEqual([]);
  });
});

describe("rules: IDs and sources", () => {
  const ID = /^(CSW|FEP|PRICE|TPL|CONSENT|ID|ERR|DIRECT|MSG|IG|LIMIT|OPEN)-\d+$/;

  it("every rule of every scenario has an ID, a title and a source URL (OPEN-* cite the policy reference)", () => {
    for (const [reason, make] of Object.entries(scenarios)) {
      const d = make();
      expect(d.rules.length, reason).toBeGreaterThan(0);
      const ids = d.rules.map((r) => r.id);
      expect(new Set(ids).size, `${reason}: duplicate rule ids`).toBe(ids.length);
      for (const r of d.rules) {
        expect(r.id).toMatch(ID);
        expect(r.title.length).toBeGreaterThan(5);
        expect(r.source).toMatch(/^https:\/\/\S+$/);
        if (r.id.startsWith("OPEN-")) expect(r.source).toContain("docs/policy.md#open-");
        expect(RULES[r.id as keyof typeof RULES]).toMatchObject({
          title: r.title,
          source: r.source,
        });
      }
    }
  });

  const expected: Record<string, string[]> = {
    "window-open": ["CSW-1", "CSW-2", "CSW-10", "CONSENT-3", "PRICE-4"],
    "window-closed": ["CSW-2", "CSW-11"],
    "window-closed-by-error": ["CSW-11", "CSW-12"],
    "opted-out": ["CONSENT-4"],
    "marketing-stopped": ["CONSENT-5"],
    "no-opt-in": ["CONSENT-2", "OPEN-17"],
    "marketing-limited": ["CONSENT-7"],
    "us-marketing-paused": ["CONSENT-8", "OPEN-18"],
    "category-unknown": ["CONSENT-8", "OPEN-18", "TPL-7", "OPEN-14"],
    "account-limited": ["ERR-30"],
    "account-billing": ["PRICE-25"],
    "business-blocked": ["CONSENT-9"],
    "payment-method-missing": ["PRICE-7", "OPEN-8"],
  };
  for (const [reason, ids] of Object.entries(expected)) {
    it(`${reason} cites ${ids.join(", ")}`, () => {
      const d = scenarios[reason]!();
      expect(d.rules.map((r) => r.id)).toEqual(expect.arrayContaining(ids));
    });
  }
});

describe("JSON: the lazy prose is part of the serialised decision", () => {
  it("JSON.stringify(decision) contains explanation, alternatives, rules and notes", () => {
    const d = scenarios["window-closed"]!();
    const json = JSON.parse(JSON.stringify(d));
    expect(json.explanation).toBe(d.explanation);
    expect(json.alternatives).toHaveLength(d.alternatives.length);
    expect(json.rules.map((r: { id: string }) => r.id)).toEqual(d.rules.map((r) => r.id));
    expect(json.notes).toEqual([...d.notes]);
    expect(json).toMatchObject({
      outcome: "template",
      reason: "window-closed",
      channel: "whatsapp",
      at: new Date(T + DAY + HOUR).toISOString(),
      window: { open: false, closesAt: new Date(T + DAY).toISOString(), remainingMs: 0 },
      freeEntryPoint: { open: false, closesAt: null, source: "none" },
      pricing: { era: "pmp-service-tier-2026" },
    });
  });

  it("JSON.stringify works before any prose was read, and equals the output after reading", () => {
    const fresh = JSON.stringify(scenarios["marketing-stopped"]!());
    const read = scenarios["marketing-stopped"]!();
    void read.explanation;
    void read.rules;
    expect(JSON.stringify(read)).toBe(fresh);
  });

  it("prose is rendered once and memoised", () => {
    const d = scenarios["no-opt-in"]!();
    expect(d.alternatives).toBe(d.alternatives);
    expect(d.rules).toBe(d.rules);
    expect(d.explanation).toBe(d.explanation);
  });

  it("the verdict and price are plain own properties; views with Dates are memoised", () => {
    const d = scenarios["window-open"]!();
    expect(Object.keys(d)).toEqual(
      expect.arrayContaining(["outcome", "reason", "channel", "intent", "pricing"]),
    );
    // `at`, `window` and `freeEntryPoint` are built on first read, then the same object.
    expect(d.window).toBe(d.window);
    expect(d.freeEntryPoint).toBe(d.freeEntryPoint);
    expect(d.at).toBe(d.at);
    expect(d.window.closesAt).toBeInstanceOf(Date);
    // …and the serialised decision carries them all.
    const json = JSON.parse(JSON.stringify(d)) as Record<string, unknown>;
    for (const key of [
      "at",
      "window",
      "freeEntryPoint",
      "explanation",
      "alternatives",
      "rules",
      "notes",
    ]) {
      expect(json).toHaveProperty(key);
    }
  });
});
