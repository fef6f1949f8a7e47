/**
 * #15 item 8 (upper-case catalog categories in decide) and #10 item 5 (template names looked up
 * in null-prototype fashion on the decide side: `constructor`, `__proto__`, `toString`,
 * `valueOf` are template names like any other).
 */
import { describe, expect, it } from "vitest";
import type { TemplateCatalog } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { decide } from "../../src/window/decide.js";
import { emptyState, foldEvents } from "../../src/window/state.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread = { business: "106540352242922", customer: "5511987654321" };
const optIn = foldEvents(emptyState(), [
  { kind: "consent", action: "opt-in", scope: "all", source: "signup", at: T - 1000, thread },
]);

describe("TPL-7: template categories in any case", () => {
  it("decide accepts Meta's upper-case spelling and reports ours", () => {
    for (const [given, want] of [
      ["UTILITY", "utility"],
      ["Marketing", "marketing"],
      ["AUTHENTICATION", "authentication"],
    ] as const) {
      const d = decide(optIn, { kind: "template", category: given as never }, T);
      expect(d.outcome).toBe("template");
      expect(d.intent).toMatchObject({ kind: "template", category: want });
      expect(d.pricing.category).toBe(want);
    }
  });

  it("a category that is no category is still refused, naming the field", () => {
    expect(() => decide(optIn, { kind: "template", category: "PROMO" as never }, T)).toThrow(
      expect.objectContaining({ field: "intent.category" }),
    );
  });

  it("the service resolves an upper-case catalog entry (catalog: { name: 'UTILITY' })", async () => {
    const care = createCareWindow({
      store: createMemoryStore(),
      now: () => new Date(T),
      catalog: { order_update: "UTILITY" } as unknown as TemplateCatalog,
    });
    await care.record([
      { kind: "consent", action: "opt-in", scope: "all", source: "signup", at: T - 1000, thread },
    ]);
    const d = await care.decide(thread, {
      kind: "template",
      category: "marketing",
      name: "order_update",
    });
    expect(d.intent).toMatchObject({ category: "utility" });
    expect(d.outcome).toBe("template");
  });
});

describe("#10 item 5: prototype names are template names", () => {
  const names = ["constructor", "__proto__", "toString", "valueOf", "hasOwnProperty"];

  it("without a catalog entry the declared category stands", async () => {
    const care = createCareWindow({ store: createMemoryStore(), now: () => new Date(T) });
    for (const name of names) {
      const d = await care.decide(thread, { kind: "template", category: "utility", name });
      expect(d.intent).toMatchObject({ category: "utility", name });
    }
  });

  it("with a catalog entry under such a name, the catalog's category wins", async () => {
    const catalog = JSON.parse(
      '{"constructor":"marketing","__proto__":"marketing","toString":"MARKETING","valueOf":"marketing"}',
    ) as TemplateCatalog;
    const care = createCareWindow({ store: createMemoryStore(), now: () => new Date(T), catalog });
    for (const name of ["constructor", "__proto__", "toString", "valueOf"]) {
      const d = await care.decide(thread, { kind: "template", category: "utility", name });
      expect(d.intent).toMatchObject({ category: "marketing", name });
    }
  });
});
