/**
 * The Redis adapter on a REAL redis-server started by this file (127.0.0.1, free port, temp dir,
 * appendonly yes + appendfsync always), through node-redis, ioredis and a scripting client that
 * decodes JSON replies like Upstash's REST client: the contract suite, 8 writers × 500 events on
 * one thread and on 500 threads, idempotent ingests, and the server killed (SIGKILL) mid-run and
 * restarted. Skips only when no redis-server binary exists, and then says so loudly.
 */
import { Redis } from "ioredis";
import { createClient } from "redis";
import { afterAll, describe, expect, it } from "vitest";
import type { ThreadEvent } from "../../src/domain/types.js";
import {
  createRedisStore,
  type IoRedisLike,
  type NodeRedisLike,
  type RedisScriptingLike,
  redisRetryReason,
  StoreRetryableError,
} from "../../src/redis.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { StoreFailureError } from "../../src/store/errors.js";
import { generateEvents, runStoreContract } from "../../src/testing.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { startRedis, warnNoRedis } from "../helpers/redis-server.js";
import { BUSINESS, mixedBody } from "../service/fixtures.js";

const server = await startRedis();
if (server === undefined) warnNoRedis("test/redis/server.test.ts (real Redis tests)");

const opened: { close(): Promise<unknown> }[] = [];
type NodeClient = Awaited<ReturnType<typeof nodeRedis>>;

async function nodeRedis() {
  const c = createClient({ url: server?.url ?? "", socket: { reconnectStrategy: 50 } });
  c.on("error", () => {});
  await c.connect();
  opened.push({ close: () => c.destroy() as unknown as Promise<unknown> });
  return c;
}
function ioRedis(): Redis {
  const c = new Redis(server?.url ?? "", { maxRetriesPerRequest: 2, retryStrategy: () => 50 });
  c.on("error", () => {});
  opened.push({ close: async () => c.disconnect() });
  return c;
}
/** Scripting client over node-redis that JSON-decodes replies, as Upstash's REST client does. */
function scripting(c: NodeClient): RedisScriptingLike & { evals: number } {
  const decode = (r: unknown) => {
    if (typeof r !== "string") return r;
    try {
      return JSON.parse(r) as unknown;
    } catch {
      return r;
    }
  };
  const out = {
    evals: 0,
    evalsha: async (sha: string, keys: string[], args: string[]) =>
      decode(await c.sendCommand(["EVALSHA", sha, String(keys.length), ...keys, ...args])),
    eval: async (script: string, keys: string[], args: string[]) => {
      out.evals++;
      return decode(await c.sendCommand(["EVAL", script, String(keys.length), ...keys, ...args]));
    },
  };
  return out;
}

const shared = server === undefined ? undefined : await nodeRedis();

afterAll(async () => {
  await Promise.allSettled(opened.map((c) => c.close()));
  await server?.stop();
});

let prefixes = 0;
const freshPrefix = () => `t${++prefixes}:`;
const T = Date.parse("2026-11-26T09:00:00Z");
const now = () => new Date(T);

/** Every key under a prefix with its value (hashes as sorted objects), for comparisons. */
async function snapshot(prefix: string): Promise<Record<string, unknown>> {
  const c = shared as NodeClient;
  const keys = ((await c.sendCommand(["KEYS", `${prefix}*`])) as string[]).sort();
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const type = await c.type(k);
    out[k] =
      type === "hash"
        ? Object.fromEntries(Object.entries(await c.hGetAll(k)).sort())
        : await c.get(k);
  }
  return out;
}

describe.skipIf(server === undefined)(`real Redis (${server?.version ?? "absent"})`, () => {
  it("runs on a real server on 127.0.0.1 with appendonly and appendfsync always", async () => {
    const c = shared as NodeClient;
    expect(await c.configGet("appendonly")).toEqual({ appendonly: "yes" });
    expect(await c.configGet("appendfsync")).toEqual({ appendfsync: "always" });
    expect(await c.configGet("bind")).toEqual({ bind: "127.0.0.1" });
  });

  it("node-redis and ioredis clients satisfy the structural types", () => {
    // Compile-time checks (npm run typecheck); the runtime assertion keeps the test honest.
    const a: NodeRedisLike = shared as NodeClient;
    const b: IoRedisLike = ioRedis();
    expect([typeof a.sendCommand, typeof b.call]).toEqual(["function", "function"]);
  });

  it("bad options are typed errors naming the field", () => {
    expect(() => createRedisStore({ client: {} as NodeRedisLike })).toThrow(
      expect.objectContaining({ code: "invalid-argument", field: "options.client" }),
    );
    expect(() =>
      createRedisStore({ client: shared as NodeClient, idleThreadTtlSeconds: 0.5 }),
    ).toThrow(expect.objectContaining({ field: "options.idleThreadTtlSeconds" }));
  });

  runStoreContract({
    name: "redis via node-redis",
    create: async () =>
      createRedisStore({ client: shared as NodeClient, keyPrefix: freshPrefix() }),
    describe,
    it,
  });

  const io = server === undefined ? undefined : ioRedis();
  runStoreContract({
    name: "redis via ioredis",
    create: async () => createRedisStore({ client: io as Redis, keyPrefix: freshPrefix() }),
    describe,
    it,
  });

  runStoreContract({
    name: "redis via a JSON-decoding scripting client (Upstash-style evalsha/eval)",
    create: async () =>
      createRedisStore({ client: scripting(shared as NodeClient), keyPrefix: freshPrefix() }),
    describe,
    it,
  });

  it("EVALSHA falls back to EVAL when the server forgot the scripts (SCRIPT FLUSH)", async () => {
    const client = scripting(shared as NodeClient);
    const store = createRedisStore({ client, keyPrefix: freshPrefix() });
    const key = { channel: "whatsapp", business: BUSINESS, customer: "x" } as const;
    await store.readThread(key);
    await (shared as NodeClient).sendCommand(["SCRIPT", "FLUSH"]);
    const before = client.evals;
    expect(await store.writeThread(key, { state: emptyState() }, 0)).toBe(true);
    expect(client.evals).toBe(before + 1);
    expect(await store.writeThread(key, { state: emptyState() }, 1)).toBe(true);
    expect(client.evals).toBe(before + 1); // loaded again: EVALSHA from now on
  });

  it("idle thread TTL: written threads expire; tier keys carry their TTL", async () => {
    const prefix = freshPrefix();
    const store = createRedisStore({
      client: shared as NodeClient,
      keyPrefix: prefix,
      idleThreadTtlSeconds: 3600,
      tierTtlSeconds: 600,
    });
    const key = { channel: "whatsapp", business: BUSINESS, customer: "ttl" } as const;
    await store.writeThread(key, { state: emptyState() }, 0);
    await store.countDelivery(BUSINESS, "2026-11", "wamid.ttl");
    const c = shared as NodeClient;
    const keys = (await c.sendCommand(["KEYS", `${prefix}*`])) as string[];
    const ttls = Object.fromEntries(
      await Promise.all(keys.map(async (k) => [k[prefix.length], await c.ttl(k)])),
    );
    expect(ttls["t"]).toBeGreaterThan(3500);
    expect(ttls["d"]).toBeGreaterThan(500);
    expect(ttls["d"]).toBeLessThanOrEqual(600);
    expect(ttls["n"]).toBeGreaterThan(500);
    const plain = createRedisStore({ client: c, keyPrefix: freshPrefix() });
    await plain.writeThread(key, { state: emptyState() }, 0);
    expect(await c.ttl(`t${prefixes}:t:${JSON.stringify(["whatsapp", BUSINESS, "ttl"])}`)).toBe(-1);
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
        batches.map(async (events, w) => {
          // Each writer is its own instance with its own connection (half node-redis, half ioredis).
          const client = w % 2 === 0 ? await nodeRedis() : ioRedis();
          const care = createCareWindow({
            store: createRedisStore({ client, keyPrefix: prefix }),
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
      const store = createRedisStore({ client: shared as NodeClient, keyPrefix: prefix });
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
      const byCustomer = new Map<string, ThreadEvent[]>();
      for (const e of batches.flat()) {
        byCustomer.set(e.thread.customer, [...(byCustomer.get(e.thread.customer) ?? []), e]);
      }
      let versions = 0;
      for (const customer of customers) {
        const events = byCustomer.get(customer) ?? [];
        if (events.length === 0) continue;
        const row = await store.readThread({ channel: "whatsapp", business: BUSINESS, customer });
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

    it("sequentially: the second ingest changes nothing (keys and versions identical)", async () => {
      const prefix = freshPrefix();
      const care = createCareWindow({
        store: createRedisStore({ client: shared as NodeClient, keyPrefix: prefix }),
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

    it("concurrently (4 instances at once): the same keys as one ingest", async () => {
      const reference = freshPrefix();
      await createCareWindow({
        store: createRedisStore({ client: shared as NodeClient, keyPrefix: reference }),
        now,
        // generated histories run past the fixed clock: no CSW-3 future check here
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      }).ingest(body);
      const prefix = freshPrefix();
      const results = await Promise.all(
        Array.from({ length: 4 }, async (_, i) =>
          createCareWindow({
            store: createRedisStore({
              client: i % 2 === 0 ? await nodeRedis() : ioRedis(),
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
      const strip = (snap: Record<string, unknown>, p: string) =>
        Object.fromEntries(Object.entries(snap).map(([k, v]) => [k.slice(p.length), v]));
      expect(strip(await snapshot(prefix), prefix)).toEqual(
        strip(await snapshot(reference), reference),
      );
    });
  });

  describe("faults: redis-server killed (SIGKILL) mid-run and restarted", () => {
    it("writers get typed errors, every acknowledged write survives, a redelivery repairs everything", async () => {
      const srv = server as NonNullable<typeof server>;
      const prefix = freshPrefix();
      const customers = Array.from({ length: 20 }, (_, i) => `55118${String(i).padStart(8, "0")}`);
      const batches = Array.from({ length: 4 }, (_, w) =>
        generateEvents({ seed: 5000 + w, count: 300, customers, business: BUSINESS }),
      );
      const acknowledged: ThreadEvent[] = [];
      const errors: unknown[] = [];
      let killed = false;
      const writers = batches.map(async (events, w) => {
        // node-redis without an offline queue, ioredis with few retries: both fail fast.
        const client =
          w % 2 === 0
            ? await (async () => {
                const c = createClient({
                  url: srv.url,
                  disableOfflineQueue: true,
                  socket: { reconnectStrategy: 50 },
                });
                c.on("error", () => {});
                await c.connect();
                opened.push({ close: () => c.destroy() as unknown as Promise<unknown> });
                return c;
              })()
            : ioRedis();
        const care = createCareWindow({
          store: createRedisStore({ client, keyPrefix: prefix }),
          now,
          // generated histories run past the fixed clock: no CSW-3 future check here
          maxFutureSkewMs: Number.POSITIVE_INFINITY,
          maxAttempts: 50,
        });
        for (const [i, event] of events.entries()) {
          try {
            await care.record([event]);
            acknowledged.push(event);
          } catch (error) {
            errors.push(error);
          }
          if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
        }
      });
      const chaos = (async () => {
        // Kill once the writers are well under way (by progress, not by the clock).
        while (acknowledged.length < 150) await new Promise((r) => setTimeout(r, 2));
        await srv.kill();
        killed = true;
        await new Promise((r) => setTimeout(r, 300));
        await srv.start();
      })();
      await Promise.all([...writers, chaos]);
      expect(killed).toBe(true);
      expect(errors.length).toBeGreaterThan(0); // the kill really hit writers mid-run
      for (const e of errors) {
        expect(e).toBeInstanceOf(StoreRetryableError);
        expect(e).toBeInstanceOf(StoreFailureError);
        expect(e).toMatchObject({ code: "store-failure", retryable: true, reason: "unavailable" });
      }
      const retryable = errors.filter((e) => e instanceof StoreRetryableError).length;
      console.log(
        `redis kill: ${acknowledged.length} events acknowledged, ${errors.length} typed errors (${retryable} StoreRetryableError)`,
      );
      // After the restart (AOF, appendfsync always) every acknowledged event is still there.
      const reader = createRedisStore({ client: await nodeRedis(), keyPrefix: prefix });
      for (const customer of customers) {
        const key = { channel: "whatsapp", business: BUSINESS, customer } as const;
        const row = await reader.readThread(key);
        const acked = acknowledged.filter((e) => e.thread.customer === customer);
        if (acked.length === 0) continue;
        const state = JSON.parse(JSON.stringify(row?.state ?? emptyState()));
        expect(JSON.parse(JSON.stringify(foldEvents(state, acked))), customer).toEqual(state);
      }
      // Redelivery of everything repairs every thread to the exact fold.
      const care = createCareWindow({
        store: reader,
        now,
        maxAttempts: 50,
        maxFutureSkewMs: Number.POSITIVE_INFINITY,
      });
      await care.record(batches.flat());
      for (const customer of customers) {
        const key = { channel: "whatsapp", business: BUSINESS, customer } as const;
        const events = batches.flat().filter((e) => e.thread.customer === customer);
        expect((await reader.readThread(key))?.state, customer).toEqual(
          JSON.parse(JSON.stringify(foldEvents(emptyState(), events))),
        );
      }
    }, 600_000);

    it("classifies connection loss, LOADING and BUSY as retryable; WRONGTYPE as not", () => {
      expect(redisRetryReason(Object.assign(new Error("x"), { name: "ClientClosedError" }))).toBe(
        "unavailable",
      );
      expect(redisRetryReason(Object.assign(new Error("connect"), { code: "ECONNREFUSED" }))).toBe(
        "unavailable",
      );
      expect(redisRetryReason(new Error("Connection is closed."))).toBe("unavailable");
      expect(redisRetryReason(new Error("The client is offline"))).toBe("unavailable");
      expect(redisRetryReason(new Error("LOADING Redis is loading the dataset in memory"))).toBe(
        "unavailable",
      );
      expect(redisRetryReason(new Error("BUSY Redis is busy running a script"))).toBe("throttled");
      expect(redisRetryReason(new Error("WRONGTYPE Operation against a key"))).toBeUndefined();
    });
  });
});
