import { describe, expect, it } from "vitest";
import { createCareWindow, createMemoryStore, type Thread } from "../../src/index.js";
import { assertSession, assertTemplate, createClock, scenario } from "../../src/testing.js";

// Your policy code under test (normally imported from your app).
const newCare = (now: () => Date) => createCareWindow({ store: createMemoryStore(), now });
const csatSurvey = (care: ReturnType<typeof newCare>, t: Thread) =>
  care.decide(t, { kind: "free-form", sender: "automation" });
const promoAudience = async (care: ReturnType<typeof newCare>, threads: Thread[]) => {
  const r = await care.decideMany(threads, { kind: "template", category: "marketing" });
  return [...r.session, ...r.template].map((x) => x.thread.customer);
};

describe("our send policy", () => {
  it("CSW-2: the CSAT survey goes free-form in the window, as a template after it", async () => {
    const clock = createClock("2026-11-26T09:00:00Z");
    const care = newCare(clock.now);
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    shop.recordsOptIn(ana, "2026-11-01T00:00:00Z", { scope: "utility", source: "checkout" });
    ana.writes(clock.now(), "Chegou, obrigada!");
    await shop.ingestInto(care);
    assertSession(await csatSurvey(care, ana.thread), "window-open", ana);
    clock.advance({ hours: 24 });
    assertTemplate(await csatSurvey(care, ana.thread), "window-closed", ana);
  });

  it("CONSENT-5: the campaign skips customers who stopped marketing", async () => {
    const care = newCare(() => new Date("2026-11-27T12:00:00Z"));
    const shop = scenario();
    const [ana, bia, caio] = shop.customers("5511987654321", "5511912345678", "5521998765432");
    for (const c of [ana, bia, caio]) shop.recordsOptIn(c, "2026-11-01", { scope: "marketing" });
    bia.stopsMarketing("2026-11-20T18:00:00Z");
    await shop.ingestInto(care);
    const audience = await promoAudience(care, [ana.thread, bia.thread, caio.thread]);
    expect(audience).toEqual([ana.waId, caio.waId]); // Bia stopped marketing: skipped
  });
});
