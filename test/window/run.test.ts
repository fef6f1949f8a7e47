/**
 * What the runner of the rule table (src/window/run.ts) puts in a verdict, where the decision
 * suites checked only the outcome (found by mutation testing, `npm run mutate`): the price of a
 * blocked send (OPEN-8), the window of a closed thread (CSW-10), the FEP (FEP-2 / FEP-4), the
 * price of a template outside the window (PRICE-4), the Messenger / Instagram price (MSG-1) and
 * the host's rules on every channel.
 */
import { describe, expect, it } from "vitest";
import { decide, type HostRule, type Intent, verdict } from "../../src/index.js";
import {
  adEntry,
  consent,
  DAY,
  FREE_FORM,
  fold,
  HOUR,
  inbound,
  MARKETING,
  outbound,
  T25,
  T26,
  UTILITY,
} from "../core/fixtures.js";
import { fold as foldSocial, T, threadOf, userAction } from "../messenger/helpers.js";

const NOTHING = "Nothing is sent, so nothing is charged.";

describe("OPEN-8: a blocked send is priced `not-sent`", () => {
  it("CONSENT-4: an opt-out blocks before pricing: not-sent, no would-be price", () => {
    const state = fold(consent(T26 - DAY, "opt-out", "all"), inbound(T26 - HOUR));
    const v = verdict(state, UTILITY, T26);
    expect([v.outcome, v.reason]).toEqual(["blocked", "opted-out"]);
    expect(v.fired).toEqual(["opted-out"]);
    // Exactly these fields: no `wouldBe` key at all (JSON and structured clones see it).
    expect(v.pricing).toStrictEqual({
      charge: "not-sent",
      category: "utility",
      type: "not-sent",
      era: "pmp-service-tier-2026",
      note: NOTHING,
    });
    expect(Object.keys(v.pricing)).not.toContain("wouldBe");
  });

  it("PRICE-7 / OPEN-8: without a payment method a charged send is not-sent, with its would-be price", () => {
    const state = fold(consent(T26 - DAY, "opt-in", "all"), inbound(T26 - HOUR));
    const v = verdict(state, UTILITY, T26, { paymentMethodOnFile: false });
    expect([v.outcome, v.reason]).toEqual(["blocked", "payment-method-missing"]);
    expect(v.fired).toEqual(["payment-method-missing"]);
    const { wouldBe, ...rest } = v.pricing as typeof v.pricing & { wouldBe?: unknown };
    expect(rest).toStrictEqual({
      charge: "not-sent",
      category: "utility",
      type: "not-sent",
      era: "pmp-service-tier-2026",
      note: NOTHING,
    });
    expect(wouldBe).toMatchObject({ charge: "charged", category: "utility" });
  });
});

describe("CSW-10: the window of a verdict", () => {
  it("CSW-10: a closed window has no time left (0, never a negative figure)", () => {
    const last = T26 - 2 * DAY;
    const state = fold(consent(T26 - 3 * DAY, "opt-in", "all"), inbound(last));
    const v = verdict(state, UTILITY, T26);
    expect([v.outcome, v.reason]).toEqual(["template", "window-closed"]);
    expect(v.window).toEqual({
      open: false,
      closesAt: last + DAY,
      remainingMs: 0,
      lastInboundAt: last,
    });
  });

  it("CSW-10: an open window counts down from now to 24 h after the last inbound", () => {
    const state = fold(inbound(T26 - HOUR));
    const v = verdict(state, FREE_FORM, T26);
    expect(v.window.remainingMs).toBe(23 * HOUR);
  });
});

describe("FEP-2 / FEP-4: the free entry point of a verdict", () => {
  it("FEP-2: an ad entry answered within 24 h opens an FEP the verdict reports; sends in it are free", () => {
    const state = fold(adEntry(T26 - 2 * HOUR), outbound(T26 - HOUR));
    const v = verdict(state, FREE_FORM, T26);
    expect(v.reason).toBe("window-open");
    expect(v.freeEntryPoint.open).toBe(true);
    expect(v.freeEntryPoint.source).toBe("estimated");
    expect(v.freeEntryPoint.closesAt).not.toBeNull();
    expect([v.pricing.charge, v.pricing.type]).toEqual(["free", "free_entry_point"]);
  });

  it("no FEP: closed, no end, source none", () => {
    const v = verdict(fold(inbound(T26 - HOUR)), FREE_FORM, T26);
    expect(v.freeEntryPoint).toEqual({ open: false, closesAt: null, source: "none" });
  });

  it("no FEP is one shared, frozen object (docs/upgrading.md); an FEP is the verdict's own", () => {
    const a = verdict(fold(inbound(T26 - HOUR)), FREE_FORM, T26);
    const b = verdict(fold(inbound(T26 - 2 * HOUR)), MARKETING, T26);
    expect(b.freeEntryPoint).toBe(a.freeEntryPoint);
    expect(Object.isFrozen(a.freeEntryPoint)).toBe(true);
    const state = fold(adEntry(T26 - 2 * HOUR), outbound(T26 - HOUR));
    const c = verdict(state, FREE_FORM, T26);
    expect(c.freeEntryPoint).not.toBe(verdict(state, FREE_FORM, T26).freeEntryPoint);
  });
});

describe("PRICE-4: a template lane is priced outside the window", () => {
  it("PRICE-4: in pmp-2025 a utility template outside the window is charged (free only inside it)", () => {
    const consented = consent(T25 - 10 * DAY, "opt-in", "all");
    const inside = verdict(fold(consented, inbound(T25 - HOUR)), UTILITY, T25);
    expect([inside.outcome, inside.pricing.charge]).toEqual(["session", "free"]);
    const outside = verdict(fold(consented, inbound(T25 - 2 * DAY)), UTILITY, T25);
    expect([outside.outcome, outside.reason]).toEqual(["template", "window-closed"]);
    expect(outside.pricing.charge).toBe("charged");
    expect(outside.pricing.type).toBe("regular");
  });

  it("CSW-11: a free-form message outside the window is priced as its utility template", () => {
    const state = fold(consent(T26 - 10 * DAY, "opt-in", "all"), inbound(T26 - 2 * DAY));
    const v = verdict(state, FREE_FORM, T26);
    expect([v.outcome, v.reason]).toEqual(["template", "window-closed"]);
    expect([v.pricing.category, v.pricing.charge]).toEqual(["utility", "charged"]);
  });
});

describe("DIRECT-6: only a free-form message is a Direct Send", () => {
  it("DIRECT-6: a template intent carrying a stray `directSend` is priced as its template", () => {
    const state = fold(consent(T26 - DAY, "opt-in", "all"), inbound(T26 - HOUR));
    const stray = { ...UTILITY, directSend: "marketing" } as unknown as Intent;
    const v = verdict(state, stray, T26);
    expect(v.pricing).toStrictEqual(verdict(state, UTILITY, T26).pricing);
    expect(v.pricing.note).toContain("PRICE-4");
  });
});

describe("host rules on WhatsApp: what a held send reports", () => {
  const state = fold(consent(T26 - 10 * DAY, "opt-in", "all"), inbound(T26 - HOUR));
  const freeze: HostRule = {
    id: "HOST-freeze",
    title: "Freeze",
    check: () => ({ explanation: "Sends are frozen." }),
  };

  it("host-rule: fired names the entry and the rule; nothing is sent, so nothing is charged", () => {
    const v = verdict(state, MARKETING, T26, { rules: [freeze] });
    expect([v.outcome, v.reason]).toEqual(["blocked", "host-rule"]);
    expect(v.fired).toEqual(["host-rule", "HOST-freeze"]);
    expect(v.pricing).toStrictEqual({
      charge: "not-sent",
      category: "marketing",
      type: "not-sent",
      era: "pmp-service-tier-2026",
      note: NOTHING,
    });
  });

  it("a rule that writes to its input's window changes nothing the decision returns", () => {
    const meddle: HostRule = {
      id: "HOST-meddle",
      title: "Writes to its input",
      check: (input) => {
        const w = input.window as { open: boolean; remainingMs: number };
        w.open = false;
        w.remainingMs = Number.NaN;
        Object.defineProperty(input.window, "closesAt", {
          get() {
            throw new TypeError("from a host getter");
          },
        });
        return undefined;
      },
    };
    const plain = decide(state, FREE_FORM, T26);
    const d = decide(state, FREE_FORM, T26, { rules: [meddle] });
    expect(d.window).toStrictEqual(plain.window);
    expect(d.explanation).toBe(plain.explanation);
    const v = verdict(state, FREE_FORM, T26, { rules: [meddle] });
    expect(v.window).toStrictEqual(verdict(state, FREE_FORM, T26).window);
  });
});

describe("MSG-1: Messenger and Instagram do not charge per message", () => {
  for (const channel of ["messenger", "instagram"] as const) {
    const name = channel === "messenger" ? "Messenger" : "Instagram";
    const state = foldSocial([userAction(threadOf(channel), T)]);

    it(`${name}: a reply in the window is free, priced by no era, sent as RESPONSE`, () => {
      const v = verdict(state, { kind: "free-form", sender: "automation" }, T + HOUR);
      expect([v.outcome, v.reason, v.channel]).toEqual(["session", "window-open", channel]);
      expect(v.pricing).toStrictEqual({
        charge: "free",
        category: "service",
        type: "regular",
        era: "not-applicable",
        note: `${name} does not charge per message.`,
      });
      expect(v.tag).toEqual({ messagingType: "RESPONSE" });
      expect(v.fired).toEqual(["window-open"]);
    });

    it(`${name}: a template in the window keeps its category`, () => {
      const v = verdict(state, UTILITY, T + HOUR);
      expect(v.pricing.category).toBe("utility");
      expect(v.tag).toEqual({ messagingType: "UPDATE" });
    });
  }
});

describe("host rules on Messenger / Instagram", () => {
  const bot: Intent = { kind: "free-form", sender: "automation" };
  const hold: HostRule = {
    id: "HOST-quiet",
    title: "Quiet hours",
    check: () => ({ explanation: "Quiet hours.", until: T + 2 * HOUR }),
  };
  const pass: HostRule = { id: "HOST-pass", title: "Never holds", check: () => undefined };

  for (const channel of ["messenger", "instagram"] as const) {
    const state = foldSocial([userAction(threadOf(channel), T)]);

    it(`${channel}: a host rule holds an allowed reply back (host-rule, not-sent, no tag)`, () => {
      const v = verdict(state, bot, T + HOUR, { rules: [hold] });
      expect([v.outcome, v.reason]).toEqual(["blocked", "host-rule"]);
      expect(v.fired).toEqual(["host-rule", "HOST-quiet"]);
      expect(v.pricing).toStrictEqual({
        charge: "not-sent",
        category: "service",
        type: "not-sent",
        era: "not-applicable",
        note: NOTHING,
      });
      expect(v.tag).toBeUndefined();
      const d = decide(state, bot, T + HOUR, { rules: [hold] });
      expect(d.explanation).toBe("Quiet hours. (your rule HOST-quiet; Meta would allow it)");
    });

    it(`${channel}: a host rule that does not hold leaves Meta's verdict`, () => {
      const v = verdict(state, bot, T + HOUR, { rules: [pass] });
      expect([v.outcome, v.reason]).toEqual(["session", "window-open"]);
      expect(v.fired).toEqual(["window-open"]);
      expect(v.tag).toEqual({ messagingType: "RESPONSE" });
    });

    it(`${channel}: a blocked send never reaches the host's rules`, () => {
      const v = verdict(state, bot, T + 8 * DAY, { rules: [hold] });
      expect(v.reason).toBe("window-closed");
    });
  }
});
