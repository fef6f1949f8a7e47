import { describe, expect, it } from "vitest";
import {
  AUTHENTICATION,
  block,
  consent,
  DAY,
  DIRECT_UTILITY,
  decideOn,
  FREE_FORM,
  failed,
  HOUR,
  inbound,
  MARKETING,
  marketingPref,
  ruleIds,
  status,
  T26,
  UTILITY,
} from "./fixtures.js";

const T = T26;
const open = inbound(T); // window open at T + 1 h
const NOW_OPEN = T + HOUR;
const NOW_CLOSED = T + 2 * DAY;

describe("CONSENT-2 / OPEN-17: business-initiated sends need a recorded opt-in", () => {
  it("CONSENT-2: a template outside the window without an opt-in is blocked no-opt-in", () => {
    for (const intent of [MARKETING, UTILITY, AUTHENTICATION]) {
      const d = decideOn([open], intent, NOW_CLOSED);
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("no-opt-in");
      expect(ruleIds(d)).toEqual(expect.arrayContaining(["CONSENT-2", "OPEN-17"]));
    }
  });

  it("CONSENT-2: an opt-in for the category, or for all, allows the template", () => {
    expect(decideOn([open, consent(T, "opt-in", "utility")], UTILITY, NOW_CLOSED).outcome).toBe(
      "template",
    );
    expect(decideOn([open, consent(T, "opt-in", "all")], MARKETING, NOW_CLOSED).outcome).toBe(
      "template",
    );
  });

  it("CONSENT-2: an opt-in for another category does not cover this one", () => {
    const d = decideOn([open, consent(T, "opt-in", "marketing")], UTILITY, NOW_CLOSED);
    expect(d.reason).toBe("no-opt-in");
  });

  it("CONSENT-2: a free-form intent outside the window becomes the first consented template", () => {
    const d = decideOn([open, consent(T, "opt-in", "marketing")], FREE_FORM, NOW_CLOSED);
    expect(d.outcome).toBe("template");
    expect(d.pricing.category).toBe("marketing");
  });

  it("OPEN-17: requireOptIn: false lets a template go outside the window without a record", () => {
    const d = decideOn([open], UTILITY, NOW_CLOSED, { requireOptIn: false });
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("window-closed");
    expect(ruleIds(d)).not.toContain("OPEN-17");
  });

  it("OPEN-17: requireOptIn: false never lifts a recorded opt-out", () => {
    const d = decideOn([open, consent(T, "opt-out", "marketing")], MARKETING, NOW_CLOSED, {
      requireOptIn: false,
    });
    expect(d.reason).toBe("opted-out");
  });
});

describe("CONSENT-3: replies in a user-opened window need no opt-in record", () => {
  it("CONSENT-3: free-form and every template category may go in the window without a record", () => {
    for (const intent of [FREE_FORM, MARKETING, UTILITY, AUTHENTICATION]) {
      const d = decideOn([open], intent, NOW_OPEN);
      expect(d.outcome).toBe("session");
      expect(d.reason).toBe("window-open");
    }
    expect(ruleIds(decideOn([open], FREE_FORM, NOW_OPEN))).toContain("CONSENT-3");
  });

  it("CONSENT-3: a recorded opt-out still blocks its scope inside the window", () => {
    const events = [open, consent(T - DAY, "opt-out", "marketing", "keyword-STOP")];
    const d = decideOn(events, MARKETING, NOW_OPEN);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("opted-out");
    expect(decideOn(events, UTILITY, NOW_OPEN).outcome).toBe("session");
    expect(decideOn(events, FREE_FORM, NOW_OPEN).outcome).toBe("session");
  });
});

describe("CONSENT-4: each opt-out blocks its scope until a later opt-in for it", () => {
  it("CONSENT-4: opting out of all blocks free-form replies and every template", () => {
    const events = [open, consent(T - HOUR, "opt-out", "all")];
    for (const intent of [FREE_FORM, MARKETING, UTILITY, AUTHENTICATION, DIRECT_UTILITY]) {
      const d = decideOn(events, intent, NOW_OPEN);
      expect(d.outcome, JSON.stringify(intent)).toBe("blocked");
      expect(d.reason).toBe("opted-out");
      expect(ruleIds(d)).toContain("CONSENT-4");
    }
  });

  it("CONSENT-4: a later inbound message is not an opt-in", () => {
    const d = decideOn([consent(T - HOUR, "opt-out", "all"), open], FREE_FORM, NOW_OPEN);
    expect(d.reason).toBe("opted-out");
  });

  it("CONSENT-4: a later opt-in for the same scope lifts it", () => {
    const d = decideOn(
      [open, consent(T - HOUR, "opt-out", "marketing"), consent(T, "opt-in", "marketing")],
      MARKETING,
      NOW_CLOSED,
    );
    expect(d.outcome).toBe("template");
  });

  it("CONSENT-4: an opt-in at the same instant as the opt-out does not lift it", () => {
    const d = decideOn(
      [open, consent(T, "opt-in", "marketing"), consent(T, "opt-out", "marketing")],
      MARKETING,
      NOW_OPEN,
    );
    expect(d.reason).toBe("opted-out");
  });

  it("CONSENT-4: an earlier opt-in does not lift a later opt-out", () => {
    const d = decideOn(
      [open, consent(T - DAY, "opt-in", "all"), consent(T - HOUR, "opt-out", "utility")],
      UTILITY,
      NOW_OPEN,
    );
    expect(d.reason).toBe("opted-out");
  });

  it("CONSENT-4: a category opt-in does not lift an opt-out of all", () => {
    const d = decideOn(
      [open, consent(T - HOUR, "opt-out", "all"), consent(T, "opt-in", "marketing")],
      MARKETING,
      NOW_OPEN,
    );
    expect(d.reason).toBe("opted-out");
  });

  it("CONSENT-4: an opt-out of one category leaves the others alone", () => {
    const events = [open, consent(T - HOUR, "opt-out", "utility"), consent(T, "opt-in", "all")];
    expect(decideOn(events, AUTHENTICATION, NOW_CLOSED).outcome).toBe("template");
    expect(decideOn(events, MARKETING, NOW_CLOSED).outcome).toBe("template");
  });

  it("CONSENT-4: the explanation names the scope, the time and the source", () => {
    const d = decideOn(
      [open, consent(T - HOUR, "opt-out", "marketing", "keyword-STOP")],
      MARKETING,
      NOW_OPEN,
    );
    expect(d.explanation).toContain("marketing messages");
    expect(d.explanation).toContain("2026-11-26 08:00 UTC");
    expect(d.explanation).toContain("keyword-STOP");
  });
});

describe("CONSENT-5 / CONSENT-6: marketing stop and resume", () => {
  const stopped = [open, marketingPref(T - HOUR, "stop"), consent(T - DAY, "opt-in", "all")];

  it("CONSENT-5: a stop blocks marketing templates inside and outside the window", () => {
    for (const now of [NOW_OPEN, NOW_CLOSED]) {
      const d = decideOn(stopped, MARKETING, now);
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("marketing-stopped");
      expect(ruleIds(d)).toContain("CONSENT-5");
    }
  });

  it("CONSENT-5: utility, authentication and in-window free-form are unaffected", () => {
    expect(decideOn(stopped, UTILITY, NOW_OPEN).outcome).toBe("session");
    expect(decideOn(stopped, AUTHENTICATION, NOW_CLOSED).outcome).toBe("template");
    expect(decideOn(stopped, FREE_FORM, NOW_OPEN).outcome).toBe("session");
  });

  it("CONSENT-5: a later resume lifts the stop; an earlier one does not", () => {
    const resumed = decideOn([...stopped, marketingPref(T, "resume")], MARKETING, NOW_CLOSED);
    expect(resumed.outcome).toBe("template");
    const early = decideOn([...stopped, marketingPref(T - DAY, "resume")], MARKETING, NOW_CLOSED);
    expect(early.reason).toBe("marketing-stopped");
  });

  it("CONSENT-5: a stop and a resume at the same instant leave marketing stopped", () => {
    const d = decideOn([...stopped, marketingPref(T - HOUR, "resume")], MARKETING, NOW_OPEN);
    expect(d.reason).toBe("marketing-stopped");
  });

  it("CONSENT-6: a 131050 failure records a marketing stop at that message's time", () => {
    const events = [open, failed(T + HOUR, 131050, { message: "template" })];
    const d = decideOn(events, MARKETING, T + 2 * HOUR);
    expect(d.reason).toBe("marketing-stopped");
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["CONSENT-5", "CONSENT-6"]));
    expect(decideOn(events, UTILITY, T + 2 * HOUR).outcome).toBe("session");
    const resumed = decideOn(
      [...events, marketingPref(T + 3 * HOUR, "resume")],
      MARKETING,
      T + 4 * HOUR,
    );
    expect(resumed.outcome).toBe("session");
  });
});

describe("CONSENT-7: per-user marketing limit (131049)", () => {
  const limited = [
    open,
    failed(T + HOUR, 131049, { message: "template" }),
    consent(T, "opt-in", "all"),
  ];

  it("CONSENT-7: marketing is held back for 24 h after a 131049", () => {
    const d = decideOn(limited, MARKETING, T + 2 * HOUR);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("marketing-limited");
    expect(ruleIds(d)).toContain("CONSENT-7");
    expect(d.alternatives).toContainEqual(
      expect.objectContaining({ action: "retry-after", at: new Date(T + HOUR + DAY) }),
    );
  });

  it("CONSENT-7: it is not an opt-out: marketing may go again at +24 h, other categories at once", () => {
    expect(decideOn(limited, MARKETING, T + HOUR + DAY - 1).reason).toBe("marketing-limited");
    expect(decideOn(limited, MARKETING, T + HOUR + DAY).outcome).toBe("template");
    expect(decideOn(limited, UTILITY, T + 2 * HOUR).outcome).toBe("session");
  });

  it("CONSENT-7: an explicit retryAfter extends the hold", () => {
    const events = [
      open,
      failed(T + HOUR, 131049, { message: "template", retryAfter: T + 3 * DAY }),
      consent(T, "opt-in", "all"),
    ];
    expect(decideOn(events, MARKETING, T + 2 * DAY).reason).toBe("marketing-limited");
    expect(decideOn(events, MARKETING, T + 3 * DAY).outcome).toBe("template");
  });
});

describe("CONSENT-8 / OPEN-18: marketing to US numbers is paused from 2025-04-01", () => {
  const us = { customer: "12125551234" } as const;

  it("CONSENT-8: marketing to a US customer is blocked, inside the window too", () => {
    for (const customer of ["12125551234", "+12125551234", "US.1502576394655843"]) {
      const d = decideOn([open], MARKETING, NOW_OPEN, { customer });
      expect(d.outcome, customer).toBe("blocked");
      expect(d.reason).toBe("us-marketing-paused");
      expect(ruleIds(d)).toEqual(expect.arrayContaining(["CONSENT-8", "OPEN-18"]));
    }
  });

  it("CONSENT-8: utility to a US customer and marketing elsewhere are unaffected", () => {
    expect(decideOn([open], UTILITY, NOW_OPEN, us).outcome).toBe("session");
    expect(decideOn([open], MARKETING, NOW_OPEN, { customer: "5511987654321" }).outcome).toBe(
      "session",
    );
  });

  it("CONSENT-8: the pause starts at 2025-04-01 00:00 UTC", () => {
    const start = Date.parse("2025-04-01T00:00:00Z");
    const events = [inbound(start - HOUR)];
    expect(decideOn(events, MARKETING, start - 1, us).outcome).toBe("session");
    expect(decideOn(events, MARKETING, start, us).reason).toBe("us-marketing-paused");
  });

  it("OPEN-18: usMarketingPause: false switches the pause off", () => {
    const d = decideOn([open], MARKETING, NOW_OPEN, { ...us, usMarketingPause: false });
    expect(d.outcome).toBe("session");
  });
});

describe("CONSENT-9 / ERR-15: the business blocked the user", () => {
  it("CONSENT-9: every send is blocked while the user is blocked", () => {
    const events = [open, block(T, "block"), consent(T, "opt-in", "all")];
    for (const intent of [FREE_FORM, MARKETING, UTILITY, AUTHENTICATION]) {
      const d = decideOn(events, intent, NOW_OPEN);
      expect(d.outcome).toBe("blocked");
      expect(d.reason).toBe("business-blocked");
      expect(ruleIds(d)).toContain("CONSENT-9");
    }
  });

  it("CONSENT-9: a later unblock lifts it; a simultaneous one does not", () => {
    expect(
      decideOn([open, block(T, "block"), block(T + 1, "unblock")], FREE_FORM, NOW_OPEN).outcome,
    ).toBe("session");
    expect(
      decideOn([open, block(T, "block"), block(T, "unblock")], FREE_FORM, NOW_OPEN).outcome,
    ).toBe("blocked");
  });

  it("ERR-15: a 130403 failure records a block", () => {
    const d = decideOn([open, failed(T + 1, 130403)], FREE_FORM, NOW_OPEN);
    expect(d.reason).toBe("business-blocked");
  });

  it("ERR-5 / OPEN-11: 131026 is never read as a block or an opt-out", () => {
    const d = decideOn(
      [open, failed(T + 1, 131026), status(T + 2, { status: "failed" })],
      FREE_FORM,
      NOW_OPEN,
    );
    expect(d.outcome).toBe("session");
  });
});

describe("DIRECT-3: Direct Send is the third way outside the window", () => {
  const eligible = { directSendEligible: true } as const;

  it("DIRECT-3: outside the window an opted-in utility Direct Send is a template decision", () => {
    const d = decideOn(
      [open, consent(T, "opt-in", "utility")],
      DIRECT_UTILITY,
      NOW_CLOSED,
      eligible,
    );
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("window-closed");
    expect(d.pricing).toMatchObject({ charge: "charged", category: "utility", type: "regular" });
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["DIRECT-3", "DIRECT-6"]));
    expect(ruleIds(d)).not.toContain("DIRECT-2");
  });

  it("DIRECT-3 / CONSENT-2: consent applies as for any business-initiated utility message", () => {
    const d = decideOn([open], DIRECT_UTILITY, NOW_CLOSED, eligible);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("no-opt-in");
  });

  it("DIRECT-2: an account not declared eligible is told to use a template instead", () => {
    const d = decideOn([open, consent(T, "opt-in", "utility")], DIRECT_UTILITY, NOW_CLOSED);
    expect(d.outcome).toBe("template");
    expect(ruleIds(d)).toContain("DIRECT-2");
    expect(d.notes.join(" ")).toContain("DIRECT-2");
  });

  it("DIRECT-3: an eligible account is offered Direct Send for a closed window", () => {
    const d = decideOn([open, consent(T, "opt-in", "utility")], FREE_FORM, NOW_CLOSED, eligible);
    expect(d.alternatives.map((a) => a.action)).toContain("direct-send");
    const no = decideOn([open, consent(T, "opt-in", "utility")], FREE_FORM, NOW_CLOSED);
    expect(no.alternatives.map((a) => a.action)).not.toContain("direct-send");
  });
});
