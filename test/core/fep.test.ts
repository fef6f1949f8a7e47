import { describe, expect, it } from "vitest";
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
  outbound,
  ruleIds,
  status,
  T26,
  UTILITY,
} from "./fixtures.js";

const E = T26; // the ad entry message
const reply = outbound(E + HOUR);
const active = [adEntry(E), reply];
const optIn = consent(E - DAY, "opt-in", "all");
const ESTIMATE = 72 * HOUR;

const fepStatus = (at: number, expiresAt: number) =>
  status(at, {
    status: "sent",
    pricing: { model: "PMP", type: "free_entry_point", category: "referral_conversion" },
    origin: "referral_conversion",
    conversationId: "c0ffee",
    conversationExpiresAt: expiresAt,
  });

describe("FEP-1 / FEP-2: entry by an ad referral, activation by a reply inside its window", () => {
  it("FEP-2: an ad entry answered within 24 h opens an estimated FEP (OPEN-1)", () => {
    const d = decideOn(active, MARKETING, E + 2 * HOUR);
    expect(d.freeEntryPoint).toEqual({
      open: true,
      closesAt: new Date(E + HOUR + ESTIMATE), // OPEN-1: from the activating reply
      source: "estimated",
    });
    expect(d.outcome).toBe("session");
    expect(d.pricing.charge).toBe("free");
    expect(d.pricing.type).toBe("free_entry_point");
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["FEP-2", "FEP-4", "OPEN-1"]));
    expect(d.notes.join(" ")).toContain("estimated");
  });

  it("FEP-2: an unanswered entry is no FEP yet, but the reply that activates it is free", () => {
    const d = decideOn([adEntry(E)], FREE_FORM, E + 2 * HOUR);
    expect(d.freeEntryPoint).toEqual({ open: false, closesAt: null, source: "none" });
    expect(d.outcome).toBe("session");
    expect(d.pricing.charge).toBe("free");
    expect(d.pricing.type).toBe("free_entry_point");
    // the activation deadline is the entry's window end
    expect(d.notes.join(" ")).toContain("2026-11-27 09:00 UTC");
  });

  it("FEP-2: the activation deadline is the entry message's window end (exclusive)", () => {
    const last = decideOn([adEntry(E)], MARKETING, E + DAY - 1);
    expect(last.pricing.type).toBe("free_entry_point");
    const late = decideOn([adEntry(E), outbound(E + DAY)], MARKETING, E + DAY + HOUR, {
      requireOptIn: false,
    });
    expect(late.freeEntryPoint.source).toBe("none");
    expect(late.freeEntryPoint.open).toBe(false);
    expect(late.pricing.charge).toBe("charged");
  });

  it("FEP-1: an entry without a referral (ordinary message) opens no FEP", () => {
    const d = decideOn([inbound(E), reply], MARKETING, E + 2 * HOUR);
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });

  it("FEP-4: every category is free inside an open FEP", () => {
    for (const intent of [MARKETING, UTILITY, AUTHENTICATION, FREE_FORM]) {
      const d = decideOn(active, intent, E + 3 * HOUR);
      expect(d.pricing, JSON.stringify(intent)).toMatchObject({
        charge: "free",
        type: "free_entry_point",
      });
    }
  });

  it("OPEN-1: the estimate starts at the activating reply and ends exclusively", () => {
    const R = E + HOUR; // the reply
    const before = decideOn([...active, optIn], UTILITY, R + ESTIMATE - 1);
    const at = decideOn([...active, optIn], UTILITY, R + ESTIMATE);
    expect(before.freeEntryPoint.open).toBe(true);
    expect(before.pricing.charge).toBe("free");
    expect(at.freeEntryPoint.open).toBe(false);
    expect(at.freeEntryPoint.closesAt).toEqual(new Date(R + ESTIMATE));
    expect(at.pricing.charge).toBe("charged");
  });

  it("OPEN-1: fepEstimateMs overrides the estimated length", () => {
    const d = decideOn([...active, optIn], UTILITY, E + 5 * DAY, { fepEstimateMs: 7 * DAY });
    expect(d.freeEntryPoint).toEqual({
      open: true,
      closesAt: new Date(E + HOUR + 7 * DAY),
      source: "estimated",
    });
  });

  it("OPEN-13: entries before 2023-03-01 are estimated at 24 h, later ones at 72 h", () => {
    const e22 = Date.parse("2022-06-01T10:00:00Z");
    const d22 = decideOn([adEntry(e22), outbound(e22 + HOUR)], UTILITY, e22 + 2 * HOUR);
    expect(d22.pricing.era).toBe("cbp-2022");
    expect(d22.freeEntryPoint.closesAt).toEqual(new Date(e22 + HOUR + DAY));
    const e23 = Date.parse("2023-03-01T00:00:00Z");
    const d23 = decideOn([adEntry(e23), outbound(e23 + HOUR)], UTILITY, e23 + 2 * HOUR);
    expect(d23.freeEntryPoint.closesAt).toEqual(new Date(e23 + HOUR + ESTIMATE));
  });

  it("FEP-9 / PRICE-23: the 2019 HSM era has no FEP at all", () => {
    const e = Date.parse("2020-06-01T10:00:00Z");
    const d = decideOn([adEntry(e), outbound(e + HOUR)], UTILITY, e + 2 * HOUR);
    expect(d.pricing.era).toBe("hsm-2019");
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });
});

describe("FEP-3 / FEP-7: the platform's expiry wins over the estimate", () => {
  const expires = E + HOUR + 7 * DAY;

  it("FEP-3: a free_entry_point status with expiration_timestamp gives source platform", () => {
    const d = decideOn([...active, fepStatus(E + HOUR, expires)], MARKETING, E + 5 * DAY, {
      requireOptIn: false,
    });
    expect(d.freeEntryPoint).toEqual({
      open: true,
      closesAt: new Date(expires),
      source: "platform",
    });
    expect(d.pricing.charge).toBe("free");
    expect(ruleIds(d)).toEqual(expect.arrayContaining(["FEP-3", "FEP-7"]));
  });

  it("FEP-3: the platform end is exclusive", () => {
    const o = { requireOptIn: false } as const;
    const events = [...active, fepStatus(E + HOUR, expires)];
    expect(decideOn(events, MARKETING, expires - 1, o).freeEntryPoint.open).toBe(true);
    const at = decideOn(events, MARKETING, expires, o);
    expect(at.freeEntryPoint.open).toBe(false);
    expect(at.pricing.charge).toBe("charged");
  });

  it("FEP-7: an expiry on a status that is not an FEP status proves nothing", () => {
    const plain = status(E + HOUR, {
      status: "sent",
      pricing: { model: "PMP", type: "regular", category: "marketing" },
      conversationExpiresAt: expires,
    });
    const d = decideOn([inbound(E), plain], MARKETING, E + 2 * HOUR);
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });

  it("FEP-7: platform evidence works even when the entry webhook went elsewhere", () => {
    const d = decideOn([inbound(E), fepStatus(E + HOUR, expires)], MARKETING, E + 2 * HOUR);
    expect(d.freeEntryPoint.source).toBe("platform");
    expect(d.pricing.type).toBe("free_entry_point");
  });
});

describe("FEP-5: an FEP never allows free-form after the CSW closes", () => {
  const now = E + 30 * HOUR; // CSW closed at E+24h, estimated FEP open until E+72h

  it("FEP-5: a free-form intent becomes a template, and the template is free", () => {
    const d = decideOn([...active, optIn], FREE_FORM, now);
    expect(d.window.open).toBe(false);
    expect(d.freeEntryPoint.open).toBe(true);
    expect(d.outcome).toBe("template");
    expect(d.reason).toBe("window-closed");
    expect(d.pricing).toMatchObject({ charge: "free", type: "free_entry_point" });
    expect(ruleIds(d)).toContain("FEP-5");
    expect(d.explanation).toContain(`free until 2026-11-29 10:00 UTC`);
    const templates = d.alternatives.filter((a) => a.action === "send-template");
    expect(templates.length).toBeGreaterThan(0);
    for (const a of templates) {
      expect(a).toMatchObject({ freeUntil: new Date(E + HOUR + ESTIMATE) });
    }
  });

  it("FEP-5: even a platform-confirmed FEP allows no free-form after the CSW", () => {
    const d = decideOn([...active, optIn, fepStatus(E + HOUR, E + 7 * DAY)], FREE_FORM, now);
    expect(d.outcome).toBe("template");
    expect(d.freeEntryPoint.source).toBe("platform");
  });

  it("FEP-5 / CONSENT-2: templates in an FEP after the CSW still need an opt-in", () => {
    const d = decideOn(active, MARKETING, now);
    expect(d.outcome).toBe("blocked");
    expect(d.reason).toBe("no-opt-in");
  });
});

describe("OPEN-4: post referrals and platform-only pricing", () => {
  const post = [adEntry(E, "post"), reply];

  it("OPEN-4: a legacy post referral starts no FEP by default", () => {
    const d = decideOn(post, MARKETING, E + 2 * HOUR);
    expect(d.freeEntryPoint.source).toBe("none");
    expect(d.pricing.charge).toBe("charged");
  });

  it("OPEN-4: fepFromPostReferral counts post referrals", () => {
    const d = decideOn(post, MARKETING, E + 2 * HOUR, { fepFromPostReferral: true });
    expect(d.freeEntryPoint).toMatchObject({ open: true, source: "estimated" });
    expect(d.pricing.charge).toBe("free");
  });

  it("OPEN-4: fepRequirePlatform prices an estimated FEP as charged", () => {
    const d = decideOn(active, MARKETING, E + 2 * HOUR, { fepRequirePlatform: true });
    expect(d.freeEntryPoint).toMatchObject({ open: true, source: "estimated" });
    expect(d.pricing.charge).toBe("charged");
  });

  it("OPEN-4: fepRequirePlatform does not free an activating reply without evidence", () => {
    const d = decideOn([adEntry(E)], MARKETING, E + 2 * HOUR, { fepRequirePlatform: true });
    expect(d.pricing.charge).toBe("charged");
  });

  it("OPEN-4: fepRequirePlatform still prices a platform FEP as free", () => {
    const d = decideOn([...active, fepStatus(E + HOUR, E + 7 * DAY)], MARKETING, E + 2 * HOUR, {
      fepRequirePlatform: true,
    });
    expect(d.pricing).toMatchObject({ charge: "free", type: "free_entry_point" });
  });
});

describe("OPEN-7 / DIRECT-6: Direct Send inside an FEP", () => {
  it("OPEN-7: charged by default", () => {
    const d = decideOn(active, DIRECT_UTILITY, E + 2 * HOUR);
    expect(d.pricing.charge).toBe("charged");
  });

  it("OPEN-7: free with directSendFreeInFep", () => {
    const d = decideOn(active, DIRECT_UTILITY, E + 2 * HOUR, { directSendFreeInFep: true });
    expect(d.pricing).toMatchObject({ charge: "free", type: "free_entry_point" });
  });
});
