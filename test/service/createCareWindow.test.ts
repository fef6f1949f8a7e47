import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import type { Thread, ThreadEvent } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { StoreConflictError, StoredStateError, StoreFailureError } from "../../src/store/errors.js";
import { createMemoryStore } from "../../src/store/memory.js";
import type { CareWindowStore } from "../../src/store/port.js";
import { createClock } from "../../src/testing.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { BUSINESS, inboundBody, mixedBody, statusBody, templateStatusBody } from "./fixtures.js";
import { countingStore } from "./helpers.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const thread: Thread = { business: BUSINESS, customer: "5511987654321" };
const other: Thread = { business: BUSINESS, customer: "5511900000001" };

const inbound = (at: number | Date, t: Thread = thread, id = `wamid.in.${+at}`) =>
  ({ kind: "inbound", id, type: "text", at, thread: t }) as const;
const delivered = (id: string, at: number, extra: Record<string, unknown> = {}, t = thread) =>
  ({
    kind: "status",
    id,
    status: "delivered",
    pricing: { category: "service" },
    at,
    thread: t,
    ...extra,
  }) as const;

function setup(
  options: { store?: CareWindowStore; timeZone?: string; requireOptIn?: boolean } = {},
) {
  const clock = createClock(T + 3_600_000);
  const store = options.store ?? createMemoryStore();
  const care = createCareWindow({
    store,
    now: clock.now,
    ...(options.timeZone === undefined ? {} : { timeZone: options.timeZone }),
    ...(options.requireOptIn === undefined ? {} : { requireOptIn: options.requireOptIn }),
  });
  return { care, clock, store };
}

function caught(fn: () => unknown): Promise<unknown> {
  return Promise.resolve()
    .then(fn)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
}

describe("record: validation (typed errors naming the field)", () => {
  it("events[3].at: an invalid instant names the event and field", async () => {
    const { care } = setup();
    const e = await caught(() =>
      care.record([inbound(T), inbound(T + 1), inbound(T + 2), inbound(Number.NaN)]),
    );
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e).toMatchObject({ code: "invalid-event", field: "events[3].at" });
  });

  it("an invalid Date is rejected like NaN", async () => {
    const { care } = setup();
    const e = await caught(() => care.record([inbound(new Date("nope"))]));
    expect(e).toMatchObject({ field: "events[0].at" });
  });

  it("unknown kinds, missing thread ids and bad enums name their field", async () => {
    const { care } = setup();
    const cases: [unknown, string][] = [
      [{ kind: "fax", at: T }, "events[0].kind"],
      [
        { kind: "inbound", id: "w", type: "text", at: T, thread: { business: BUSINESS } },
        "events[0].thread.customer",
      ],
      [
        { kind: "inbound", id: "w", type: "text", at: T, thread: { business: "", customer: "c" } },
        "events[0].thread.business",
      ],
      [
        { kind: "inbound", id: "w", type: "text", at: T, thread: { ...thread, channel: "sms" } },
        "events[0].thread.channel",
      ],
      [
        { kind: "consent", action: "maybe", scope: "all", source: "x", at: T, thread },
        "events[0].action",
      ],
      [
        { kind: "status", id: "w", status: "failed", errors: ["131047"], at: T, thread },
        "events[0].errors[0]",
      ],
      [{ kind: "template-category", name: "t", category: "promo", at: T }, "events[0].category"],
      [{ kind: "identity", change: "alias", business: BUSINESS, from: "a", at: T }, "events[0].to"],
    ];
    for (const [event, field] of cases) {
      const e = await caught(() => care.record([event as never]));
      expect(e, field).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field).toBe(field);
    }
    expect(await caught(() => care.record("nope" as never))).toMatchObject({ field: "events" });
  });

  it("strings Postgres cannot store (U+0000, lone surrogates) are rejected, naming the field", async () => {
    const store = createMemoryStore();
    const { care } = setup({ store });
    const cases: [unknown, string][] = [
      [inbound(T, { business: BUSINESS, customer: "55\u000011" }), "events[0].thread.customer"],
      [inbound(T, { business: "10\u000065", customer: "55" }), "events[0].thread.business"],
      [inbound(T, thread, "wamid.\u0000"), "events[0].id"],
      [delivered("wamid.\u0000", T), "events[0].id"],
      [
        { kind: "template-category", name: "t\u0000", category: "utility", at: T },
        "events[0].name",
      ],
      [
        { kind: "consent", action: "opt-out", scope: "all", source: "kw\u0000", at: T, thread },
        "events[0].source",
      ],
      [
        { kind: "consent", action: "opt-out", scope: "all", source: "kw\ud83d", at: T, thread },
        "events[0].source",
      ],
      [inbound(T, { business: BUSINESS, customer: "55\udc00" }), "events[0].thread.customer"],
      [
        { kind: "identity", change: "alias", business: BUSINESS, from: "a\u0000", to: "b", at: T },
        "events[0].from",
      ],
    ];
    for (const [event, field] of cases) {
      const e = await caught(() => care.record([event as never]));
      expect(e, field).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).field, field).toBe(field);
    }
    expect(store.size()).toEqual({ threads: 0, deliveries: 0, templates: 0 });
    const d = await caught(() =>
      care.decide(thread, { kind: "template", category: "utility", name: "a\u0000" }),
    );
    expect(d).toMatchObject({ code: "invalid-intent", field: "intent.name" });
    expect(
      await caught(() =>
        care.decide({ business: BUSINESS, customer: "x\u0000" }, { kind: "free-form" }),
      ),
    ).toMatchObject({ field: "thread.customer" });
    // Well-formed non-ASCII text is fine.
    await care.record([
      { kind: "consent", action: "opt-out", scope: "all", source: "kw 🚀 ✓", at: T, thread },
    ]);
  });

  it("TPL-7: a template-category `at` must be a safe integer (it is stored as bigint)", async () => {
    const { care } = setup();
    for (const at of [T + 0.5, 2 ** 53, -(2 ** 53)]) {
      const e = await caught(() =>
        care.record([{ kind: "template-category", name: "t", category: "utility", at }]),
      );
      expect(e, String(at)).toBeInstanceOf(InvalidInputError);
      expect(e, String(at)).toMatchObject({ field: "events[0].at" });
    }
    await care.record([
      { kind: "template-category", name: "t", category: "utility", at: new Date(T) },
    ]);
    expect(await care.catalog()).toEqual({ t: "utility" });
  });

  it("accepts `at` as a Date or epoch ms and stores epoch ms", async () => {
    const { care } = setup();
    await care.record([inbound(new Date(T))]);
    expect((await care.state(thread)).inbound.message).toBe(T);
  });

  it("nothing is written when any event is invalid", async () => {
    const store = createMemoryStore();
    const { care } = setup({ store });
    await caught(() => care.record([inbound(T), { kind: "fax" } as never]));
    expect(store.size().threads).toBe(0);
  });
});

describe("record: folding, grouping and counts", () => {
  it("groups events by thread and returns counts", async () => {
    const { care } = setup();
    const r = await care.record([
      inbound(T),
      inbound(T + 5, other),
      delivered("wamid.o1", T + 10),
      { kind: "template-category", name: "order_update", category: "marketing", at: T },
    ]);
    expect(r).toEqual({
      events: 4,
      threads: 2,
      changed: 2,
      deliveries: 1,
      templates: 1,
      identities: 0,
    });
  });

  it("CSW-4: recording the same events again changes nothing", async () => {
    const { care, store } = setup();
    const events = [inbound(T), delivered("wamid.o1", T + 10)];
    await care.record(events);
    const before = await store.readThread({ channel: "whatsapp", ...thread });
    const again = await care.record(events);
    expect(again).toMatchObject({ changed: 0, deliveries: 0 });
    expect(await store.readThread({ channel: "whatsapp", ...thread })).toEqual(before);
  });

  it("uncontended write of one thread: 1 read + 1 conditional write", async () => {
    const counting = countingStore(createMemoryStore());
    const { care } = setup({ store: counting.store });
    await care.record([inbound(T), inbound(T + 1)]);
    expect(counting.calls).toEqual({ readThread: 1, writeThread: 1 });
  });
});

describe("PRICE-5 / OPEN-5: service-tier counting", () => {
  it("counts delivered service messages once per wamid; read after delivered does not double count", async () => {
    const { care, store } = setup();
    await care.record([
      delivered("wamid.a", T),
      delivered("wamid.a", T + 1),
      { ...delivered("wamid.a", T + 2), status: "read" },
      delivered("wamid.b", T + 3, {}, other),
    ]);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(2);
  });

  it("a read without delivered counts (it implies delivery); sent and failed do not", async () => {
    const { care, store } = setup();
    await care.record([
      { ...delivered("wamid.r", T), status: "read" },
      { ...delivered("wamid.s", T), status: "sent" },
      { ...delivered("wamid.f", T), status: "failed" },
    ]);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
  });

  it("PRICE-4: reactions and templates never count; host-marked free-form messages do", async () => {
    const { care, store } = setup();
    await care.record([
      delivered("wamid.react", T, { type: "reaction" }),
      delivered("wamid.tpl", T, { pricing: { category: "utility" } }),
      delivered("wamid.fep", T, {
        pricing: { category: "referral_conversion", type: "free_entry_point" },
        message: "free-form",
      }),
      delivered("wamid.unknown", T, { pricing: { category: "referral_conversion" } }),
    ]);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
  });

  it("OPEN-5: excludeFepFromTier leaves deliveries inside an FEP out of the count", async () => {
    const store = createMemoryStore();
    const care = createCareWindow({ store, excludeFepFromTier: true, now: () => new Date(T) });
    await care.record([
      delivered("wamid.fep", T, {
        pricing: { category: "referral_conversion", type: "free_entry_point" },
        message: "free-form",
      }),
      delivered("wamid.svc", T),
    ]);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
  });

  it("OPEN-6: the month is the account's time zone month", async () => {
    const { care, store } = setup({ timeZone: "America/Sao_Paulo" });
    // 2026-12-01T01:00Z is still November 30 in São Paulo (UTC−3).
    await care.record([delivered("wamid.tz", Date.parse("2026-12-01T01:00:00Z"))]);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
    expect(await store.serviceCount(BUSINESS, "2026-12")).toBe(0);
    const utc = setup();
    await utc.care.record([delivered("wamid.tz", Date.parse("2026-12-01T01:00:00Z"))]);
    expect(await utc.store.serviceCount(BUSINESS, "2026-12")).toBe(1);
  });

  it("OPEN-5: a wamid delivered on Oct 31 23:59:59 and read on Nov 1 00:00:01 counts once, in October", async () => {
    const { care, store } = setup();
    const d = Date.parse("2026-10-31T23:59:59Z");
    const r = Date.parse("2026-11-01T00:00:01Z");
    const first = await care.record([delivered("wamid.X", d)]);
    const second = await care.record([{ ...delivered("wamid.X", r), status: "read" }]);
    expect([first.deliveries, second.deliveries]).toEqual([1, 0]);
    expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(1);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(0);
  });

  it("OPEN-5: in one batch, the earliest status sets the month, whatever the order", async () => {
    for (const order of ["read first", "delivered first"]) {
      const { care, store } = setup();
      const events = [
        { ...delivered("wamid.Y", Date.parse("2026-11-01T00:00:01Z")), status: "read" },
        delivered("wamid.Y", Date.parse("2026-10-31T23:59:59Z")),
      ];
      const r = await care.record(order === "read first" ? events : [...events].reverse());
      expect(r.deliveries, order).toBe(1);
      expect(await store.serviceCount(BUSINESS, "2026-10"), order).toBe(1);
      expect(await store.serviceCount(BUSINESS, "2026-11"), order).toBe(0);
    }
  });

  it("OPEN-6: a per-call timeZone sets the month of the tier count read by decide", async () => {
    // Nov 30 12:00 UTC is already Dec 1 in Kiritimati (UTC+14).
    const now = Date.parse("2026-11-30T12:00:00Z");
    const counting = countingStore(createMemoryStore());
    const care = createCareWindow({ store: counting.store, now: () => new Date(now) });
    await care.record([inbound(now - 1000), delivered("wamid.k", now - 5000)]);
    const queries: unknown[] = [];
    const spy: CareWindowStore = {
      ...counting.store,
      readForDecision: (key, query) => {
        queries.push(query);
        return counting.store.readForDecision(key, query);
      },
    };
    const spied = createCareWindow({ store: spy, now: () => new Date(now) });
    const utc = await spied.decide(thread, { kind: "free-form" });
    expect(utc.pricing.tier).toEqual({ used: 1, limit: 1000, month: "2026-11" });
    const kiri = await spied.decide(
      thread,
      { kind: "free-form" },
      { timeZone: "Pacific/Kiritimati" },
    );
    expect(queries).toEqual([{ month: "2026-11" }, { month: "2026-12" }]);
    expect(kiri.pricing.tier).toEqual({ used: 0, limit: 1000, month: "2026-12" });
    expect(kiri.notes.some((n) => n.includes("was not used"))).toBe(false);
    const e = await caught(() =>
      spied.decide(thread, { kind: "free-form" }, { timeZone: "Mars/Olympus" }),
    );
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e).toMatchObject({ field: "options.timeZone" });
    expect(queries).toHaveLength(2); // rejected before any store read
  });

  it("decisions report the stored count and note that it covers only what the store has seen", async () => {
    const { care } = setup();
    await care.record([inbound(T), delivered("wamid.1", T + 1), delivered("wamid.2", T + 2)]);
    const d = await care.decide(thread, { kind: "free-form" });
    expect(d.pricing.tier).toEqual({ used: 2, limit: 1000, month: "2026-11" });
    expect(d.notes.some((n) => n.includes("covers only") && n.includes("OPEN-5"))).toBe(true);
    // The service returns the full decision: the lazily rendered prose survives.
    expect(d.explanation).toContain("24-hour window is open");
    expect(d.rules.map((r) => r.id)).toContain("CSW-2");
    expect(JSON.parse(JSON.stringify(d)).explanation).toBe(d.explanation);
  });

  it("a per-call serviceTier overrides the stored count", async () => {
    const { care } = setup();
    await care.record([inbound(T)]);
    const d = await care.decide(thread, { kind: "free-form" }, { serviceTier: { used: 1000 } });
    expect(d.pricing.charge).toBe("charged");
  });
});

describe("decide", () => {
  it("CSW-2: open before T+24h, closed at exactly T+24h (with the test clock)", async () => {
    const { care, clock } = setup({ requireOptIn: false });
    await care.record([inbound(T)]);
    clock.set(T + 86_400_000 - 1);
    expect((await care.decide(thread, { kind: "free-form" })).outcome).toBe("session");
    clock.advance(1);
    const d = await care.decide(thread, { kind: "free-form" });
    expect(d).toMatchObject({ outcome: "template", reason: "window-closed" });
  });

  it("does exactly one store read (state, tier count and template in one round trip)", async () => {
    const counting = countingStore(createMemoryStore());
    const { care } = setup({ store: counting.store });
    await care.record([inbound(T)]);
    counting.reset();
    await care.decide(thread, { kind: "template", category: "utility", name: "order_update" });
    expect(counting.calls).toEqual({ readForDecision: 1 });
    counting.reset();
    await care.decide(other, { kind: "free-form" });
    expect(counting.calls).toEqual({ readForDecision: 1 });
  });

  it("intent.kind: an unknown intent kind is a typed error", async () => {
    const { care } = setup();
    const e = await caught(() => care.decide(thread, { kind: "fax" } as never));
    expect(e).toBeInstanceOf(InvalidInputError);
    expect(e).toMatchObject({ field: "intent.kind" });
    expect(
      await caught(() => care.decide({ business: BUSINESS } as never, { kind: "free-form" })),
    ).toMatchObject({
      field: "thread.customer",
    });
  });

  it("TPL-7: a template name resolves to the stored latest category", async () => {
    const { care } = setup();
    await care.ingest(templateStatusBody("order_update", "MARKETING", T / 1000));
    const d = await care.decide(thread, {
      kind: "template",
      category: "utility",
      name: "order_update",
    });
    expect(d.intent).toMatchObject({ kind: "template", category: "marketing" });
    expect(await care.catalog()).toEqual({ order_update: "marketing" });
  });

  it("TPL-7: the host catalog resolves names the store does not know; the store wins otherwise", async () => {
    const store = createMemoryStore();
    const care = createCareWindow({
      store,
      now: () => new Date(T),
      catalog: { order_update: "utility", promo: "marketing" },
    });
    await care.record([
      { kind: "template-category", name: "order_update", category: "marketing", at: T },
    ]);
    const promo = await care.decide(thread, {
      kind: "template",
      category: "unknown",
      name: "promo",
    });
    expect(promo.intent).toMatchObject({ category: "marketing" });
    const order = await care.decide(thread, {
      kind: "template",
      category: "utility",
      name: "order_update",
    });
    expect(order.intent).toMatchObject({ category: "marketing" });
    expect(await care.catalog()).toEqual({ order_update: "marketing", promo: "marketing" });
  });

  it("accepts a Cloud API send body in place of an intent", async () => {
    const { care } = setup();
    await care.record([inbound(T)]);
    const body = {
      messaging_product: "whatsapp",
      to: thread.customer,
      type: "text",
      text: { body: "Hi" },
    };
    const d = await care.decide(thread, body);
    expect(d).toMatchObject({ outcome: "session", intent: { kind: "free-form" } });
    const e = await caught(() =>
      care.decide(thread, { messaging_product: "whatsapp", status: "read", message_id: "wamid.X" }),
    );
    expect(e).toMatchObject({ code: "invalid-intent", field: "intent" });
  });

  it("passes the host's options to the pure decide (requireOptIn)", async () => {
    const store = createMemoryStore();
    const strict = createCareWindow({ store, now: () => new Date(T) });
    const lax = createCareWindow({ store, now: () => new Date(T), requireOptIn: false });
    const intent = { kind: "template", category: "marketing" } as const;
    expect((await strict.decide(thread, intent)).reason).toBe("no-opt-in");
    expect((await lax.decide(thread, intent)).outcome).toBe("template");
  });

  it("rejects bad service options with typed errors", () => {
    const store = createMemoryStore();
    expect(() => createCareWindow({ store, timeZone: "Mars/Olympus" })).toThrow(
      expect.objectContaining({ field: "options.timeZone" }),
    );
    expect(() => createCareWindow({ store, concurrency: 0 })).toThrow(
      expect.objectContaining({ field: "options.concurrency" }),
    );
    expect(() => createCareWindow({ store, maxAttempts: 0 })).toThrow(
      expect.objectContaining({ field: "options.maxAttempts" }),
    );
    for (const [retry, field] of [
      [{ baseDelayMs: Number.NaN }, "options.retry.baseDelayMs"],
      [{ maxDelayMs: -5 }, "options.retry.maxDelayMs"],
      [null, "options.retry"],
    ] as const) {
      expect(() => createCareWindow({ store, retry: retry as never }), field).toThrow(
        expect.objectContaining({ code: "invalid-argument", field }),
      );
    }
  });
});

describe("decideMany", () => {
  it("CSW-2: decides the whole campaign at one instant (the clock is read once)", async () => {
    const store = createMemoryStore();
    let reads = 0;
    // Each read moves the clock by an hour: per-recipient reads would straddle T + 24 h.
    const care = createCareWindow({
      store,
      requireOptIn: false,
      now: () => new Date(T + 23 * 3_600_000 + reads++ * 3_600_000),
    });
    const many = Array.from({ length: 5 }, (_, i) => ({
      business: BUSINESS,
      customer: `55119000001${i}`,
    }));
    await care.record(many.map((t, i) => inbound(T, t, `wamid.C${i}`)));
    reads = 0;
    const r = await care.decideMany(many, { kind: "free-form" });
    expect(reads).toBe(1);
    expect(r.session).toHaveLength(5);
  });

  it("partitions recipients into session / template / blocked, keeping each thread", async () => {
    const { care } = setup({ requireOptIn: false });
    const optedOut: Thread = { business: BUSINESS, customer: "5511900000002" };
    await care.record([
      inbound(T),
      {
        kind: "consent",
        action: "opt-out",
        scope: "all",
        source: "keyword",
        at: T,
        thread: optedOut,
      },
    ]);
    const r = await care.decideMany([thread, other, optedOut], { kind: "free-form" });
    expect(r.session.map((x) => x.thread)).toEqual([thread]);
    expect(r.template.map((x) => x.thread)).toEqual([other]);
    expect(r.blocked.map((x) => x.thread)).toEqual([optedOut]);
    expect(r.blocked[0]?.decision.reason).toBe("opted-out");
  });

  it("never has more than `concurrency` store reads in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const store = createMemoryStore({
      fault: async (op) => {
        if (op !== "readForDecision") return;
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((r) => setTimeout(r, 2));
        inFlight--;
      },
    });
    const care = createCareWindow({ store, now: () => new Date(T), requireOptIn: false });
    const threads = Array.from({ length: 40 }, (_, i) => ({
      business: BUSINESS,
      customer: `c${i}`,
    }));
    const r = await care.decideMany(threads, { kind: "free-form" }, { concurrency: 3 });
    expect(r.template).toHaveLength(40);
    expect(peak).toBe(3);
  });
});

describe("ingest", () => {
  it("parses and records a webhook; returns events, threads and counts", async () => {
    const { care, store } = setup();
    const r = await care.ingest(mixedBody(T / 1000, [thread.customer, other.customer]));
    expect(r.events).toHaveLength(5);
    expect(r.threads).toEqual([thread, other]);
    expect(r.recorded).toMatchObject({ threads: 2, changed: 2, deliveries: 2, templates: 1 });
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(2);
    expect((await care.state(thread)).inbound.message).toBe(T);
  });

  it("the same webhook twice, sequentially: the second changes nothing", async () => {
    const { care, store } = setup();
    const body = mixedBody(T / 1000, [thread.customer, other.customer]);
    await care.ingest(body);
    const before = await store.readThread({ channel: "whatsapp", ...thread });
    const second = await care.ingest(body);
    expect(second.recorded).toMatchObject({ changed: 0, deliveries: 0 });
    expect(await store.readThread({ channel: "whatsapp", ...thread })).toEqual(before);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(2);
  });

  it("the same webhook twice, concurrently: counted once, one state", async () => {
    const { care, store } = setup();
    const body = mixedBody(T / 1000, [thread.customer, other.customer]);
    const [a, b] = await Promise.all([care.ingest(body), care.ingest(body)]);
    expect((a?.recorded.deliveries ?? 0) + (b?.recorded.deliveries ?? 0)).toBe(2);
    expect((a?.recorded.changed ?? 0) + (b?.recorded.changed ?? 0)).toBe(2);
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(2);
    const row = await store.readThread({ channel: "whatsapp", ...thread });
    expect(row?.version).toBe(1);
  });

  it("statuses and inbound arriving in separate bodies, in any order, give the same state", async () => {
    const a = setup();
    const b = setup();
    const bodies = [inboundBody({ ts: T / 1000 }), statusBody({ ts: T / 1000 + 60 })];
    for (const body of bodies) await a.care.ingest(body);
    for (const body of [...bodies].reverse()) await b.care.ingest(body);
    expect(await a.care.state(thread)).toEqual(await b.care.state(thread));
  });
});

describe("store failures and conflicts", () => {
  it("a failing store surfaces as StoreFailureError with the cause; nothing partial", async () => {
    let fail = true;
    const cause = new Error("connection reset");
    const store = createMemoryStore({
      fault: (op) => {
        if (op === "writeThread" && fail) throw cause;
      },
    });
    const care = createCareWindow({ store, now: () => new Date(T) });
    const e = await caught(() => care.record([inbound(T)]));
    expect(e).toBeInstanceOf(StoreFailureError);
    expect(e).toMatchObject({ code: "store-failure", operation: "writeThread", cause });
    expect(store.size().threads).toBe(0);
    fail = false;
    await care.record([inbound(T)]);
    expect((await care.state(thread)).inbound.message).toBe(T);
  });

  it("a failing decision read is a StoreFailureError too", async () => {
    const store = createMemoryStore({
      fault: (op) => {
        if (op === "readForDecision") throw new Error("timeout");
      },
    });
    const care = createCareWindow({ store, now: () => new Date(T) });
    expect(await caught(() => care.decide(thread, { kind: "free-form" }))).toMatchObject({
      code: "store-failure",
      operation: "readForDecision",
    });
  });

  it("exhausted retries are a StoreConflictError naming the first event of the thread", async () => {
    const inner = createMemoryStore();
    const store: CareWindowStore = { ...inner, writeThread: async () => false };
    const sleeps: number[] = [];
    const care = createCareWindow({
      store,
      maxAttempts: 4,
      retry: { random: () => 0.5, sleep: async (ms) => void sleeps.push(ms) },
    });
    const e = await caught(() => care.record([inbound(T)]));
    expect(e).toBeInstanceOf(StoreConflictError);
    expect(e).toMatchObject({ code: "store-conflict", attempts: 4, field: "events[0]" });
    expect(sleeps).toEqual([1, 2, 4]);
  });

  it("a stored state of an unknown schema version is a StoredStateError on decide and state", async () => {
    const store = createMemoryStore();
    await store.writeThread({ channel: "whatsapp", ...thread }, { state: { v: 2 } }, 0);
    const care = createCareWindow({ store, now: () => new Date(T) });
    const e = await caught(() => care.decide(thread, { kind: "free-form" }));
    expect(e).toBeInstanceOf(StoredStateError);
    expect(e).toMatchObject({ code: "invalid-state", field: "state.v", version: 2 });
    expect(await caught(() => care.state(thread))).toBeInstanceOf(StoredStateError);
  });
});

describe("ID-6 / ID-7 / OPEN-15: identities", () => {
  const waId: Thread = { business: BUSINESS, customer: "5511987654321" };
  const bsuid: Thread = { business: BUSINESS, customer: "BR.1502576394655843" };
  const alias = {
    kind: "identity",
    change: "alias",
    business: BUSINESS,
    from: waId.customer,
    to: bsuid.customer,
    at: T,
  } as const;

  it("ID-6: an alias merges both threads; later events on either id land in one state", async () => {
    const { care } = setup();
    const optOut = {
      kind: "consent",
      action: "opt-out",
      scope: "marketing",
      source: "keyword",
      at: T - 10,
      thread: bsuid,
    } as const;
    await care.record([inbound(T, waId), optOut]);
    const r = await care.record([alias]);
    expect(r.identities).toBe(1);
    const expected = foldEvents(emptyState(), [inbound(T, waId), optOut] as ThreadEvent[]);
    expect(await care.state(waId)).toEqual(expected);
    expect(await care.state(bsuid)).toEqual(expected);
    await care.record([inbound(T + 1000, bsuid)]);
    expect((await care.state(waId)).inbound.message).toBe(T + 1000);
    const d = await care.decide(waId, { kind: "template", category: "marketing" });
    expect(d.reason).toBe("opted-out");
  });

  it("ID-6: replaying an alias changes nothing; a reversed alias is the same link", async () => {
    const { care, store } = setup();
    await care.record([inbound(T, waId), inbound(T - 5, bsuid), alias]);
    const before = [
      await store.readThread({ channel: "whatsapp", ...waId }),
      await store.readThread({ channel: "whatsapp", ...bsuid }),
    ];
    const again = await care.record([alias, { ...alias, from: bsuid.customer, to: waId.customer }]);
    expect(again.identities).toBe(0);
    expect([
      await store.readThread({ channel: "whatsapp", ...waId }),
      await store.readThread({ channel: "whatsapp", ...bsuid }),
    ]).toEqual(before);
  });

  it("ID-6: a crash between the merge and the redirect is completed by the webhook's redelivery", async () => {
    let writes = 0;
    const store = createMemoryStore({
      fault: (op) => {
        // Writes 1–2 record the two threads; write 3 merges the BSUID's state (the greater id)
        // into the wa_id thread; write 4, the BSUID row's redirect, crashes.
        if (op === "writeThread" && ++writes === 4) throw new Error("crash");
      },
    });
    const care = createCareWindow({ store, now: () => new Date(T) });
    await care.record([inbound(T, waId), inbound(T + 7, bsuid)]);
    expect(await caught(() => care.record([alias]))).toBeInstanceOf(StoreFailureError);
    const merged = foldEvents(emptyState(), [
      inbound(T, waId),
      inbound(T + 7, bsuid),
    ] as ThreadEvent[]);
    expect(await care.state(waId)).toEqual(merged); // merged…
    expect((await care.state(bsuid)).inbound.message).toBe(T + 7); // …and the BSUID keeps its own
    await care.record([alias]); // Meta redelivers the webhook
    expect(await care.state(waId)).toEqual(merged);
    expect(await care.state(bsuid)).toEqual(merged);
    expect((await store.readThread({ channel: "whatsapp", ...bsuid }))?.redirect).toBe(
      waId.customer,
    );
  });

  it("ID-6: chains of aliases resolve to one thread", async () => {
    const { care } = setup();
    const c: Thread = { business: BUSINESS, customer: "C.3" };
    await care.record([inbound(T, waId), inbound(T + 1, bsuid), inbound(T + 2, c)]);
    await care.record([alias, { ...alias, from: bsuid.customer, to: c.customer }]);
    for (const t of [waId, bsuid, c]) expect((await care.state(t)).inbound.message).toBe(T + 2);
  });

  it("OPEN-15: a changed number carries opt-outs and stops, never the window", async () => {
    const { care } = setup();
    const newNumber: Thread = { business: BUSINESS, customer: "5511911112222" };
    await care.record([
      inbound(T, waId),
      {
        kind: "consent",
        action: "opt-out",
        scope: "marketing",
        source: "keyword",
        at: T,
        thread: waId,
      },
      { kind: "marketing-preference", value: "stop", at: T, thread: waId },
      {
        kind: "identity",
        change: "number-changed",
        business: BUSINESS,
        from: waId.customer,
        to: newNumber.customer,
        at: T + 1,
      },
    ]);
    const s = await care.state(newNumber);
    expect(s.inbound).toEqual({});
    expect(s.carried?.consent.marketing).toMatchObject({ action: "opt-out", at: T });
    expect(s.carried?.marketing).toEqual({ on: T });
    expect(s.consent).toEqual({}); // kept apart: carried records restrict, never grant
    expect((await care.decide(newNumber, { kind: "free-form" })).outcome).not.toBe("session");
    expect((await care.state(waId)).inbound.message).toBe(T);
  });

  it("OPEN-15: carryWindowsOnNumberChange carries the window over too", async () => {
    const store = createMemoryStore();
    const care = createCareWindow({
      store,
      carryWindowsOnNumberChange: true,
      now: () => new Date(T + 3_600_000),
    });
    const newNumber: Thread = { business: BUSINESS, customer: "5511911113333" };
    await care.record([
      inbound(T, waId),
      {
        kind: "identity",
        change: "number-changed",
        business: BUSINESS,
        from: waId.customer,
        to: newNumber.customer,
        at: T + 1,
      },
    ]);
    expect((await care.state(newNumber)).inbound.message).toBe(T);
    expect((await care.decide(newNumber, { kind: "free-form" })).outcome).toBe("session");
  });
});
