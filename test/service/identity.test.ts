/**
 * ID-6 links under failures and races, long alias chains, and the cost of a replayed link.
 */
import { describe, expect, it } from "vitest";
import type { Thread, ThreadEvent } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { StoreFailureError } from "../../src/store/errors.js";
import { createMemoryStore, type StoreOperation } from "../../src/store/memory.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { BUSINESS } from "./fixtures.js";
import { countingStore } from "./helpers.js";

const T = Date.parse("2026-11-10T10:00:00Z");
const phone: Thread = { business: BUSINESS, customer: "5511987654321" }; // the smaller id: kept
const bsuid: Thread = { business: BUSINESS, customer: "BR.1502576394655843" }; // the greater: dropped
const marketing = { kind: "template", category: "marketing" } as const;

const optOut = (thread: Thread, at = T - 1000): ThreadEvent => ({
  kind: "consent",
  action: "opt-out",
  scope: "all",
  source: "STOP",
  at,
  thread,
});
const inbound = (thread: Thread, at: number, id = `wamid.in.${at}`): ThreadEvent => ({
  kind: "inbound",
  id,
  type: "text",
  at,
  thread,
});
const link = (from: string, to: string) =>
  ({ kind: "identity", change: "alias", business: BUSINESS, from, to, at: T }) as const;

/** A memory store whose thread writes can be failed or held by index, counted from `arm()`. */
function faultyStore() {
  let writes = 0;
  let failAt = -1;
  let holdAt = -1;
  let release: () => void = () => {};
  let reached: () => void = () => {};
  let atHold = Promise.resolve();
  const store = createMemoryStore({
    fault: async (op: StoreOperation) => {
      if (op !== "writeThread") return;
      const n = ++writes;
      if (n === failAt) throw new Error("connection reset");
      if (n === holdAt) {
        reached();
        await new Promise<void>((r) => {
          release = r;
        });
      }
    },
  });
  return {
    store,
    /** Fails (or holds) the `n`-th thread write from now on (1-based). */
    arm(mode: "fail" | "hold", n: number) {
      if (mode === "fail") failAt = writes + n;
      else {
        holdAt = writes + n;
        atHold = new Promise<void>((r) => {
          reached = r;
        });
      }
    },
    disarm() {
      failAt = -1;
      holdAt = -1;
    },
    held: () => atHold,
    release: () => release(),
  };
}

describe("ID-6: linking never loses the dropped id's restrictions", () => {
  for (const n of [1, 2]) {
    it(`ID-6: a crash at thread write ${n} of an alias leaves both ids opted out (duplicated, never missing)`, async () => {
      const f = faultyStore();
      const care = createCareWindow({ store: f.store, now: () => new Date(T + 60_000) });
      await care.record([optOut(bsuid), inbound(phone, T)]);
      expect((await care.decide(bsuid, marketing)).reason).toBe("opted-out");
      f.arm("fail", n);
      const e = await care.record([link(bsuid.customer, phone.customer)]).catch((x: unknown) => x);
      f.disarm();
      expect(e).toBeInstanceOf(StoreFailureError);
      for (const t of [bsuid, phone]) {
        if (t === phone && n === 1) continue; // nothing was merged yet: the phone was never opted out
        expect((await care.state(t)).consent.all, t.customer).toMatchObject({ action: "opt-out" });
        expect((await care.decide(t, marketing)).reason, t.customer).toBe("opted-out");
      }
      // The dropped id keeps its own data until the link completes.
      expect((await care.state(bsuid)).consent.all).toMatchObject({ action: "opt-out" });
      // Meta redelivers: the link completes.
      await care.record([link(bsuid.customer, phone.customer)]);
      const merged = foldEvents(emptyState(), [optOut(bsuid), inbound(phone, T)]);
      expect(await care.state(phone)).toEqual(merged);
      expect(await care.state(bsuid)).toEqual(merged);
      expect((await f.store.readThread({ channel: "whatsapp", ...bsuid }))?.redirect).toBe(
        phone.customer,
      );
    });

    it(`ID-6: while thread write ${n} of an alias is held, a decision on the dropped id still sees its opt-out`, async () => {
      const f = faultyStore();
      const care = createCareWindow({ store: f.store, now: () => new Date(T + 60_000) });
      await care.record([optOut(bsuid), inbound(phone, T)]);
      f.arm("hold", n);
      const pending = care.record([link(bsuid.customer, phone.customer)]);
      await f.held();
      const during = await care.decide(bsuid, marketing);
      f.disarm();
      f.release();
      await pending;
      expect(during.reason).toBe("opted-out");
      expect((await care.decide(bsuid, marketing)).reason).toBe("opted-out");
      expect((await care.decide(phone, marketing)).reason).toBe("opted-out");
    });
  }

  it("ID-6: an event written to the dropped id between the merge and the redirect is not lost", async () => {
    const f = faultyStore();
    const care = createCareWindow({ store: f.store, now: () => new Date(T + 60_000) });
    await care.record([optOut(bsuid), inbound(phone, T)]);
    f.arm("hold", 2); // the redirect's compare-and-set, after the merge
    const pending = care.record([link(bsuid.customer, phone.customer)]);
    await f.held();
    f.disarm();
    const late = inbound(bsuid, T + 5000, "wamid.late");
    await care.record([late]); // lands on the dropped row: its version moves on
    f.release();
    await pending; // the redirect loses its compare-and-set, re-merges, and retries
    const all = foldEvents(emptyState(), [optOut(bsuid), inbound(phone, T), late]);
    expect(await care.state(phone)).toEqual(all);
    expect(await care.state(bsuid)).toEqual(all);
  });

  it("ID-6: racing links of one id to two others end in one thread holding everything", async () => {
    const care = createCareWindow({
      store: createMemoryStore({ fault: () => new Promise((r) => setTimeout(r, 1)) }),
      now: () => new Date(T),
    });
    const ids = ["A.1", "B.2", "C.3"].map((customer) => ({ business: BUSINESS, customer }));
    const events = ids.map((t, i) => optOut(t, T - i));
    await care.record(events);
    await Promise.all([
      care.record([link("C.3", "A.1")]),
      care.record([link("C.3", "B.2")]),
      care.record([link("B.2", "A.1")]),
    ]);
    const expected = foldEvents(emptyState(), events);
    for (const t of ids) expect(await care.state(t), t.customer).toEqual(expected);
  });
});

describe("ID-6: alias chains (path shortening)", () => {
  const ids = Array.from({ length: 13 }, (_, i) => `id${String(i).padStart(2, "0")}`);
  const orders: [string, [string, string][]][] = [
    // id12→id11, then id11→id10, …: each link redirects the previous root (a 12-hop chain).
    ["deepening", ids.slice(1).map((_, i) => [ids[12 - i], ids[11 - i]] as [string, string])],
    // id01→id00, id02→id01 (resolved to id00), …: already flat.
    ["flat", ids.slice(1).map((id, i) => [id, ids[i]] as [string, string])],
  ];

  for (const [name, links] of orders) {
    it(`ID-6: a 12-link chain built ${name} resolves every id, and one read shortens it to one hop`, async () => {
      const counting = countingStore(createMemoryStore());
      const store = counting.store;
      const care = createCareWindow({ store, now: () => new Date(T + 60_000) });
      const events = ids.map((customer, i) => inbound({ business: BUSINESS, customer }, T + i));
      await care.record(events);
      for (const [from, to] of links) await care.record([link(from as string, to as string)]);
      const all = foldEvents(emptyState(), events);
      for (const customer of ids) {
        expect(await care.state({ business: BUSINESS, customer }), customer).toEqual(all);
      }
      // Every alias row now points straight at the root.
      for (const customer of ids.slice(1)) {
        const row = await store.readThread({ channel: "whatsapp", business: BUSINESS, customer });
        expect(row?.redirect, customer).toBe("id00");
      }
      // So any id costs at most 2 reads, and writes and decisions on the oldest id work.
      counting.reset();
      await care.state({ business: BUSINESS, customer: "id12" });
      expect(counting.calls).toEqual({ readThread: 2 });
      const late = inbound({ business: BUSINESS, customer: "id12" }, T + 99_000, "wamid.late");
      await care.record([late]);
      expect((await care.state({ business: BUSINESS, customer: "id00" })).inbound.message).toBe(
        T + 99_000,
      );
      const d = await care.decide({ business: BUSINESS, customer: "id12" }, { kind: "free-form" });
      expect(d.outcome).toBe("session");
    });
  }

  it("ID-6: a decision on a long chain does not fail and shortens it", async () => {
    const store = createMemoryStore();
    const care = createCareWindow({ store, now: () => new Date(T + 60_000) });
    await care.record([optOut({ business: BUSINESS, customer: "id20" })]);
    for (let i = 20; i > 0; i--) {
      const from = `id${String(i).padStart(2, "0")}`;
      const to = `id${String(i - 1).padStart(2, "0")}`;
      await care.record([link(from, to)]);
    }
    const d = await care.decide({ business: BUSINESS, customer: "id20" }, marketing);
    expect(d.reason).toBe("opted-out");
    const row = await store.readThread({
      channel: "whatsapp",
      business: BUSINESS,
      customer: "id20",
    });
    expect(row?.redirect).toBe("id00");
  });
});

describe("ID-6: a replayed link is cheap", () => {
  it("a link that already exists costs one read and no write", async () => {
    const counting = countingStore(createMemoryStore());
    const care = createCareWindow({ store: counting.store, now: () => new Date(T) });
    await care.record([inbound(phone, T), inbound(bsuid, T + 1)]);
    await care.record([link(phone.customer, bsuid.customer)]);
    for (const event of [
      link(phone.customer, bsuid.customer),
      link(bsuid.customer, phone.customer),
    ]) {
      counting.reset();
      const r = await care.record([event]);
      expect(r.identities).toBe(0);
      expect(counting.calls).toEqual({ readThread: 1 });
    }
  });

  it("the same link repeated in one batch (one per status of a webhook) is applied once", async () => {
    const counting = countingStore(createMemoryStore());
    const care = createCareWindow({ store: counting.store, now: () => new Date(T) });
    await care.record([inbound(phone, T), link(phone.customer, bsuid.customer)]);
    counting.reset();
    const statuses = Array.from({ length: 10 }, (_, i) => ({
      kind: "status" as const,
      id: `wamid.out.${i}`,
      status: "sent",
      at: T + i,
      thread: phone,
    }));
    const r = await care.record([
      ...statuses.flatMap((s) => [link(phone.customer, bsuid.customer), s]),
    ]);
    expect(r.identities).toBe(0);
    // One read + one write for the thread, one read for the (already existing) link.
    expect(counting.calls).toEqual({ readThread: 2, writeThread: 1 });
  });
});
