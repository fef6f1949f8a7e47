import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { CareEvent, InboundType } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import {
  type Customer,
  type Scenario,
  type Step,
  scenario,
  signedRequest,
  withoutAliases,
} from "../../src/testing.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { WebhookBodySchema } from "../../src/whatsapp/schemas.js";
import { verifySignature } from "../../src/whatsapp/signature.js";
import { decide } from "../../src/window/decide.js";
import { DAY_MS } from "../../src/window/state.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const at = (minutes: number): number => T + minutes * 60_000;

/** The builder contract: the body parses with no issue into exactly the step's events. */
function expectParses(step: Step): void {
  expect(step.body, "a webhook-backed step has a body").toBeDefined();
  expect(WebhookBodySchema.safeParse(step.body).success).toBe(true);
  const parsed = parseWebhook(step.body);
  expect(parsed.issues).toEqual([]);
  expect(parsed.test).toBe(false);
  expect(withoutAliases(parsed.events)).toEqual(step.events);
  // The raw JSON text parses the same way (what a host's endpoint receives).
  expect(withoutAliases(parseWebhook(JSON.stringify(step.body)).events)).toEqual(step.events);
}

const INBOUND_TYPES: readonly InboundType[] = [
  "text",
  "image",
  "audio",
  "video",
  "document",
  "sticker",
  "location",
  "contacts",
  "interactive",
  "button",
  "reaction",
  "order",
  "system",
  "request_welcome",
  "unsupported",
  "unknown",
  "edit",
  "revoke",
];

const CUSTOMER_KINDS = [
  ["with wa_id and BSUID", {}],
  ["pre-2026 (no BSUID)", { userId: null }],
  ["username holder (BSUID only, ID-5)", { hidePhone: true, username: "ana.souza" }],
] as const;

describe.each(CUSTOMER_KINDS)("every builder parses with no issue: customer %s", (_, options) => {
  const setup = (): { shop: Scenario; ana: Customer } => {
    const shop = scenario();
    return { shop, ana: shop.customer("5511987654321", options) };
  };

  it.each(INBOUND_TYPES)("writes type %s (CSW-7, OPEN-3 kinds)", (type) => {
    const { ana } = setup();
    const step = ana.writes(at(0), { type });
    expectParses(step);
    expect(step.events[0]).toMatchObject({ kind: "inbound", type, id: step.id });
  });

  it.each(["button_reply", "list_reply", "nfm_reply", "call_permission_reply", "address_message"])(
    "writes interactive/%s",
    (subtype) => {
      const { ana } = setup();
      const step = ana.writes(at(0), { type: "interactive", subtype, text: "Sim" });
      expectParses(step);
      expect(step.events[0]).toMatchObject({ subtype });
    },
  );

  it("writes text with a string, replies in context, reacts to and removes a reaction", () => {
    const { shop, ana } = setup();
    expectParses(ana.writes(at(0), "Oi, cadê meu pedido?"));
    const reply = shop.replies(ana, at(1));
    expectParses(ana.writes(at(2), { text: "obrigada", replyTo: reply }));
    const reaction = ana.writes(at(3), { type: "reaction" });
    expectParses(reaction);
    const item = reaction.body?.entry[0]?.changes[0]?.value["messages"] as { reaction: unknown }[];
    expect(item[0]?.reaction).toEqual({ message_id: reply.id, emoji: "👍" });
    expectParses(ana.writes(at(4), { type: "reaction", emoji: "", replyTo: "wamid.OLD" }));
    expectParses(ana.writes(at(5), { type: "image", text: "foto" }));
  });

  it("arrivesFromAd: an ad referral (FEP-6), with and without ctwa_clid, and a legacy post", () => {
    const { ana } = setup();
    const ad = ana.arrivesFromAd(at(0), { adId: "120226305854810726", headline: "Promo" });
    expectParses(ad);
    expect(ad.events[0]).toMatchObject({
      referral: { sourceType: "ad", sourceId: "120226305854810726", headline: "Promo" },
    });
    expectParses(ana.arrivesFromAd(at(1), { ctwaClid: null }));
    expectParses(ana.arrivesFromAd(at(2), { sourceType: "post", text: "hello" }));
  });

  it("calls: user-initiated connect, business call accepted / rejected / ringing (CSW-5)", () => {
    const { shop, ana } = setup();
    const call = ana.calls(at(0));
    expectParses(call);
    expect(call.events[0]).toMatchObject({ direction: "user-initiated", phase: "connect" });
    for (const outcome of ["accepted", "rejected", "ringing"] as const) {
      const step = shop.calls(ana, at(1), { outcome });
      expectParses(step);
      expect(step.events[0]).toMatchObject({ direction: "business-initiated", phase: outcome });
    }
  });

  it("statuses of replies and templates: sent, delivered, read, FEP, no pricing", () => {
    const { shop, ana } = setup();
    const reply = shop.replies(ana, at(0));
    expectParses(reply.sent(at(0)));
    const delivered = reply.delivered(at(1));
    expectParses(delivered);
    expect(delivered.events[0]).toMatchObject({
      status: "delivered",
      pricing: { model: "PMP", type: "free_customer_service", category: "service" },
    });
    expectParses(reply.read(at(2), { pricing: null }));
    const template = shop.sendsTemplate(ana, at(3), { name: "order_update", category: "utility" });
    expectParses(template.delivered(at(4)));
    const fep = template.sent(at(3), { freeEntryPoint: { expiresAt: T + 3 * DAY_MS } });
    expectParses(fep);
    expect(fep.events[0]).toMatchObject({
      origin: "referral_conversion",
      conversationExpiresAt: T + 3 * DAY_MS,
      pricing: { type: "free_entry_point", category: "referral_conversion" },
    });
    expectParses(template.read(at(5), { freeEntryPoint: {} }));
  });

  it("statuses before 2025-07-01 are CBP without pricing.type (PRICE-17)", () => {
    const { shop, ana } = setup();
    const old = Date.parse("2025-03-10T12:00:00Z");
    const step = shop.replies(ana, old).delivered(old + 1000);
    expectParses(step);
    expect(step.events[0]).toMatchObject({ pricing: { model: "CBP", category: "service" } });
  });

  it.each([131047, 131050, 131049, 130403, 131026, 130472, 999_999])(
    "fails with %i (ERR-*)",
    (code) => {
      const { shop, ana } = setup();
      const step = shop.replies(ana, at(0)).fails(at(1), code);
      expectParses(step);
      expect(step.events[0]).toMatchObject({ status: "failed", errors: [code] });
    },
  );

  it("fails with several codes at once", () => {
    const { shop, ana } = setup();
    const step = shop
      .sendsTemplate(ana, at(0), { category: "marketing" })
      .fails(at(1), [131049, 131050]);
    expectParses(step);
  });

  it("stops and resumes marketing (user_preferences, CONSENT-5)", () => {
    const { ana } = setup();
    expectParses(ana.stopsMarketing(at(0)));
    expectParses(ana.resumesMarketing(at(1)));
  });

  it("a Business-app reply is an smb_message_echoes webhook with an echo event (CSW-14)", () => {
    const { shop, ana } = setup();
    const echo = shop.replies(ana, at(0), { fromBusinessApp: true, text: "oi" });
    expectParses(echo);
    expect(echo.events[0]).toMatchObject({ kind: "outbound", echo: true, message: "free-form" });
  });

  it("template category changes (TPL-7) parse into a template-category event", () => {
    const { shop } = setup();
    const step = shop.templateCategoryChanges(at(0), { name: "order_update", to: "marketing" });
    expectParses(step);
    expect(step.events[0]).toMatchObject({ kind: "template-category", category: "marketing" });
  });

  it("host-recorded steps have no body: sends, opt-ins, opt-outs, blocks", () => {
    const { shop, ana } = setup();
    const steps = [
      shop.replies(ana, at(0)),
      shop.sendsTemplate(ana, at(1), { name: "csat", category: "utility" }),
      shop.recordsOptIn(ana, at(2), { scope: "marketing", source: "checkout" }),
      shop.recordsOptOut(ana, at(3)),
      shop.blocks(ana, at(4)),
      shop.unblocks(ana, at(5)),
    ];
    for (const step of steps) expect(step.body).toBeUndefined();
    expect(shop.hostEvents).toEqual(steps.flatMap((s) => s.events));
    expect(shop.body().entry).toEqual([]);
    expect(shop.events.every((e) => "thread" in e && e.thread === ana.thread)).toBe(true);
  });
});

describe("batched bodies, ndjson and identity aliases", () => {
  function story(): { shop: Scenario; ana: Customer; bia: Customer } {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const bia = shop.customer("14155550123", { hidePhone: true });
    ana.arrivesFromAd(at(0));
    const reply = shop.replies(ana, at(1));
    reply.sent(at(1));
    reply.delivered(at(2));
    bia.writes(at(3), { type: "image" });
    shop.recordsOptIn(bia, at(4), { scope: "marketing", source: "form" });
    ana.stopsMarketing(at(5));
    bia.calls(at(6));
    shop.sendsTemplate(bia, at(7), { category: "marketing" }).fails(at(8), 131049);
    shop.templateCategoryChanges(at(9), { name: "promo", to: "marketing", from: "utility" });
    return { shop, ana, bia };
  }

  it("body() holds every webhook in one POST, one entry per step, in story order", () => {
    const { shop } = story();
    const body = shop.body();
    const webhookSteps = shop.steps.filter((s) => s.body !== undefined);
    expect(body.entry).toHaveLength(webhookSteps.length);
    const parsed = parseWebhook(body);
    expect(parsed.issues).toEqual([]);
    expect(withoutAliases(parsed.events)).toEqual(webhookSteps.flatMap((s) => s.events));
    expect(shop.bodies()).toEqual(webhookSteps.map((s) => s.body));
  });

  it("body(...steps) batches only the given steps", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const a = ana.writes(at(0), "um");
    ana.writes(at(1), "dois");
    const c = ana.writes(at(2), "três");
    expect(withoutAliases(parseWebhook(shop.body(a, c)).events)).toEqual([
      ...a.events,
      ...c.events,
    ]);
  });

  it("ndjson() is one body per line", () => {
    const { shop } = story();
    const lines = shop.ndjson().trimEnd().split("\n");
    expect(lines).toHaveLength(shop.bodies().length);
    for (const [i, line] of lines.entries()) {
      expect(JSON.parse(line)).toEqual(shop.bodies()[i]);
      expect(parseWebhook(line).issues).toEqual([]);
    }
  });

  it("ID-6: the parser adds wa_id → BSUID alias events, and only those, on top", () => {
    const { shop, ana, bia } = story();
    const parsed = parseWebhook(shop.body());
    const aliases = parsed.events.filter((e) => e.kind === "identity");
    expect(aliases).toHaveLength(1);
    expect(aliases[0]).toMatchObject({ change: "alias", from: ana.waId, to: ana.userId });
    // bia hides her phone: no wa_id in any payload, so no alias, and her thread is her BSUID.
    expect(bia.thread.customer).toBe(bia.userId);
  });

  it("the same story builds byte-identical bodies and events every time", () => {
    expect(JSON.stringify(story().shop.body())).toBe(JSON.stringify(story().shop.body()));
    expect(story().shop.events).toEqual(story().shop.events);
  });

  it("defaults: wamid.<n> ids, names, display number, CC.digits BSUIDs", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const bob = shop.customer("16505551234");
    expect(ana.name).toBe("Ana");
    expect(bob.name).toBe("Bruno");
    expect(ana.userId).toMatch(/^BR\.\d{20}$/);
    expect(bob.userId).toMatch(/^US\.\d{20}$/);
    expect(ana.userId).not.toBe(bob.userId);
    expect(shop.customer("5511987654321")).toBe(ana);
    expect(ana.writes(at(0)).id).toBe("wamid.1");
    expect(shop.replies(ana, at(1)).id).toBe("wamid.2");
    expect(ana.calls(at(2)).id).toBe("wacid.3");
    const value = ana.writes(at(3)).body?.entry[0]?.changes[0]?.value;
    expect(value?.["metadata"]).toEqual({
      display_phone_number: "15550783881",
      phone_number_id: "106540352242922",
    });
    expect(scenario({ idPrefix: "wamid.T-" }).customer("5511987654321").writes(at(0)).id).toBe(
      "wamid.T-1",
    );
  });
});

describe("time inputs", () => {
  it("accepts Date, ISO string and epoch ms for the same instant", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const a = ana.writes(new Date(T), "x").events[0];
    const b = ana.writes("2026-11-26T09:00:00Z", "x").events[0];
    const c = ana.writes(T, "x").events[0];
    expect([a?.at, b?.at, c?.at]).toEqual([T, T, T]);
  });

  it("CSW-3: webhook events are floored to Meta's whole seconds; host events keep the ms", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const step = ana.writes(T + 750, "x");
    expect(step.events[0]?.at).toBe(T);
    expectParses(step);
    expect(shop.recordsOptIn(ana, T + 750).events[0]?.at).toBe(T + 750);
  });

  it("rejects bad input with InvalidInputError naming the field", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    const field = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        return (e as InvalidInputError).field;
      }
      return undefined;
    };
    expect(field(() => ana.writes("yesterday"))).toBe("at");
    expect(field(() => ana.writes(Number.NaN))).toBe("at");
    expect(field(() => shop.customer("+5511987654321"))).toBe("waId");
    expect(field(() => scenario().replies(ana, T))).toBe("customer");
    expect(field(() => shop.replies(ana, T).fails(T, []))).toBe("code");
    expect(
      field(() => shop.sendsTemplate(ana, T, { category: "promo" as unknown as "marketing" })),
    ).toBe("options.category");
    expect(field(() => shop.recordsOptIn(ana, T, { source: "" }))).toBe("options.source");
    expect(field(() => shop.customer("5511900000000", { userId: null, hidePhone: true }))).toBe(
      "options.hidePhone",
    );
  });
});

describe("signedRequest", () => {
  it("signs the exact raw body so verifySignature accepts it, and a changed body fails", async () => {
    const shop = scenario();
    shop.customer("5511987654321").writes(T, "olá, ação! 👋");
    const { rawBody, headers } = await signedRequest(shop.body(), "app-secret");
    expect(headers["content-type"]).toBe("application/json");
    expect(headers["x-hub-signature-256"]).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifySignature(rawBody, headers["x-hub-signature-256"], "app-secret")).toBe(true);
    expect(await verifySignature(`${rawBody} `, headers["x-hub-signature-256"], "app-secret")).toBe(
      false,
    );
    expect(await verifySignature(rawBody, headers["x-hub-signature-256"], "other")).toBe(false);
    expect(parseWebhook(rawBody).events.length).toBeGreaterThan(0);
    const fromString = await signedRequest(rawBody, "app-secret");
    expect(fromString.headers).toEqual(headers);
  });
});

describe("stories decide like the rules say", () => {
  it("CSW-2: a text at T keeps the window open until T+24h, exclusive", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    ana.writes(T, "Oi");
    shop.recordsOptIn(ana, T - DAY_MS, { scope: "all", source: "signup" }); // CONSENT-2
    const freeForm = { kind: "free-form" } as const;
    expect(decide(ana.state(), freeForm, T + DAY_MS - 1).outcome).toBe("session");
    expect(decide(ana.state(), freeForm, T + DAY_MS).reason).toBe("window-closed");
  });

  it("CSW-12: a 131047 failure closes the window; CONSENT-5: a stop blocks marketing", () => {
    const shop = scenario();
    const ana = shop.customer("5511987654321");
    shop.recordsOptIn(ana, T - DAY_MS, { source: "signup" });
    ana.writes(T, "Oi");
    shop.replies(ana, at(60)).fails(at(61), 131047);
    expect(decide(ana.state(), { kind: "free-form" }, at(62)).reason).toBe(
      "window-closed-by-error",
    );
    ana.stopsMarketing(at(63));
    expect(decide(ana.state(), { kind: "template", category: "marketing" }, at(64)).reason).toBe(
      "marketing-stopped",
    );
  });

  it("ingestInto(care) and care.record(shop.events) reach the same decisions", async () => {
    const build = () => {
      const shop = scenario();
      const ana = shop.customer("5511987654321");
      const bia = shop.customer("5511900000002");
      ana.arrivesFromAd(T);
      shop.replies(ana, at(5)).delivered(at(6));
      shop.recordsOptIn(bia, at(7), { scope: "marketing", source: "form" });
      bia.stopsMarketing(at(8));
      return { shop, threads: [ana.thread, bia.thread] };
    };
    const now = () => new Date(at(120));
    const viaWebhooks = createCareWindow({ store: createMemoryStore(), now });
    const viaEvents = createCareWindow({ store: createMemoryStore(), now });
    const a = build();
    await a.shop.ingestInto(viaWebhooks);
    const b = build();
    await viaEvents.record(b.shop.events);
    for (const intent of [
      { kind: "free-form" },
      { kind: "template", category: "marketing" },
    ] as const) {
      for (const [i, thread] of a.threads.entries()) {
        const x = await viaWebhooks.decide(thread, intent);
        const y = await viaEvents.decide(b.threads[i]!, intent);
        expect([x.outcome, x.reason]).toEqual([y.outcome, y.reason]);
      }
    }
    expect(
      (await viaWebhooks.decide(a.threads[1]!, { kind: "template", category: "marketing" })).reason,
    ).toBe("marketing-stopped");
  });
});

describe("property: any story's batched body parses into its webhook events", () => {
  type Action = { who: number; what: number; minute: number; code: number };
  const action = fc.record({
    who: fc.integer({ min: 0, max: 2 }),
    what: fc.integer({ min: 0, max: 11 }),
    minute: fc.integer({ min: 0, max: 60 * 24 * 30 }),
    code: fc.constantFrom(131047, 131049, 131050, 130403, 131026),
  });

  function play(actions: readonly Action[]): Scenario {
    const shop = scenario();
    const people = [
      shop.customer("5511987654321"),
      shop.customer("16505551234", { userId: null }),
      shop.customer("447700900123", { hidePhone: true }),
    ];
    for (const [i, { who, what, minute, code }] of actions.entries()) {
      const c = people[who]!;
      const t = at(minute) + (minute % 7) * 137; // sub-second noise, floored by the builders
      const types: readonly InboundType[] = ["text", "image", "reaction", "button", "unsupported"];
      switch (what) {
        case 0:
          c.writes(t, { type: types[minute % types.length]! });
          break;
        case 1:
          c.arrivesFromAd(t);
          break;
        case 2:
          c.calls(t);
          break;
        case 3:
          shop.replies(c, t).delivered(t + 1000);
          break;
        case 4:
          shop.sendsTemplate(c, t, { category: "marketing" }).fails(t + 2000, code);
          break;
        case 5:
          c.stopsMarketing(t);
          break;
        case 6:
          c.resumesMarketing(t);
          break;
        case 7:
          shop.recordsOptIn(c, t, { scope: "marketing" });
          break;
        case 8:
          shop.calls(c, t);
          break;
        case 9:
          shop.replies(c, t, { fromBusinessApp: true });
          break;
        case 10:
          // One template per action: two identical changes (same name, minute and category)
          // are one event after the parser's de-duplication (TPL-7), not two.
          shop.templateCategoryChanges(t, { name: `t${minute}-${i}`, to: "utility" });
          break;
        default:
          shop.sendsTemplate(c, t, { category: "utility" }).sent(t, {
            freeEntryPoint: { expiresAt: t + 3 * DAY_MS },
          });
      }
    }
    return shop;
  }

  it("zero issues and exactly the webhook-backed events, in order", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const shop = play(actions);
        const parsed = parseWebhook(shop.body());
        const expected: CareEvent[] = shop.steps
          .filter((s) => s.body !== undefined)
          .flatMap((s) => s.events);
        expect(parsed.issues).toEqual([]);
        expect(withoutAliases(parsed.events)).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });
});
