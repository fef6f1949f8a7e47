/**
 * Issue 10, OPEN-5 / PRICE-5 across calls: the month a delivered service message counts in is the
 * month (account time zone, OPEN-6) of its earliest counted status, whatever order, repetition
 * and split into `record` / `ingest` calls its statuses arrive in. Within one call the service
 * keeps the earliest status; across calls the storage port keeps the earliest month reported.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CareEvent, Thread } from "../../src/domain/types.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { createMemoryStore } from "../../src/store/memory.js";
import type { CareWindowStore } from "../../src/store/port.js";
import { BUSINESS, statusBody } from "./fixtures.js";

const RUNS = Number(process.env["PROP_RUNS"] ?? 150);
const ZONE = "America/Sao_Paulo"; // UTC-3 all year (no DST since 2019)
const H = 3_600_000;
// 00:00 on Dec 1 2026 and on Jan 1 2027 in São Paulo.
const DEC = Date.parse("2026-12-01T03:00:00Z");
const JAN = Date.parse("2027-01-01T03:00:00Z");
const MONTHS = ["2026-11", "2026-12", "2027-01"] as const;
const C = "5511933333333";
const thread: Thread = { business: BUSINESS, customer: C };

const status = (
  id: string,
  s: string,
  at: number,
  extra: Partial<Extract<CareEvent, { kind: "status" }>> = {},
): CareEvent => ({
  kind: "status",
  id,
  status: s,
  at,
  thread,
  pricing: { category: "service" },
  ...extra,
});

/** The hard case twice (two month ends), plus controls that must not move or count. */
const HISTORY: readonly CareEvent[] = [
  // Delivered 23:59:59.999 on Nov 30, read 00:00:01 on Dec 1 (local): one November message.
  status("wamid.T1", "delivered", DEC - 1),
  status("wamid.T1", "read", DEC + 1_000),
  // The same at the turn of the year, with a later `played` too: one December message.
  status("wamid.T2", "delivered", JAN - 1),
  status("wamid.T2", "read", JAN + 1_000),
  status("wamid.T2", "played", JAN + 5_000),
  // Sent and delivered on Nov 30, read on Dec 1: November.
  status("wamid.T3", "sent", DEC - 2 * H),
  status("wamid.T3", "delivered", DEC - H),
  status("wamid.T3", "read", DEC + H),
  // Only the read is known (the delivered status never came): January.
  status("wamid.T4", "read", JAN + 1_000),
  // Entirely in December.
  status("wamid.T5", "delivered", DEC + 10 * H),
  status("wamid.T5", "read", DEC + 11 * H),
  // Never counted: a reaction (PRICE-4) and a utility template (PRICE-5: service only).
  status("wamid.R", "delivered", DEC - 1, { type: "reaction" }),
  status("wamid.R", "read", DEC + 1_000, { type: "reaction" }),
  status("wamid.U", "delivered", DEC - 1, { pricing: { category: "utility" } }),
  status("wamid.U", "read", DEC + 1_000, { pricing: { category: "utility" } }),
  // Inbound messages that open a window before each decision below (CSW-1).
  { kind: "inbound", id: "wamid.in.nov", type: "text", at: DEC - 4 * H, thread },
  { kind: "inbound", id: "wamid.in.dec", type: "text", at: DEC + 9 * H, thread },
  { kind: "inbound", id: "wamid.in.jan", type: "text", at: JAN + 9 * H, thread },
];
const EXPECTED = { "2026-11": 2, "2026-12": 2, "2027-01": 1 };

/** One decision instant per month, an hour after that month's inbound. */
const DECIDE_AT = { "2026-11": DEC - 3 * H, "2026-12": DEC + 10 * H, "2027-01": JAN + 10 * H };

/** The month counts as the store holds them and as `decide` reads them (readForDecision). */
async function tierCounts(store: CareWindowStore): Promise<unknown> {
  const out: Record<string, unknown> = {};
  for (const month of MONTHS) {
    const care = createCareWindow({
      store,
      now: () => new Date(DECIDE_AT[month]),
      timeZone: ZONE,
    });
    const decision = await care.decide(thread, { kind: "free-form" });
    out[month] = {
      stored: await store.serviceCount(BUSINESS, month),
      decided: decision.pricing?.tier,
    };
  }
  return out;
}

async function recordAll(batches: readonly (readonly CareEvent[])[]): Promise<CareWindowStore> {
  const store = createMemoryStore();
  const care = createCareWindow({ store, now: () => new Date(JAN + 12 * H), timeZone: ZONE });
  for (const batch of batches) await care.record(batch);
  return store;
}

/** Splits `events` into batches at the given cut points. */
function rebatch(events: readonly CareEvent[], cuts: readonly number[]): CareEvent[][] {
  const points = [...new Set(cuts.map((c) => c % (events.length + 1)))].sort((x, y) => x - y);
  const out: CareEvent[][] = [];
  let from = 0;
  for (const p of [...points, events.length]) {
    if (p > from) out.push(events.slice(from, p));
    from = Math.max(from, p);
  }
  return out;
}

describe("OPEN-5, PRICE-5: the month a delivered service message counts in does not depend on arrival order across calls", () => {
  it("reference: one batch counts T1, T3 in November, T2, T5 in December, T4 in January; decide reads the same", async () => {
    const counts = (await tierCounts(await recordAll([HISTORY]))) as Record<
      string,
      { stored: number; decided: { used: number; month: string } | undefined }
    >;
    for (const month of MONTHS) {
      expect(counts[month]?.stored).toBe(EXPECTED[month]);
      // decide priced a free-form reply with the month's count (the test is not vacuous).
      expect(counts[month]?.decided).toMatchObject({ used: EXPECTED[month], month });
    }
  });

  it("OPEN-5: the read of Dec 1 recorded in an earlier call than the delivered of Nov 30 still counts in November", async () => {
    const read = HISTORY.filter((e) => e.kind === "status" && e.status !== "delivered");
    const delivered = HISTORY.filter((e) => e.kind !== "status" || e.status === "delivered");
    const store = createMemoryStore();
    const care = createCareWindow({ store, now: () => new Date(JAN + 12 * H), timeZone: ZONE });
    const first = await care.record(read);
    expect(first.deliveries).toBe(5); // T1, T3, T5 in December; T2, T4 in January
    expect(await store.serviceCount(BUSINESS, "2026-12")).toBe(3);
    const second = await care.record(delivered);
    expect(second.deliveries).toBe(3); // T1, T3 moved to November; T2 moved to December
    expect(await tierCounts(store)).toEqual(await tierCounts(await recordAll([HISTORY])));
  });

  it("OPEN-5: through ingest, a read webhook before the delivered webhook of 23:59:59 counts in the delivered month", async () => {
    const store = createMemoryStore();
    const care = createCareWindow({ store, now: () => new Date(JAN), timeZone: ZONE });
    const s = (status: string, ms: number) =>
      JSON.stringify(statusBody({ customer: C, wamid: "wamid.W", ts: ms / 1000, status }));
    await care.ingest(s("read", DEC + 1_000)); // 00:00:01 on Dec 1
    expect(await store.serviceCount(BUSINESS, "2026-12")).toBe(1);
    await care.ingest(s("delivered", DEC - 1_000)); // 23:59:59 on Nov 30
    await care.ingest(s("read", DEC + 1_000)); // Meta's retry of the read
    expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
    expect(await store.serviceCount(BUSINESS, "2026-12")).toBe(0);
  });

  it(`OPEN-5, PRICE-5: identical month counts for every permutation, duplication and re-batching (${RUNS} runs)`, async () => {
    const reference = await tierCounts(await recordAll([HISTORY]));
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([...HISTORY], {
          minLength: HISTORY.length,
          maxLength: HISTORY.length,
        }),
        fc.subarray([...HISTORY]),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        async (shuffled, replays, cuts, replaysFirst) => {
          const events = replaysFirst ? [...replays, ...shuffled] : [...shuffled, ...replays];
          const counts = await tierCounts(await recordAll(rebatch(events, cuts)));
          expect(counts).toEqual(reference);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
