/**
 * The DynamoDB adapter on dynalite (the DynamoDB API over an in-memory LevelDB, started in this
 * process on 127.0.0.1) through the real AWS SDK v3 client: the contract suite, 8 writers × 500
 * events on one thread and on 500 threads, idempotent ingests, a conditional-failure storm,
 * throttling, and a tier count interrupted at every step.
 */
import { DynamoDB } from "@aws-sdk/client-dynamodb";
import { afterAll, describe, expect, it } from "vitest";
import type { Thread, ThreadEvent } from "../../src/domain/types.js";
import {
  createDynamoStore,
  type DynamoClient,
  ensureTable,
  retryReason,
  StoreRetryableError,
} from "../../src/dynamodb.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { StoreConflictError, StoreFailureError } from "../../src/store/errors.js";
import { generateEvents, runStoreContract } from "../../src/testing.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { startDynalite } from "../helpers/dynalite.js";
import { BUSINESS, mixedBody } from "../service/fixtures.js";

const engine = await startDynalite();
const admin = engine.client();
const TABLE = "care-window-test";
await ensureTable(admin, { tableName: TABLE, ttlAttribute: false, pollMs: 10 });

afterAll(async () => {
  await engine.stop();
});

let prefixes = 0;
const freshPrefix = () => `t${++prefixes}#`;
const T = Date.parse("2026-11-26T09:00:00Z");
const now = () => new Date(T);

/** All items under a key prefix, sorted, for before/after comparisons. */
async function snapshot(prefix: string): Promise<unknown[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await admin.scan({
      TableName: TABLE,
      ConsistentRead: true,
      ...(start === undefined ? {} : { ExclusiveStartKey: start as never }),
    });
    for (const item of page.Items ?? []) {
      if (String(item["pk"]?.S).startsWith(prefix)) items.push(item);
    }
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  const canonical = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(canonical)
      : typeof x === "object" && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, canonical((x as Record<string, unknown>)[k])]),
          )
        : x;
  return items
    .map((i) => JSON.stringify(canonical(i)))
    .sort()
    .map((s) => JSON.parse(s) as unknown);
}

/** A client that injects faults before or after the real call. */
function faulty(
  inner: DynamoClient,
  fault: (method: string, input: unknown, phase: "before" | "after") => void,
): DynamoClient & { calls: string[] } {
  const calls: string[] = [];
  const wrap =
    <I, O>(method: string, fn: (input: I) => PromiseLike<O>) =>
    async (input: I): Promise<O> => {
      calls.push(method);
      fault(method, input, "before");
      const out = await fn(input);
      fault(method, input, "after");
      return out;
    };
  return {
    calls,
    getItem: wrap("getItem", (i) => inner.getItem(i)),
    putItem: wrap("putItem", (i) => inner.putItem(i)),
    updateItem: wrap("updateItem", (i) => inner.updateItem(i)),
    batchGetItem: wrap("batchGetItem", (i) => inner.batchGetItem(i)),
    query: wrap("query", (i) => inner.query(i)),
  };
}

const awsError = (name: string): Error => Object.assign(new Error(name), { name });

describe(`DynamoDB adapter on dynalite (${engine.endpoint})`, () => {
  it("the SDK's aggregated DynamoDB client satisfies the structural client type", () => {
    // Compile-time check (npm run typecheck): the SDK client is accepted as is.
    const client: DynamoClient = admin satisfies DynamoDB;
    expect(typeof client.batchGetItem).toBe("function");
  });

  it("bad options are typed errors naming the field", () => {
    expect(() => createDynamoStore({ client: {} as DynamoClient, tableName: TABLE })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.client" }),
    );
    expect(() => createDynamoStore({ client: admin, tableName: "x" })).toThrow(
      expect.objectContaining({ field: "options.tableName" }),
    );
    expect(() => createDynamoStore({ client: admin, tableName: TABLE, tierSettleAt: 0 })).toThrow(
      expect.objectContaining({ field: "options.tierSettleAt" }),
    );
  });

  it("ensureTable is idempotent and safe when run concurrently", async () => {
    await Promise.all(
      Array.from({ length: 4 }, () =>
        ensureTable(admin, { tableName: "concurrent-table", ttlAttribute: false, pollMs: 10 }),
      ),
    );
    const table = await admin.describeTable({ TableName: "concurrent-table" });
    expect(table.Table?.KeySchema).toEqual([
      { AttributeName: "pk", KeyType: "HASH" },
      { AttributeName: "sk", KeyType: "RANGE" },
    ]);
    expect(table.Table?.TableStatus).toBe("ACTIVE");
  });

  runStoreContract({
    name: "dynamodb on dynalite",
    create: () => createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: freshPrefix() }),
    describe,
    it,
  });

  runStoreContract({
    name: "dynamodb on dynalite, tier counter settling at every 2 wamids",
    create: () =>
      createDynamoStore({
        client: admin,
        tableName: TABLE,
        keyPrefix: freshPrefix(),
        tierSettleAt: 2,
      }),
    describe,
    it,
  });

  it("the largest folded state of the contract data stays far below the 400 KB item limit", async () => {
    const prefix = freshPrefix();
    const store = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
    const state = foldEvents(
      emptyState(),
      generateEvents({ seed: 9, count: 5000, customers: ["big"] }),
    );
    const key = { channel: "whatsapp", business: BUSINESS, customer: "big" } as const;
    expect(await store.writeThread(key, { state }, 0)).toBe(true);
    const [item] = await snapshot(prefix);
    const bytes = new TextEncoder().encode(JSON.stringify(item)).length;
    expect(bytes).toBeLessThan(4 * 1024);
  });

  describe("8 concurrent writers × 500 events: zero lost updates", () => {
    const WRITERS = 8;
    const EVENTS = 500;

    async function hammer(customers: readonly string[]) {
      const prefix = freshPrefix();
      const batches = Array.from({ length: WRITERS }, (_, w) =>
        generateEvents({ seed: 1000 + w, count: EVENTS, customers, business: BUSINESS }),
      );
      const changed = await Promise.all(
        batches.map(async (events) => {
          // Each writer is its own "Lambda instance": its own SDK client and service.
          const care = createCareWindow({
            store: createDynamoStore({
              client: engine.client(),
              tableName: TABLE,
              keyPrefix: prefix,
            }),
            now,
            // generated histories run past the fixed clock: no CSW-3 future check here
            maxFutureSkewMs: Number.POSITIVE_INFINITY,
            maxAttempts: 50,
          });
          let n = 0;
          for (const event of events) n += (await care.record([event])).changed;
          return n;
        }),
      );
      const store = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
      return { store, batches, changed: changed.reduce((a, b) => a + b, 0) };
    }

    it("on one thread: the final state is the sequential fold, one version per write", async () => {
      const { store, batches, changed } = await hammer(["5511987654321"]);
      const row = await store.readThread({
        channel: "whatsapp",
        business: BUSINESS,
        customer: "5511987654321",
      });
      expect(row?.state).toEqual(
        JSON.parse(JSON.stringify(foldEvents(emptyState(), batches.flat()))),
      );
      expect(row?.version).toBe(changed);
    }, 600_000);

    it("on 500 threads: every thread equals the fold of its events", async () => {
      const customers = Array.from({ length: 500 }, (_, i) => `55119${String(i).padStart(8, "0")}`);
      const { store, batches, changed } = await hammer(customers);
      let versions = 0;
      const byCustomer = new Map<string, ThreadEvent[]>();
      for (const e of batches.flat()) {
        byCustomer.set(e.thread.customer, [...(byCustomer.get(e.thread.customer) ?? []), e]);
      }
      for (const customer of customers) {
        const row = await store.readThread({ channel: "whatsapp", business: BUSINESS, customer });
        const events = byCustomer.get(customer) ?? [];
        if (events.length === 0) continue;
        expect(row?.state, customer).toEqual(
          JSON.parse(JSON.stringify(foldEvents(emptyState(), events))),
        );
        versions += row?.version ?? 0;
      }
      expect(versions).toBe(changed);
    }, 600_000);
  });

  describe("idempotency: the same webhook twice", () => {
    const customers = Array.from({ length: 10 }, (_, i) => `55119${String(i).padStart(8, "0")}`);
    const body = mixedBody(T / 1000, customers);

    it("sequentially: the second ingest changes nothing (items and versions identical)", async () => {
      const prefix = freshPrefix();
      const care = createCareWindow({
        store: createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix }),
        now,
        // generated histories run past the fixed clock: no CSW-3 future check here
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      });
      const first = await care.ingest(body);
      expect(first.recorded).toMatchObject({
        threads: 10,
        changed: 10,
        deliveries: 10,
        templates: 1,
      });
      const before = await snapshot(prefix);
      const second = await care.ingest(body);
      expect(second.recorded).toMatchObject({ changed: 0, deliveries: 0 });
      expect(await snapshot(prefix)).toEqual(before);
    });

    it("concurrently (4 instances at once): the same state and counts as one ingest", async () => {
      const reference = freshPrefix();
      const refStore = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: reference });
      await createCareWindow({ store: refStore, now }).ingest(body);
      const prefix = freshPrefix();
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          createCareWindow({
            store: createDynamoStore({
              client: engine.client(),
              tableName: TABLE,
              keyPrefix: prefix,
            }),
            now,
            // generated histories run past the fixed clock: no CSW-3 future check here
            maxFutureSkewMs: Number.POSITIVE_INFINITY,
            maxAttempts: 20,
          }).ingest(body),
        ),
      );
      expect(results.reduce((n, r) => n + r.recorded.deliveries, 0)).toBe(10);
      expect(results.reduce((n, r) => n + r.recorded.changed, 0)).toBe(10);
      const store = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
      for (const customer of customers) {
        const key = { channel: "whatsapp", business: BUSINESS, customer } as const;
        expect(await store.readThread(key)).toEqual(await refStore.readThread(key));
      }
      expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(
        await refStore.serviceCount(BUSINESS, "2026-11"),
      );
      expect(await store.readCatalog()).toEqual(await refStore.readCatalog());
    }, 600_000);
  });

  describe("faults", () => {
    const thread: Thread = { business: BUSINESS, customer: "5511987654321" };
    const key = { channel: "whatsapp", ...thread } as const;
    const first: ThreadEvent = { kind: "inbound", id: "wamid.1", type: "text", at: T, thread };
    const second: ThreadEvent = {
      kind: "inbound",
      id: "wamid.2",
      type: "text",
      at: T + 1000,
      thread,
    };

    it("a conditional-failure storm: StoreConflictError, nothing written, a redelivery repairs it", async () => {
      const prefix = freshPrefix();
      let storm = true;
      const client = faulty(admin, (method, _input, phase) => {
        if (storm && method === "putItem" && phase === "before") {
          throw awsError("ConditionalCheckFailedException");
        }
      });
      const store = createDynamoStore({ client, tableName: TABLE, keyPrefix: prefix });
      const reader = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
      storm = false;
      const care = createCareWindow({
        store,
        now,
        maxAttempts: 5,
        retry: { baseDelayMs: 0 },
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      });
      await care.record([first]);
      const before = await snapshot(prefix);
      storm = true;
      const error = await care.record([second]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreConflictError);
      expect(error).toMatchObject({ code: "store-conflict", attempts: 5 });
      expect(client.calls.filter((c) => c === "putItem").length).toBeGreaterThanOrEqual(6);
      expect(await snapshot(prefix)).toEqual(before);
      storm = false;
      await care.record([second]);
      const row = await reader.readThread(key);
      expect(row?.version).toBe(2);
      expect(row?.state).toEqual(
        JSON.parse(JSON.stringify(foldEvents(emptyState(), [first, second]))),
      );
    });

    it("real contention storm: 16 writers on one thread with maxAttempts 2 — typed conflicts only, no partial state, redelivery converges", async () => {
      const prefix = freshPrefix();
      const events = generateEvents({
        seed: 77,
        count: 160,
        customers: [thread.customer],
        business: BUSINESS,
      });
      const chunks = Array.from({ length: 16 }, (_, w) => events.filter((_, i) => i % 16 === w));
      const outcomes = await Promise.allSettled(
        chunks.map(async (chunk) => {
          const care = createCareWindow({
            store: createDynamoStore({
              client: engine.client(),
              tableName: TABLE,
              keyPrefix: prefix,
            }),
            now,
            // generated histories run past the fixed clock: no CSW-3 future check here
            maxFutureSkewMs: Number.POSITIVE_INFINITY,
            maxAttempts: 2,
          });
          for (const e of chunk) await care.record([e]);
        }),
      );
      const errors = outcomes.flatMap((o) => (o.status === "rejected" ? [o.reason] : []));
      for (const e of errors) expect(e).toBeInstanceOf(StoreConflictError);
      // Redeliver everything (Meta retries): the state converges to the fold of all events.
      const care = createCareWindow({
        store: createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix }),
        now,
        // generated histories run past the fixed clock: no CSW-3 future check here
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
        maxAttempts: 50,
      });
      await care.record(events);
      const row = await createDynamoStore({
        client: admin,
        tableName: TABLE,
        keyPrefix: prefix,
      }).readThread(key);
      expect(row?.state).toEqual(JSON.parse(JSON.stringify(foldEvents(emptyState(), events))));
      console.log(
        `contention storm: ${errors.length} of 16 writers gave up with StoreConflictError`,
      );
    });

    it("throttling: a typed, retryable StoreRetryableError; nothing written; the retry succeeds", async () => {
      const prefix = freshPrefix();
      let throttle = false;
      const client = faulty(admin, (method, _input, phase) => {
        if (throttle && method === "putItem" && phase === "before") {
          throw Object.assign(awsError("ProvisionedThroughputExceededException"), {
            $metadata: { httpStatusCode: 400 },
          });
        }
      });
      const care = createCareWindow({
        store: createDynamoStore({ client, tableName: TABLE, keyPrefix: prefix }),
        now,
        // generated histories run past the fixed clock: no CSW-3 future check here
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      });
      await care.record([first]);
      const before = await snapshot(prefix);
      throttle = true;
      const error = await care.record([second]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreRetryableError);
      expect(error).toBeInstanceOf(StoreFailureError);
      expect(error).toMatchObject({
        code: "store-failure",
        operation: "writeThread",
        retryable: true,
        reason: "throttled",
      });
      expect(await snapshot(prefix)).toEqual(before);
      throttle = false;
      await care.record([second]);
      expect((await snapshot(prefix)).length).toBe(1);
    });

    it("classifies throttling, transaction cancellations and 5xx as retryable; validation as not", () => {
      expect(retryReason(awsError("ThrottlingException"))).toBe("throttled");
      expect(retryReason(awsError("TransactionConflictException"))).toBe("contention");
      expect(
        retryReason(
          Object.assign(awsError("TransactionCanceledException"), {
            CancellationReasons: [{ Code: "None" }, { Code: "TransactionConflict" }],
          }),
        ),
      ).toBe("contention");
      expect(
        retryReason(
          Object.assign(awsError("TransactionCanceledException"), {
            CancellationReasons: [{ Code: "ConditionalCheckFailed" }],
          }),
        ),
      ).toBeUndefined();
      expect(retryReason(Object.assign(new Error("reset"), { code: "ECONNRESET" }))).toBe(
        "unavailable",
      );
      expect(
        retryReason(
          Object.assign(awsError("InternalServerError"), { $metadata: { httpStatusCode: 500 } }),
        ),
      ).toBe("unavailable");
      expect(retryReason(awsError("ValidationException"))).toBeUndefined();
    });

    it("a dead endpoint is a typed retryable error (unavailable)", async () => {
      const dead = new DynamoDB({
        endpoint: "http://127.0.0.1:9", // discard port: connection refused
        region: "us-east-1",
        credentials: { accessKeyId: "test", secretAccessKey: "test" },
        maxAttempts: 1,
      });
      const care = createCareWindow({
        store: createDynamoStore({ client: dead, tableName: TABLE }),
        now,
        // generated histories run past the fixed clock: no CSW-3 future check here
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      });
      const error = await care.decide(thread, { kind: "free-form" }).catch((e: unknown) => e);
      dead.destroy();
      expect(error).toBeInstanceOf(StoreRetryableError);
      expect(error).toMatchObject({ reason: "unavailable", operation: "readForDecision" });
    });

    describe("OPEN-5: a tier count interrupted at every step, then redelivered, counts once", () => {
      for (const phase of ["before", "after"] as const) {
        // A first count is 5 calls: claim, read counter, read claim, add to `recent`, acknowledge.
        for (let step = 0; step < 5; step++) {
          it(`fault ${phase} client call #${step + 1}`, async () => {
            const prefix = freshPrefix();
            let n = 0;
            let armed = true;
            const client = faulty(admin, (_method, _input, p) => {
              if (!armed || p !== phase) return;
              if (n++ === step)
                throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
            });
            const store = createDynamoStore({ client, tableName: TABLE, keyPrefix: prefix });
            const first = await Promise.resolve(
              store.countDelivery(BUSINESS, "2026-11", "wamid.X"),
            ).then(
              (v) => v,
              (e: unknown) => e,
            );
            expect(first).toBeInstanceOf(StoreRetryableError); // the fault fired
            expect(first).toMatchObject({ reason: "unavailable", operation: "countDelivery" });
            armed = false;
            // Redelivery (the delivered status, then the read status in the next month).
            await store.countDelivery(BUSINESS, "2026-11", "wamid.X");
            expect(await store.countDelivery(BUSINESS, "2026-12", "wamid.X")).toBe(false);
            expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
            expect(await store.serviceCount(BUSINESS, "2026-12")).toBe(0);
            // …and the count survives settling.
            const settling = createDynamoStore({
              client: admin,
              tableName: TABLE,
              keyPrefix: prefix,
              tierSettleAt: 1,
            });
            await settling.countDelivery(BUSINESS, "2026-11", "wamid.Y");
            await settling.countDelivery(BUSINESS, "2026-11", "wamid.Z");
            expect(await settling.serviceCount(BUSINESS, "2026-11")).toBe(3);
            const tier = (await snapshot(prefix)).find((i) =>
              JSON.stringify(i).includes('"tier"'),
            ) as { used?: { N: string } } | undefined;
            expect(Number(tier?.used?.N)).toBeGreaterThanOrEqual(2); // settled into `used`
          });
        }
      }
    });

    describe("OPEN-5: a move to an earlier month interrupted at every step, then redelivered, ends once in the earliest month", () => {
      // A move is 11 calls: claim (fails), read claim, move the claim, then add to October
      // (read counter, read claim, add to `recent`, acknowledge) and take off November (read
      // counter, read claim, add to `gone`, acknowledge). The failed claim has no "after".
      for (const [phase, steps] of [
        ["before", 11],
        ["after", 10],
      ] as const) {
        for (let step = 0; step < steps; step++) {
          it(`fault ${phase} client call #${step + 1} of the move`, async () => {
            const prefix = freshPrefix();
            const clean = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
            // The read of Nov 1 arrived first: counted in November.
            expect(await clean.countDelivery(BUSINESS, "2026-11", "wamid.M")).toBe(true);
            let n = 0;
            let armed = true;
            const client = faulty(admin, (_method, _input, p) => {
              if (!armed || p !== phase) return;
              if (n++ === step)
                throw Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
            });
            const store = createDynamoStore({ client, tableName: TABLE, keyPrefix: prefix });
            const moved = await Promise.resolve(
              store.countDelivery(BUSINESS, "2026-10", "wamid.M"),
            ).then(
              (v) => v,
              (e: unknown) => e,
            );
            expect(moved).toBeInstanceOf(StoreRetryableError); // the fault fired
            armed = false;
            // Redelivery of the delivered status (Oct 31), then the read again.
            await store.countDelivery(BUSINESS, "2026-10", "wamid.M");
            expect(await store.countDelivery(BUSINESS, "2026-11", "wamid.M")).toBe(false);
            expect(await store.countDelivery(BUSINESS, "2026-10", "wamid.M")).toBe(false);
            expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(1);
            expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(0);
            // …and the counts survive settling both months.
            const settling = createDynamoStore({
              client: admin,
              tableName: TABLE,
              keyPrefix: prefix,
              tierSettleAt: 1,
            });
            for (const w of ["wamid.Y", "wamid.Z"]) {
              await settling.countDelivery(BUSINESS, "2026-11", w);
              await settling.countDelivery(BUSINESS, "2026-10", w === "wamid.Y" ? "wamid.V" : w);
            }
            // Oct: M, V, Z (Z moved from Nov); Nov: Y.
            expect(await settling.serviceCount(BUSINESS, "2026-10")).toBe(3);
            expect(await settling.serviceCount(BUSINESS, "2026-11")).toBe(1);
            const tiers = (await snapshot(prefix)).filter((i) =>
              JSON.stringify(i).includes('"tier"'),
            ) as { used?: { N: string }; gone?: unknown; recent?: unknown }[];
            expect(tiers.some((t) => Number(t.used?.N) > 0)).toBe(true); // settled into `used`
          });
        }
      }
    });

    it("OPEN-5: requests per countDelivery: first count 5, the same month again 2, a move 11", async () => {
      const prefix = freshPrefix();
      const client = faulty(admin, () => {});
      const store = createDynamoStore({ client, tableName: TABLE, keyPrefix: prefix });
      const requests = async (month: string) => {
        const before = client.calls.length;
        const changed = await store.countDelivery(BUSINESS, month, "wamid.C");
        return [changed, client.calls.length - before];
      };
      expect(await requests("2026-11")).toEqual([true, 5]);
      expect(await requests("2026-11")).toEqual([false, 2]);
      expect(await requests("2026-12")).toEqual([false, 2]);
      expect(await requests("2026-10")).toEqual([true, 11]);
      expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(1);
      expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(0);
    });

    it("OPEN-5: 8 writers racing November and October deliveries of 60 wamids (settling at 4) end with each once, in October", async () => {
      const prefix = freshPrefix();
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const store = createDynamoStore({
            client: engine.client(),
            tableName: TABLE,
            keyPrefix: prefix,
            tierSettleAt: 4,
          });
          for (let i = 0; i < 60; i++) {
            const wamid = `wamid.${(i * 7 + w * 13) % 60}`;
            // Half the writers report the read (November) first, half the delivery (October).
            const months = w % 2 === 0 ? ["2026-11", "2026-10"] : ["2026-10", "2026-11"];
            for (const m of months) await store.countDelivery(BUSINESS, m, wamid);
          }
        }),
      );
      expect(results).toHaveLength(8);
      const store = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
      expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(60);
      expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(0);
      for (let i = 0; i < 60; i++) {
        expect(await store.countDelivery(BUSINESS, "2026-10", `wamid.${i}`)).toBe(false);
      }
    }, 600_000);

    it("OPEN-5: 8 writers × 200 deliveries of 100 wamids (each delivered twice, settling at 4) count each once", async () => {
      const prefix = freshPrefix();
      const wamids = Array.from({ length: 100 }, (_, i) => `wamid.${i}`);
      const results = await Promise.all(
        Array.from({ length: 8 }, async (_, w) => {
          const store = createDynamoStore({
            client: engine.client(),
            tableName: TABLE,
            keyPrefix: prefix,
            tierSettleAt: 4,
          });
          let counted = 0;
          for (let i = 0; i < 200; i++) {
            const wamid = wamids[(i * 7 + w * 13) % 100] as string;
            if (await store.countDelivery(BUSINESS, "2026-11", wamid)) counted++;
          }
          return counted;
        }),
      );
      const store = createDynamoStore({ client: admin, tableName: TABLE, keyPrefix: prefix });
      expect(results.reduce((a, b) => a + b, 0)).toBe(100);
      expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(100);
    }, 600_000);
  });
});
