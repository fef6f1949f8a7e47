import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/domain/errors.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import {
  backoffDelay,
  casLoop,
  cryptoRandom,
  decodeState,
  updateThread,
  validateRetry,
} from "../../src/store/cas.js";
import { StoreConflictError, StoredStateError, StoreFailureError } from "../../src/store/errors.js";
import { jsonClone, jsonEqual } from "../../src/store/json.js";
import { createMemoryStore } from "../../src/store/memory.js";
import { generateEvents } from "../../src/testing.js";
import { emptyState, foldEvent, foldEvents } from "../../src/window/state.js";

const key = { channel: "whatsapp", business: "1065", customer: "5511" } as const;

describe("casLoop", () => {
  it("returns the value and the number of attempts", async () => {
    let n = 0;
    const r = await casLoop(async () => (++n < 3 ? { done: false } : { done: true, value: "ok" }), {
      sleep: async () => {},
    });
    expect(r).toEqual({ value: "ok", attempts: 3 });
  });

  it("full jitter: sleeps random × min(cap, base × 2^retry), from the injected random", async () => {
    const sleeps: number[] = [];
    const e = await casLoop(async () => ({ done: false }), {
      maxAttempts: 8,
      baseDelayMs: 10,
      maxDelayMs: 200,
      random: () => 0.999,
      sleep: async (ms) => void sleeps.push(ms),
    }).catch((x: unknown) => x);
    expect(sleeps).toEqual([9, 19, 39, 79, 159, 199, 199]);
    expect(e).toBeInstanceOf(StoreConflictError);
    expect(e).toMatchObject({ code: "store-conflict", attempts: 8 });
  });

  it("backoff is 0 with random() = 0 and never reaches the cap", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.double({ min: 0, max: 0.9999999, noNaN: true }),
        (retry, r) => {
          const d = backoffDelay(retry, { baseDelayMs: 2, maxDelayMs: 250, random: () => r });
          return d >= 0 && d < 250 && Number.isInteger(d);
        },
      ),
    );
    expect(backoffDelay(5, { random: () => 0 })).toBe(0);
  });

  it("cryptoRandom is in [0, 1)", () => {
    for (let i = 0; i < 1000; i++) {
      const r = cryptoRandom();
      expect(r >= 0 && r < 1).toBe(true);
    }
  });

  it("invalid retry options are an InvalidInputError naming the field, not a StoreConflictError", async () => {
    let calls = 0;
    const attempt = async () => {
      calls++;
      return { done: true as const, value: 1 };
    };
    const cases: [Record<string, unknown>, string][] = [
      [{ maxAttempts: 0 }, "maxAttempts"],
      [{ maxAttempts: 1.5 }, "maxAttempts"],
      [{ maxAttempts: Number.NaN }, "maxAttempts"],
      [{ baseDelayMs: Number.NaN }, "baseDelayMs"],
      [{ baseDelayMs: -1 }, "baseDelayMs"],
      [{ maxDelayMs: Number.POSITIVE_INFINITY }, "maxDelayMs"],
      [{ maxDelayMs: "5" }, "maxDelayMs"],
    ];
    for (const [options, field] of cases) {
      const e = await casLoop(attempt, options).catch((x: unknown) => x);
      expect(e, JSON.stringify(options)).toBeInstanceOf(InvalidInputError);
      expect(e).toMatchObject({ code: "invalid-argument", field });
    }
    expect(calls).toBe(0);
    expect(() => validateRetry({ baseDelayMs: -1 }, "options.retry.")).toThrow(
      expect.objectContaining({ field: "options.retry.baseDelayMs" }),
    );
    expect(await casLoop(attempt, { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 })).toEqual({
      value: 1,
      attempts: 1,
    });
  });

  it("errors thrown by an attempt propagate unchanged", async () => {
    const boom = new Error("boom");
    await expect(casLoop(async () => Promise.reject(boom))).rejects.toBe(boom);
  });
});

describe("decodeState", () => {
  it("accepts the current version and rejects others with StoredStateError", () => {
    expect(decodeState(emptyState())).toEqual(emptyState());
    expect(() => decodeState({ v: 0 })).toThrow(StoredStateError);
    expect(() => decodeState({ v: "1" })).toThrow(expect.objectContaining({ field: "state.v" }));
    expect(() => decodeState(null)).toThrow(expect.objectContaining({ field: "state" }));
    expect(() => decodeState([])).toThrow(StoredStateError);
  });

  it("a v:1 row with the wrong shape is a StoredStateError naming the member, never a TypeError", () => {
    const base = { v: 1, inbound: {}, outbound: [], consent: {} };
    const cases: [unknown, string][] = [
      [{ v: 1 }, "state.inbound"],
      [{ ...base, inbound: null }, "state.inbound"],
      [{ ...base, inbound: { message: "soon" } }, "state.inbound.message"],
      [{ ...base, outbound: {} }, "state.outbound"],
      [{ ...base, outbound: [1, null] }, "state.outbound"],
      [{ ...base, consent: [] }, "state.consent"],
      [{ ...base, consent: { all: { at: 1, action: "maybe", source: "" } } }, "state.consent.all"],
      [{ ...base, marketing: null }, "state.marketing"],
      [{ ...base, blocked: { on: "x" } }, "state.blocked.on"],
      [{ ...base, lastError: { code: 131047 } }, "state.lastError"],
      [{ ...base, fepEndsAt: "2026" }, "state.fepEndsAt"],
      [{ ...base, channel: 7 }, "state.channel"],
    ];
    for (const [stored, field] of cases) {
      let error: unknown;
      try {
        decodeState(stored);
      } catch (e) {
        error = e;
      }
      expect(error, field).toBeInstanceOf(StoredStateError);
      expect(error, field).toMatchObject({ code: "invalid-state", field, version: 1 });
    }
    const rich = foldEvents(
      emptyState(),
      generateEvents({ seed: 5, count: 300, customers: ["c"] }),
    );
    expect(decodeState(JSON.parse(JSON.stringify(rich)))).toEqual(rich);
  });

  it("a malformed row surfaces as StoredStateError through the service, not a TypeError", async () => {
    const store = createMemoryStore();
    await store.writeThread(key, { state: { v: 1 } }, 0);
    const at = Date.parse("2026-11-26T09:00:00Z");
    const care = createCareWindow({ store, now: () => new Date(at) });
    const thread = { business: key.business, customer: key.customer };
    for (const run of [
      () => care.decide(thread, { kind: "free-form" }),
      () => care.state(thread),
      () => care.record([{ kind: "inbound", id: "w", type: "text", at, thread }]),
    ]) {
      const e = await run().catch((x: unknown) => x);
      expect(e).toBeInstanceOf(StoredStateError);
      expect(e).toMatchObject({ field: "state.inbound" });
    }
  });
});

describe("updateThread", () => {
  it("wraps adapter exceptions in StoreFailureError with the operation and cause", async () => {
    const cause = new Error("ECONNRESET");
    const store = createMemoryStore({
      fault: (op) => {
        if (op === "readThread") throw cause;
      },
    });
    const e = await updateThread(store, key, (s) => s).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(StoreFailureError);
    expect(e).toMatchObject({ operation: "readThread", cause });
  });

  it("writes nothing for an update that changes nothing (even on an absent row)", async () => {
    const store = createMemoryStore();
    const r = await updateThread(store, key, (s) => s);
    expect(r).toMatchObject({ changed: false, version: 0, attempts: 1 });
    expect(store.size().threads).toBe(0);
  });

  it("property: any split of events into concurrent writers with random latency equals the fold", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 6 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 50, maxLength: 50 }),
        async (seed, writers, latencies) => {
          let i = 0;
          const store = createMemoryStore({
            fault: async () => {
              const ms = latencies[i++ % latencies.length] ?? 0;
              if (ms > 0) await new Promise((r) => setTimeout(r, ms));
            },
          });
          const events = generateEvents({ seed, count: 30, customers: ["a", "b"] });
          await Promise.all(
            Array.from({ length: writers }, async (_, w) => {
              for (const e of events.filter((_, j) => j % writers === w)) {
                await updateThread(
                  store,
                  { ...key, customer: e.thread.customer },
                  (s) => foldEvent(s, e),
                  {
                    maxAttempts: 1000,
                    baseDelayMs: 1,
                    maxDelayMs: 2,
                  },
                );
              }
            }),
          );
          for (const c of ["a", "b"]) {
            const row = await store.readThread({ ...key, customer: c });
            const expected = foldEvents(
              emptyState(),
              events.filter((e) => e.thread.customer === c),
            );
            if (!jsonEqual(row === undefined ? emptyState() : row.state, expected)) return false;
          }
          return true;
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe("json helpers", () => {
  it("jsonEqual ignores key order and undefined members, not values", () => {
    expect(jsonEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1, x: undefined }, { a: 1 })).toBe(true);
    expect(jsonEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(jsonEqual({ a: 1 }, { a: 1, b: 1 })).toBe(false);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
    expect(jsonEqual([], {})).toBe(false);
  });

  it("property: jsonClone round-trips JSON values to an equal, unshared copy", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = jsonClone(value);
        return jsonEqual(copy, JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
