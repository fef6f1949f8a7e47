import { describe, expect, it } from "vitest";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { assertSession, assertTemplate, createClock, scenario } from "../../src/testing.js";

// The clock is the store helper's src/testing/clock.ts; these tests pin what the kit relies on.
describe("the controllable clock as the service's now", () => {
  it("CSW-2: advance({ hours, minutes }) walks a real service across the T+24h boundary", async () => {
    const clock = createClock("2026-11-26T09:00:00Z");
    const care = createCareWindow({ store: createMemoryStore(), now: clock.now });
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    shop.recordsOptIn(ana, "2026-11-01T00:00:00Z", { source: "signup" });
    ana.writes(clock.now(), "Oi");
    await care.record(shop.events);

    expect(clock.advance({ hours: 23, minutes: 59 }).toISOString()).toBe(
      "2026-11-27T08:59:00.000Z",
    );
    assertSession(await care.decide(ana.thread, { kind: "free-form" }), "window-open", ana);
    clock.advance({ minutes: 1 });
    assertTemplate(await care.decide(ana.thread, { kind: "free-form" }), "window-closed", ana);
    clock.set("2026-11-26T10:00:00Z");
    assertSession(await care.decide(ana.thread, { kind: "free-form" }), "window-open", ana);
  });

  it("now() returns a fresh Date each call; ms, negative steps and plain numbers work", () => {
    const clock = createClock(Date.parse("2026-11-26T09:00:00Z"));
    const a = clock.now();
    a.setFullYear(1999);
    expect(clock.now().toISOString()).toBe("2026-11-26T09:00:00.000Z");
    clock.advance({ days: 1, seconds: 1, milliseconds: 1 });
    clock.advance(-1001);
    expect(clock.ms).toBe(Date.parse("2026-11-27T09:00:00Z"));
  });
});
