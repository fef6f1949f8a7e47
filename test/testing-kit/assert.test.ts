import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import {
  assertBlocked,
  assertSession,
  assertTemplate,
  CareWindowAssertionError,
  createClock,
  describeDecision,
  expectDecision,
  scenario,
  timelineText,
} from "../../src/testing.js";
import { decide } from "../../src/window/decide.js";
import type { Decision } from "../../src/window/decision.js";
import { DAY_MS } from "../../src/window/state.js";

const T = Date.parse("2026-11-26T09:00:00Z");

function story() {
  const shop = scenario();
  const ana = shop.customer("5511987654321");
  shop.recordsOptIn(ana, T - DAY_MS, { scope: "all", source: "signup" });
  ana.writes(T, "Oi, cadê meu pedido?");
  shop.replies(ana, T + 300_000).delivered(T + 302_000);
  return { shop, ana };
}

function caught(fn: () => void): CareWindowAssertionError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(CareWindowAssertionError);
    return e as CareWindowAssertionError;
  }
  throw new Error("expected the assertion to throw");
}

describe("expectDecision", () => {
  it("passes when every given member matches (CSW-2 boundary values)", () => {
    const { ana } = story();
    const open = decide(ana.state(), { kind: "free-form" }, T + DAY_MS - 1);
    expectDecision(open, {
      outcome: "session",
      reason: "window-open",
      windowOpen: true,
      closesAt: "2026-11-27T09:00:00Z",
      charge: "unknown", // PRICE-5 / OPEN-5: the 2026 service tier usage was not given
      category: "service",
      fepOpen: false,
    });
    expectDecision(open, { closesAt: new Date(T + DAY_MS) });
    expectDecision(open, { closesAt: T + DAY_MS });
    expectDecision(open, {}); // nothing to compare
    const closed = decide(ana.state(), { kind: "free-form" }, T + DAY_MS);
    expectDecision(closed, { outcome: "template", reason: "window-closed", windowOpen: false });
  });

  it("throws a CareWindowAssertionError that explains the decision and shows the timeline", () => {
    const { ana } = story();
    const closed = decide(ana.state(), { kind: "free-form" }, T + DAY_MS);
    const e = caught(() =>
      expectDecision(
        closed,
        { outcome: "session", reason: "window-open", windowOpen: false, charge: "free" },
        ana,
      ),
    );
    expect(e.name).toBe("CareWindowAssertionError");
    expect(e.operator).toBe("expectDecision");
    expect(e.showDiff).toBe(true);
    expect(e.decision).toBe(closed);
    // Only the compared members, so runners diff exactly what differs.
    expect(e.expected).toEqual({
      outcome: "session",
      reason: "window-open",
      windowOpen: false,
      charge: "free",
    });
    expect(e.actual).toEqual({
      outcome: "template",
      reason: "window-closed",
      windowOpen: false,
      charge: "charged",
    });
    const m = e.message;
    expect(m).toContain('outcome: expected "session", got "template"');
    expect(m).toContain('reason: expected "window-open", got "window-closed"');
    expect(m).toContain(closed.explanation);
    expect(m).toContain("window:       closed at 2026-11-27T09:00:00Z");
    expect(m).toContain("entry point:  none");
    expect(m).toContain("rules:        CSW-1, CSW-2");
    // The timeline strip (renderTimelineText) and the event list with ids.
    expect(m).toMatch(/customer\s+\S*o/);
    expect(m).toContain("2026-11-26T09:00:00Z  customer → text (wamid.1)");
    expect(m).toContain("business → free-form text (wamid.2)");
    expect(m).toContain("status delivered of wamid.2");
    expect(m).toContain("opt-in all recorded (source: signup)");
    // Members that matched are not reported as differences.
    expect(m).toContain('charge: expected "free", got "charged"');
    expect(m).not.toContain("windowOpen: expected");
  });

  it("closesAt and the label: normalised instants, null for a never-opened window", () => {
    const shop = scenario();
    const bia = shop.customer("5511900000002");
    const none = decide(bia.state(), { kind: "template", category: "utility" }, T);
    expectDecision(none, { closesAt: null, windowOpen: false });
    const e = caught(() =>
      expectDecision(none, { closesAt: "2026-11-27T09:00:00.000Z" }, { label: "CSAT check" }),
    );
    expect(e.message.startsWith("CSAT check: expectDecision failed")).toBe(true);
    expect(e.expected).toEqual({ closesAt: "2026-11-27T09:00:00Z" });
    expect(e.actual).toEqual({ closesAt: null });
    expect(e.message).toContain("never opened");
  });

  it("rejects a Promise (a missing await) and non-decisions with InvalidInputError", async () => {
    const care = createCareWindow({ store: createMemoryStore(), now: () => new Date(T) });
    const pending = care.decide(
      { business: "1", customer: "5511987654321" },
      { kind: "free-form" },
    );
    expect(() => expectDecision(pending as unknown as Decision, { outcome: "session" })).toThrow(
      /forget `await/,
    );
    await pending;
    expect(() => assertSession({} as Decision)).toThrow(InvalidInputError);
    expect(() => expectDecision(null as unknown as Decision, {})).toThrow(InvalidInputError);
  });

  it("works on decisions from the service too (whatever prose they carry)", async () => {
    const { shop, ana } = story();
    const clock = createClock(T + 60_000);
    const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
    await care.record(shop.events);
    const d = await care.decide(ana.thread, { kind: "free-form" });
    assertSession(d, "window-open", ana);
    clock.advance({ hours: 24 });
    const later = await care.decide(ana.thread, { kind: "free-form" });
    const e = caught(() => assertSession(later, undefined, ana));
    expect(e.message).toContain("assertSession failed");
    expect(e.message).toContain("window:       closed at 2026-11-27T09:00:00Z");
  });
});

describe("assertSession / assertTemplate / assertBlocked", () => {
  it("pass on the right outcome and reason, and narrow the type", () => {
    const { shop, ana } = story();
    const session = decide(ana.state(), { kind: "free-form" }, T + 1000);
    assertSession(session);
    assertSession(session, "window-open");
    const reason: "window-open" | "ad-window-open" | "human-agent" = session.reason; // narrowed
    expect(reason).toBe("window-open");
    assertTemplate(decide(ana.state(), { kind: "free-form" }, T + DAY_MS), "window-closed");
    ana.stopsMarketing(T + 2000);
    const blocked = decide(ana.state(), { kind: "template", category: "marketing" }, T + 3000);
    assertBlocked(blocked, "marketing-stopped", ana);
    expect(shop.events.length).toBeGreaterThan(0);
  });

  it("fail with the outcome and reason in actual / expected", () => {
    const { ana } = story();
    const session = decide(ana.state(), { kind: "free-form" }, T + 1000);
    const a = caught(() => assertBlocked(session, "no-opt-in"));
    expect(a.expected).toEqual({ outcome: "blocked", reason: "no-opt-in" });
    expect(a.actual).toEqual({ outcome: "session", reason: "window-open" });
    const b = caught(() => assertTemplate(session));
    expect(b.expected).toEqual({ outcome: "template" });
    expect(b.message).not.toContain("timeline"); // no context given: no timeline section
    const c = caught(() => assertSession(session, "human-agent"));
    expect(c.message).toContain('reason: expected "human-agent", got "window-open"');
  });
});

describe("describeDecision and timelineText", () => {
  it("render every event kind on one line each, in time order, filtered by thread", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const bia = shop.customer("5511900000002");
    ana.arrivesFromAd(T + 5000, { adId: "42" });
    bia.writes(T + 1000, "not Ana");
    const sent = shop.sendsTemplate(ana, T + 2000, { category: "utility" });
    sent.fails(T + 3000, [131049, 131050]);
    ana.calls(T + 4000);
    shop.replies(ana, T + 6000, { fromBusinessApp: true }).sent(T + 6000, {
      freeEntryPoint: { expiresAt: T + 3 * DAY_MS },
    });
    shop.blocks(ana, T + 7000);
    ana.stopsMarketing(T + 8000);
    shop.templateCategoryChanges(T + 9000, { name: "promo", to: "marketing" });
    const text = timelineText(shop.events, ana.thread);
    expect(text.split("\n")).toEqual([
      "  2026-11-26T09:00:02Z  business → template utility (wamid.3)",
      "  2026-11-26T09:00:03Z  status failed of wamid.3, errors 131049, 131050",
      "  2026-11-26T09:00:04Z  call user-initiated connect (wacid.4)",
      "  2026-11-26T09:00:05Z  customer → text from ad 42 (wamid.1)",
      "  2026-11-26T09:00:06Z  business → free-form text [Business app echo] (wamid.5)",
      "  2026-11-26T09:00:06Z  status sent of wamid.5, pricing free_entry_point/referral_conversion, FEP ends 2026-11-29T09:00:00Z",
      "  2026-11-26T09:00:07Z  business blocked the customer",
      "  2026-11-26T09:00:08Z  customer stopped marketing",
      "  2026-11-26T09:00:09Z  template promo is now marketing",
    ]);
    expect(timelineText([])).toBe("  (no events)");
    const d = decide(ana.state(), { kind: "free-form" }, T + 10_000);
    const report = describeDecision(d, { ...ana, timeline: "  custom timeline" });
    expect(report).toContain("decision:     blocked (business-blocked) for free-form text");
    expect(report).toContain("  custom timeline");
  });

  it("skips the strip, but keeps the list, for events of several threads without a thread", () => {
    const shop = scenario();
    shop.customer("5511987654321").writes(T, "a");
    shop.customer("5511900000002").writes(T + 1000, "b");
    const d = decide(shop.customer("5511987654321").state(), { kind: "free-form" }, T + 2000);
    const report = describeDecision(d, { events: shop.events });
    expect(report).not.toContain("timeline:");
    expect(report).toContain("events:");
    expect(report).toContain("(wamid.2)");
  });
});

describe("node:test (no vitest in the process)", () => {
  const dir = fileURLToPath(new URL("./node/", import.meta.url));
  const run = (file: string) =>
    spawnSync(process.execPath, ["--import", "tsx", "--test", file], {
      cwd: dir,
      encoding: "utf8",
      timeout: 60_000,
    });

  it("the assertions pass under node --test", () => {
    const r = run("assert.node.ts");
    expect(r.stdout + r.stderr).toMatch(/# pass 3/);
    expect(r.status).toBe(0);
  });

  it("a failing assertion under node --test prints the explanation and the timeline", () => {
    const r = run("failing.node.ts");
    const out = r.stdout + r.stderr;
    expect(r.status).not.toBe(0);
    expect(out).toContain("CareWindowAssertionError");
    expect(out).toContain("the 24-hour window closed at 2026-11-27 09:00 UTC");
    expect(out).toContain("customer → text (wamid.1)");
  });
});
