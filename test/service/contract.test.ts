/**
 * Issue 10: one event contract from webhook to store. Per-item isolation in `ingest`, bounds on
 * instants, typed errors for bad options, null-prototype lookups, and the number-change order
 * case. The `BI-n` tests back the rows of the bad-input table in docs/bad-input.md.
 */
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CareWindowError, InvalidInputError } from "../../src/domain/errors.js";
import {
  CONTRACT_FIELDS,
  checkEvent,
  EARLIEST_INSTANT,
  LATEST_INSTANT,
} from "../../src/domain/event.js";
import type { CareEvent, Thread } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { renderTimelineText } from "../../src/timeline.js";
import { classifySend } from "../../src/whatsapp/classify.js";
import { parseWebhook } from "../../src/whatsapp/parse.js";
import { decide } from "../../src/window/decide.js";
import { emptyState } from "../../src/window/state.js";
import { BUSINESS, inboundBody } from "./fixtures.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const NOW = T + 3_600_000;
const thread: Thread = { business: BUSINESS, customer: "5511987654321" };
const service = (extra: Record<string, unknown> = {}) => {
  const store = createMemoryStore();
  return { store, care: createCareWindow({ store, now: () => new Date(NOW), ...extra }) };
};

let deep: unknown = 1;
for (let i = 0; i < 5_000; i++) deep = [deep];

/** A body of messages, one per customer, with per-item overrides. */
function messagesBody(items: readonly Record<string, unknown>[]): unknown {
  return {
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102290129340398",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550783881", phone_number_id: BUSINESS },
              messages: items.map((o, i) => ({
                from: `55119000000${String(i).padStart(2, "0")}`,
                id: `wamid.${i}`,
                timestamp: String(T / 1000 - i),
                type: "text",
                text: { body: "oi" },
                ...o,
              })),
            },
          },
        ],
      },
    ],
  };
}

async function typedError(run: () => unknown): Promise<CareWindowError> {
  let caught: unknown;
  try {
    await run();
  } catch (error) {
    caught = error;
  }
  if (!(caught instanceof CareWindowError)) {
    expect.fail(`expected a CareWindowError, got ${String(caught)}`);
  }
  return caught;
}

describe("issue 10: per-item isolation in ingest (CSW-4)", () => {
  it.each([
    ["an empty type", { type: "" }],
    ["a NUL in the id", { id: "wamid.\u0000" }],
    ["a lone surrogate in from", { from: "55\ud800" }],
    ["a timestamp of year 5138 (99999999999 s)", { timestamp: "99999999999" }],
    ["a timestamp before 2009", { timestamp: "1000" }],
  ])("an item with %s is an issue at its path; its siblings are recorded", async (_, bad) => {
    const { care } = service();
    const r = await care.ingest(messagesBody([{}, bad, {}]));
    expect(r.events.map((e) => (e as { id: string }).id)).toEqual(["wamid.0", "wamid.2"]);
    expect(r.issues.map((i) => i.path)).toContain("entry[0].changes[0].value.messages[1]");
    expect(r.recorded.events).toBe(2);
    const s = await care.state({ business: BUSINESS, customer: "5511900000000" });
    expect(s.inbound.message).toBe(T);
  });

  it("ERR-1: a status with error code 131047.5 or an empty status is an issue, not a lost batch", async () => {
    const { care } = service();
    const body = {
      object: "whatsapp_business_account",
      entry: [
        {
          id: "1",
          changes: [
            {
              field: "messages",
              value: {
                metadata: { display_phone_number: "1", phone_number_id: BUSINESS },
                statuses: [
                  {
                    id: "wamid.A",
                    status: "failed",
                    timestamp: String(T / 1000),
                    recipient_id: "5511",
                    errors: [{ code: 131047.5 }],
                  },
                  { id: "wamid.B", status: "", timestamp: String(T / 1000), recipient_id: "5512" },
                  {
                    id: "wamid.C",
                    status: "sent",
                    timestamp: String(T / 1000),
                    recipient_id: "5513",
                  },
                ],
              },
            },
          ],
        },
      ],
    };
    const r = await care.ingest(body);
    expect(r.recorded.events).toBeGreaterThanOrEqual(1);
    expect((await care.state({ business: BUSINESS, customer: "5513" })).outbound).toEqual([T]);
    expect(r.issues.length).toBeGreaterThanOrEqual(2);
  });

  it("a 1,000-update body with one bad message records the other 999", async () => {
    const { care } = service();
    const items = Array.from({ length: 1_000 }, (_, i) => (i === 500 ? { type: "" } : {}));
    const r = await care.ingest(messagesBody(items));
    expect(r.recorded.events).toBe(999);
    expect(r.issues).toContainEqual(
      expect.objectContaining({
        path: "entry[0].changes[0].value.messages[500]",
        code: "invalid-item",
      }),
    );
  });

  it("ingest throws only for a body that is not JSON or not an object", async () => {
    const { care } = service();
    expect(await typedError(() => care.ingest("{"))).toMatchObject({ code: "invalid-json" });
    expect(await typedError(() => care.ingest([]))).toMatchObject({ code: "invalid-body" });
  });

  it("property: everything parseWebhook emits from fuzzed bodies is accepted by record", async () => {
    const junk = fc.oneof(
      fc.constantFrom("", "\u0000", "\ud800", "__proto__", "constructor", "99999999999", "1"),
      fc.jsonValue({ maxDepth: 2 }),
    );
    const fields = fc.constantFrom(
      "id",
      "from",
      "timestamp",
      "type",
      "text",
      "referral",
      "interactive",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.option(fc.tuple(fields, junk), { nil: undefined }), {
          minLength: 1,
          maxLength: 5,
        }),
        async (damage) => {
          const body = messagesBody(damage.map((d) => (d === undefined ? {} : { [d[0]]: d[1] })));
          // With the service's clock, as `ingest` parses (a parse without one cannot know "future").
          const { events } = parseWebhook(body, { now: NOW });
          for (const e of events) expect(checkEvent(e).ok).toBe(true);
          const { care } = service();
          await expect(care.record(events)).resolves.toMatchObject({ events: events.length });
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("issue 10: bounds on instants (CSW-3)", () => {
  it("BI-1 record: an instant a Date cannot hold is a typed error naming the field", async () => {
    const { care } = service();
    const e = await typedError(() =>
      care.record([{ kind: "inbound", id: "w", type: "text", at: 1e20, thread }]),
    );
    expect(e).toMatchObject({ code: "invalid-event", field: "events[0].at" });
    expect(
      checkEvent({ kind: "inbound", id: "w", type: "text", at: LATEST_INSTANT, thread }).ok,
    ).toBe(true);
  });

  it("BI-2 record: Unix seconds get the hint 'looks like Unix seconds; pass milliseconds'", async () => {
    const { care } = service();
    const e = await typedError(() =>
      care.record([{ kind: "inbound", id: "w", type: "text", at: T / 1000, thread }]),
    );
    expect(e).toMatchObject({ field: "events[0].at" });
    expect(e.message).toContain("looks like Unix seconds; pass milliseconds");
    expect(checkEvent({ kind: "block", value: "block", at: EARLIEST_INSTANT - 1, thread }).ok).toBe(
      false,
    );
  });

  it("BI-3 record: an inbound more than the skew (default 1 day) ahead is refused and anchors nothing", async () => {
    const { care } = service();
    const e = await typedError(() =>
      care.record([{ kind: "inbound", id: "w", type: "text", at: NOW + 86_400_001, thread }]),
    );
    expect(e).toMatchObject({ code: "invalid-event", field: "events[0].at" });
    expect((await care.state(thread)).inbound).toEqual({});
    // Within the skew: accepted.
    await care.record([{ kind: "inbound", id: "w", type: "text", at: NOW + 86_400_000, thread }]);
  });

  it("BI-4 ingest: a future-dated inbound is an invalid-timestamp issue; the skew is configurable", async () => {
    const body = inboundBody({ ts: (NOW + 2 * 86_400_000) / 1000, wamid: "wamid.F" });
    const strict = service();
    const r = await strict.care.ingest(body);
    expect(r.events).toEqual([]);
    expect(r.issues).toEqual([expect.objectContaining({ code: "invalid-timestamp" })]);
    expect((await strict.care.decide(thread, { kind: "free-form" })).outcome).not.toBe("session");
    const loose = service({ maxFutureSkewMs: 3 * 86_400_000 });
    expect((await loose.care.ingest(body)).events).toHaveLength(1);
  });
});

describe("issue 10: typed errors for every bad option; null is refused, never 'absent'", () => {
  const { care } = service();
  const rows: [string, () => unknown, string][] = [
    ["BI-5 createCareWindow(null)", () => createCareWindow(null as never), "options"],
    ["BI-6 createCareWindow timeZone: 5", () => service({ timeZone: 5 }), "options.timeZone"],
    ["BI-7 createCareWindow era: null", () => service({ era: null }), "options.era"],
    [
      "BI-8 createCareWindow openWindowOn: null",
      () => service({ openWindowOn: null }),
      "options.openWindowOn",
    ],
    [
      "BI-9 createCareWindow catalog entry 'promo'",
      () => service({ catalog: { x: "promo" } }),
      'options.catalog["x"]',
    ],
    [
      "BI-10 createCareWindow maxFutureSkewMs: -1",
      () => service({ maxFutureSkewMs: -1 }),
      "options.maxFutureSkewMs",
    ],
    [
      "BI-11 decide(thread, intent, null)",
      () => care.decide(thread, { kind: "free-form" }, null as never),
      "options",
    ],
    [
      "BI-12 decide timeZone: 5",
      () => care.decide(thread, { kind: "free-form" }, { timeZone: 5 } as never),
      "options.timeZone",
    ],
    [
      "BI-13 decide openWindowOn: 5",
      () => care.decide(thread, { kind: "free-form" }, { openWindowOn: 5 } as never),
      "options.openWindowOn",
    ],
    [
      "BI-14 decide(null thread)",
      () => care.decide(null as never, { kind: "free-form" }),
      "thread",
    ],
    ["BI-15 decide(thread, null)", () => care.decide(thread, null as never), "intent"],
    [
      "BI-16 decideMany(null)",
      () => care.decideMany(null as never, { kind: "free-form" }),
      "threads",
    ],
    [
      "BI-17 decideMany(threads, intent, null)",
      () => care.decideMany([thread], { kind: "free-form" }, null as never),
      "options",
    ],
    ["BI-18 ingest(body, null)", () => care.ingest({}, null as never), "options"],
    ["BI-19 ingest(null)", () => care.ingest(null), "body"],
    ["BI-20 record(null)", () => care.record(null as never), "events"],
    ["BI-21 state(null)", () => care.state(null as never), "thread"],
    ["BI-22 parseWebhook(body, null)", () => parseWebhook({}, null as never), "options"],
    [
      "BI-23 parseWebhook now: 'soon'",
      () => parseWebhook({}, { now: "soon" } as never),
      "options.now",
    ],
    [
      "BI-24 classifySend(body, null)",
      () => classifySend({ messaging_product: "whatsapp" }, null as never),
      "options",
    ],
    [
      "BI-25 classifySend endpoint: 5",
      () => classifySend({ messaging_product: "whatsapp" }, { endpoint: 5 } as never),
      "options.endpoint",
    ],
    [
      "BI-26 pure decide(state, intent, now, null)",
      () => decide(emptyState(), { kind: "free-form" }, T, null as never),
      "options",
    ],
    [
      "BI-27 pure decide era: null",
      () => decide(emptyState(), { kind: "free-form" }, T, { era: null } as never),
      "options.era",
    ],
    [
      "BI-30 pure decide now: 1e20 (no Date holds it)",
      () => decide(emptyState(), { kind: "free-form" }, 1e20),
      "now",
    ],
    [
      "BI-31 renderTimelineText now: 8.64e15 + 1 (was a RangeError)",
      () => renderTimelineText(emptyState(), 8.64e15 + 1),
      "now",
    ],
    [
      "BI-32 timeZone 'Mars123+05' (an offset inside a name is not a zone)",
      () => decide(emptyState(), { kind: "free-form" }, T, { timeZone: "Mars123+05" }),
      "options.timeZone",
    ],
    [
      "BI-33 createCareWindow timeZone 'foo+0530'",
      () => createCareWindow({ store: createMemoryStore(), timeZone: "foo+0530" }),
      "options.timeZone",
    ],
    [
      "BI-28 record event with a NUL in thread.customer",
      () =>
        care.record([
          { kind: "block", value: "block", at: T, thread: { business: "1", customer: "a\u0000" } },
        ]),
      "events[0].thread.customer",
    ],
  ];
  it.each(rows.map(([name, run, field]) => [name, field, run] as const))(
    "%s is an InvalidInputError naming %s",
    async (_, field, run) => {
      const e = await typedError(run);
      expect(e).toBeInstanceOf(InvalidInputError);
      expect(e.field).toBe(field);
    },
  );

  it("BI-29 hostile JSON: arrays nested 5,000 deep in object, entry.time or a timestamp never throw untyped", async () => {
    const bodies = [
      { object: deep },
      {
        object: "whatsapp_business_account",
        entry: [
          {
            id: "1",
            time: deep,
            changes: [
              {
                field: "template_category_update",
                value: { message_template_name: "x", new_category: "UTILITY" },
              },
            ],
          },
        ],
      },
      messagesBody([{ timestamp: deep }, {}]),
      {
        object: "page",
        entry: [{ id: "1", time: deep, messaging: [{ sender: { id: deep }, timestamp: deep }] }],
      },
    ];
    for (const body of bodies) {
      const r = await care.ingest(body);
      expect(Array.isArray(r.issues)).toBe(true);
    }
  });
});

describe("issue 10: null-prototype lookups (TPL-7, OPEN-3)", () => {
  it.each(["constructor", "__proto__", "toString", "valueOf"])(
    "TPL-7: a template named %s decides and keeps its catalog entry",
    async (name) => {
      const catalog: Record<string, string> = Object.create(null);
      catalog[name] = "UTILITY";
      const { care } = service({ catalog });
      const d = await care.decide(thread, { kind: "template", category: "marketing", name });
      expect(d.outcome).toBeDefined();
      const c = await care.catalog();
      expect(Object.hasOwn(c, name)).toBe(true);
      expect(c[name]).toBe("utility");
    },
  );

  it("TPL-7: a catalog category in Meta's upper case ('UTILITY') is accepted by decide and decideMany", async () => {
    const { care } = service({ catalog: { order_update: "UTILITY" } });
    const d = await care.decideMany([thread], {
      kind: "template",
      category: "marketing",
      name: "order_update",
    });
    expect(d.session.length + d.template.length + d.blocked.length).toBe(1);
  });

  it("OPEN-3: an inbound of type constructor is kept as an unknown type, not dropped", async () => {
    const { care } = service();
    await care.record([{ kind: "inbound", id: "w", type: "constructor", at: T, thread }]);
    expect((await care.state(thread)).inbound).toEqual({ other: T });
  });
});

describe("issue 10: number changes in any order (OPEN-15, CONSENT-5, CONSENT-9)", () => {
  const oldThread = { business: BUSINESS, customer: "5511911111111" };
  const newThread = { business: BUSINESS, customer: "5511922222222" };
  const change = {
    kind: "identity",
    change: "number-changed",
    business: BUSINESS,
    from: oldThread.customer,
    to: newThread.customer,
    at: T,
  } as const;
  const restrictions = [
    { kind: "marketing-preference", value: "stop", at: T - 5_000, thread: oldThread },
    { kind: "block", value: "block", at: T - 4_000, thread: oldThread },
    {
      kind: "consent",
      action: "opt-out",
      scope: "all",
      source: "keyword",
      at: T - 3_000,
      thread: oldThread,
    },
  ] as const;

  it("OPEN-15: restrictions reach the new number whether they arrive before or after the change", async () => {
    const before = service();
    await before.care.record([...restrictions]);
    await before.care.record([change]);
    const after = service();
    await after.care.record([change]);
    for (const r of restrictions) await after.care.record([r]);
    const a = await before.care.state(newThread);
    const b = await after.care.state(newThread);
    expect(b).toEqual(a);
    // Kept apart from the new number's own members (OPEN-15: they restrict, never grant).
    expect(a.carried?.marketing).toEqual({ on: T - 5_000 });
    expect(a.carried?.blocked).toEqual({ on: T - 4_000 });
    expect(a.carried?.consent.all?.action).toBe("opt-out");
    expect(a.marketing).toBeUndefined();
    const utility = { kind: "template", category: "utility" } as const;
    for (const care of [before.care, after.care]) {
      const d = await care.decide(newThread, utility);
      expect([d.outcome, d.reason]).toEqual(["blocked", "business-blocked"]);
    }
  });

  it("OPEN-15: a chain of changes forwards late restrictions to the latest number", async () => {
    const third = { business: BUSINESS, customer: "5511933333333" };
    const { care } = service();
    await care.record([change]);
    await care.record([{ ...change, from: newThread.customer, to: third.customer, at: T + 1 }]);
    await care.record([restrictions[0]]);
    // One level per number: the new number (B) carried nothing of its own, the old one (A) its stop.
    expect((await care.state(third)).carried?.carried?.marketing).toEqual({ on: T - 5_000 });
    const d = await care.decide(third, { kind: "template", category: "marketing" });
    expect(d.reason).toBe("marketing-stopped");
  });

  const stop = restrictions[0];
  const resume = { kind: "marketing-preference", value: "resume", thread: oldThread } as const;
  const marketing = { kind: "template", category: "marketing" } as const;
  const reasonOf = async (events: readonly (readonly CareEvent[])[], thread = newThread) => {
    const { care } = service({ requireOptIn: false });
    for (const batch of events) await care.record(batch);
    return (await care.decide(thread, marketing)).reason;
  };

  it("OPEN-15: a lift on the old number reaches the new one whether it arrives before or after the change", async () => {
    const lifted = { ...resume, at: T - 1_000 };
    const orders = [
      [[stop], [lifted], [change]],
      [[stop], [change], [lifted]],
      [[change], [lifted], [stop]],
      [[lifted, change, stop]],
    ];
    for (const order of orders) expect(await reasonOf(order)).not.toBe("marketing-stopped");
    // A resume older than the stop lifts nothing, in any order.
    const older = { ...resume, at: T - 9_000 };
    for (const order of [
      [[stop], [older], [change]],
      [[change], [older], [stop]],
    ]) {
      expect(await reasonOf(order)).toBe("marketing-stopped");
    }
  });

  it("OPEN-15: a carried lift never lifts the new number's own stop; its own later resume lifts a carried one", async () => {
    const ownStop = {
      kind: "marketing-preference",
      value: "stop",
      at: T + 10_000,
      thread: newThread,
    } as const;
    const oldResume = { ...resume, at: T + 20_000 };
    expect(await reasonOf([[ownStop], [change], [oldResume]])).toBe("marketing-stopped");
    expect(await reasonOf([[oldResume, change, ownStop]])).toBe("marketing-stopped");
    const ownResume = { ...resume, at: T + 20_000, thread: newThread };
    expect(await reasonOf([[stop, change, ownResume]])).not.toBe("marketing-stopped");
    expect(await reasonOf([[ownResume], [change], [stop]])).not.toBe("marketing-stopped");
  });

  it("OPEN-15: an opt-in on the old number grants the new one nothing (requireOptIn)", async () => {
    const optIn = {
      kind: "consent",
      action: "opt-in",
      scope: "all",
      source: "form",
      at: T - 1_000,
      thread: oldThread,
    } as const;
    const { care } = service({ requireOptIn: true });
    await care.record([optIn, change]);
    expect((await care.decide(newThread, marketing)).reason).toBe("no-opt-in");
    expect((await care.decide(oldThread, marketing)).reason).not.toBe("no-opt-in");
  });
});

describe("issue 10: the one event contract covers every field of every event type", () => {
  const t = { business: BUSINESS, customer: "5511" };
  const full: Record<string, Record<string, unknown>> = {
    inbound: {
      kind: "inbound",
      id: "w",
      type: "interactive",
      at: T,
      thread: t,
      subtype: "button_reply",
      referral: { sourceType: "ad", sourceId: "1", sourceUrl: "u", ctwaClid: "c", headline: "h" },
      action: "message",
    },
    call: {
      kind: "call",
      id: "c",
      direction: "user-initiated",
      phase: "connect",
      at: T,
      thread: t,
    },
    outbound: {
      kind: "outbound",
      id: "o",
      message: "template",
      at: T,
      thread: t,
      type: "template",
      category: "utility",
      echo: true,
    },
    status: {
      kind: "status",
      id: "s",
      status: "failed",
      at: T,
      thread: t,
      pricing: {
        model: "PMP",
        type: "regular",
        category: "utility",
        billable: true,
        subtype: "paid_exempt",
      },
      conversationExpiresAt: T + 1,
      conversationId: "cid",
      origin: "utility",
      errors: [131049],
      message: "template",
      type: "template",
      retryAfter: T + 2,
      errorSubcode: 1893063,
      tag: "ACCOUNT_UPDATE",
    },
    consent: { kind: "consent", action: "opt-in", scope: "all", source: "form", at: T, thread: t },
    "template-category": {
      kind: "template-category",
      name: "n",
      category: "utility",
      at: T,
      account: "a",
      language: "en",
      status: "APPROVED",
    },
    identity: {
      kind: "identity",
      change: "alias",
      from: "a",
      to: "b",
      at: T,
      business: BUSINESS,
      channel: "whatsapp",
    },
  };
  it.each(Object.keys(CONTRACT_FIELDS))(
    "CSW-4: a %s event with every field passes unchanged",
    (kind) => {
      const event = full[kind] as Record<string, unknown>;
      expect(Object.keys(event).sort()).toEqual(
        Object.keys(CONTRACT_FIELDS[kind as keyof typeof CONTRACT_FIELDS]).sort(),
      );
      const r = checkEvent(event);
      expect(r).toEqual({ ok: true, event });
    },
  );
});
