// The examples of docs/testing.md, run by the suite: the page's ```ts blocks are `// file:` copies
// of the `// #region`s here and of host-policy.test.ts (test/docs and test/testing-kit check them).
import { describe, expect, it } from "vitest";
import { createCareWindow, createMemoryStore, decide } from "../../src/index.js";
import {
  assertBlocked,
  CareWindowAssertionError,
  createClock,
  expectDecision,
  scenario,
  signedRequest,
  withoutAliases,
} from "../../src/testing.js";
import { parseWebhook, verifySignature } from "../../src/whatsapp.js";

describe("docs/testing.md", () => {
  it("a story gives webhook bodies and core events", () => {
    // #region story
    const shop = scenario({ business: "106540352242922" });
    const ana = shop.customer("5511987654321");
    const hello = ana.arrivesFromAd("2026-11-26T09:00:00Z", { adId: "120226305854810726" });
    const reply = shop.replies(ana, "2026-11-26T09:02:00Z");
    reply.delivered("2026-11-26T09:02:03Z");
    ana.stopsMarketing("2026-11-26T18:00:00Z");

    hello.body; // { object: "whatsapp_business_account", entry: [ … messages … ] }
    reply.body; // undefined: your own sends have no webhook; reply.events go to care.record
    shop.body(); // every webhook of the story in one POST
    shop.events; // inbound, outbound, status, marketing-preference
    // #endregion story
    // #region parses
    expect(withoutAliases(parseWebhook(shop.body()).events)).toEqual(
      shop.steps.filter((step) => step.body !== undefined).flatMap((step) => step.events),
    );
    // #endregion parses
  });

  it("the pure core needs no service", () => {
    // #region pure-core
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    shop.recordsOptIn(ana, "2026-11-01T00:00:00Z", { scope: "marketing", source: "checkout" });
    ana.writes("2026-11-26T09:00:00Z", "Oi!");
    ana.stopsMarketing("2026-11-26T09:30:00Z");
    const promo = decide(
      ana.state(),
      { kind: "template", category: "marketing" },
      new Date("2026-11-26T10:00:00Z"),
    );
    assertBlocked(promo, "marketing-stopped", ana);
    // #endregion pure-core
  });

  it("your webhook endpoint, end to end", async () => {
    // #region endpoint
    const appSecret = "test-app-secret";
    const care = createCareWindow({
      store: createMemoryStore(),
      now: createClock("2026-11-26T10:00:00Z").now,
    });
    // Your handler (normally imported from your app):
    async function handleWebhook(rawBody: string, headers: Record<string, string>) {
      if (!(await verifySignature(rawBody, headers["x-hub-signature-256"], appSecret))) return 401;
      await care.ingest(rawBody);
      return 200;
    }

    const shop = scenario();
    const ana = shop.customer("5511987654321");
    ana.writes("2026-11-26T09:00:00Z", "Meu pedido atrasou");
    const { rawBody, headers } = await signedRequest(shop.body(), appSecret);
    expect(await handleWebhook(rawBody, headers)).toBe(200);
    expect(await handleWebhook(`${rawBody} `, headers)).toBe(401); // a changed body fails
    // #endregion endpoint
    expectDecision(await care.decide(ana.thread, { kind: "free-form" }), {
      outcome: "session",
      closesAt: "2026-11-27T09:00:00Z",
    });
  });

  it("a failing check explains itself", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    shop.recordsOptIn(ana, "2026-11-01T00:00:00Z", { source: "signup" });
    ana.writes("2026-11-26T09:00:00Z", "Oi!");
    const late = decide(ana.state(), { kind: "free-form" }, new Date("2026-11-27T10:00:00Z"));
    let error: unknown;
    try {
      expectDecision(late, { outcome: "session" }, ana);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CareWindowAssertionError);
    expect(String(error)).toContain('outcome: expected "session", got "template"');
    expect(String(error)).toContain("the 24-hour window closed at 2026-11-27 09:00 UTC");
  });
});
