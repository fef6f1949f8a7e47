/**
 * Storage benchmarks (issues 4 and 16): ingest throughput end to end on the memory store, on
 * DynamoDB (dynalite, in-process), on a real redis-server and on a real PostgreSQL server (1 and
 * 8 writers), store round trips per decide and per uncontended write on each, and the Postgres
 * adapter's conditional write against one raw UPSERT in the same run.
 *
 * Run alone: `npx tsx bench/store.bench.ts`; `bench/run.ts` calls `runStoreBench()`.
 */
import { pathToFileURL } from "node:url";
import { measure } from "mitata";
import pg from "pg";
import { createClient } from "redis";
import { createDynamoStore, type DynamoClient } from "../src/dynamodb.js";
import { createPostgresStore, migrate, type Queryable } from "../src/postgres.js";
import { createRedisStore, type NodeRedisLike } from "../src/redis.js";
import { createCareWindow } from "../src/service/createCareWindow.js";
import { createMemoryStore } from "../src/store/memory.js";
import type { CareWindowStore } from "../src/store/port.js";
import { emptyState, foldEvents } from "../src/window/state.js";
import { startDynalite } from "../test/helpers/dynalite.js";
import { startPostgres, warnNoPostgres } from "../test/helpers/pg-server.js";
import { startRedis, warnNoRedis } from "../test/helpers/redis-server.js";
import { BUSINESS, inboundBody } from "../test/service/fixtures.js";
import { countingStore } from "../test/service/helpers.js";

const T = Date.parse("2026-11-26T09:00:00Z");
const now = () => new Date(T + 3_600_000);

export interface StoreBenchResult {
  readonly lines: readonly string[];
  readonly figures: Record<string, number | string>;
}

function countingClient(inner: Queryable): {
  client: Queryable;
  count: () => number;
  reset(): void;
} {
  let n = 0;
  return {
    client: {
      query: (text, params) => {
        n++;
        return inner.query(text, params);
      },
    },
    count: () => n,
    reset() {
      n = 0;
    },
  };
}

/** Ingests `bodies` bodies (one inbound message each, distinct customers) from `writers` writers. */
async function ingestThroughput(
  makeStore: (writer: number) => CareWindowStore,
  writers: number,
  bodies: number,
  offset: number,
): Promise<number> {
  const per = Math.ceil(bodies / writers);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      const care = createCareWindow({ store: makeStore(w), now });
      for (let i = 0; i < per; i++) {
        const n = offset + w * per + i;
        await care.ingest(
          inboundBody({
            customer: `55${String(n % 5000).padStart(11, "0")}`,
            ts: T / 1000 + n,
            wamid: `wamid.${n}`,
          }),
        );
      }
    }),
  );
  return (per * writers) / ((performance.now() - start) / 1000);
}

const fmt = (n: number, digits = 0) => n.toLocaleString("en-US", { maximumFractionDigits: digits });

/** Counts the requests a DynamoDB client sends. */
function countingDynamo(inner: DynamoClient): {
  client: DynamoClient;
  count: () => number;
  reset(): void;
} {
  let n = 0;
  const counted =
    <I, O>(fn: (input: I) => PromiseLike<O>) =>
    (input: I): PromiseLike<O> => {
      n++;
      return fn(input);
    };
  return {
    client: {
      getItem: counted((i) => inner.getItem(i)),
      putItem: counted((i) => inner.putItem(i)),
      updateItem: counted((i) => inner.updateItem(i)),
      batchGetItem: counted((i) => inner.batchGetItem(i)),
      query: counted((i) => inner.query(i)),
    },
    count: () => n,
    reset() {
      n = 0;
    },
  };
}

/** Counts the commands sent through a node-redis client (a script call is one command). */
function countingRedis(inner: NodeRedisLike): {
  client: NodeRedisLike;
  count: () => number;
  reset(): void;
} {
  let n = 0;
  return {
    client: {
      sendCommand: (args) => {
        n++;
        return inner.sendCommand(args);
      },
    },
    count: () => n,
    reset() {
      n = 0;
    },
  };
}

/** Round trips of one decide and of one uncontended record, counted at the client. */
async function roundTrips(
  store: CareWindowStore,
  counter: { count: () => number; reset(): void },
): Promise<{ decide: number; write: number }> {
  const care = createCareWindow({ store, now });
  const thread = { business: BUSINESS, customer: "5511987654321" };
  await care.record([{ kind: "inbound", id: "wamid.warm", type: "text", at: T, thread }]);
  await care.decide(thread, { kind: "template", category: "utility", name: "order_update" });
  counter.reset();
  await care.decide(thread, { kind: "template", category: "utility", name: "order_update" });
  const decide = counter.count();
  counter.reset();
  await care.record([{ kind: "inbound", id: "wamid.next", type: "text", at: T + 1000, thread }]);
  return { decide, write: counter.count() };
}

/** DynamoDB (dynalite in this process) and Redis (a real redis-server): round trips and ingest/s. */
async function runAdapterBench(
  out: (line: string) => void,
  figures: Record<string, number | string>,
): Promise<void> {
  // ---- DynamoDB on dynalite ----
  const dynamo = await startDynalite();
  try {
    const { ensureTable } = await import("../src/dynamodb.js");
    const admin = dynamo.client();
    await ensureTable(admin, { tableName: "bench", ttlAttribute: false, pollMs: 10 });
    const counted = countingDynamo(admin);
    const trips = await roundTrips(
      createDynamoStore({ client: counted.client, tableName: "bench", keyPrefix: "rt#" }),
      counted,
    );
    figures["DynamoDB requests per decide"] = trips.decide;
    figures["DynamoDB requests per uncontended write"] = trips.write;
    out(
      `round trips (DynamoDB requests): decide ${trips.decide} (target 1); uncontended record ${trips.write} (target 2 = 1 read + 1 conditional write)`,
    );
    const stores = Array.from({ length: 8 }, () =>
      createDynamoStore({ client: dynamo.client(), tableName: "bench", keyPrefix: "in#" }),
    );
    await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 100, 4_000_000);
    const d1 = await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 600, 5_000_000);
    const d8 = await ingestThroughput((w) => stores[w] as CareWindowStore, 8, 1600, 6_000_000);
    figures["dynamodb (dynalite) ingest/s (1 writer)"] = Math.round(d1);
    figures["dynamodb (dynalite) ingest/s (8 writers)"] = Math.round(d8);
    out(
      `ingest end to end, DynamoDB on dynalite (in this process): ${fmt(d1)} webhooks/s (1 writer), ${fmt(d8)} webhooks/s (8 writers)`,
    );
  } finally {
    await dynamo.stop();
  }

  // ---- Redis on a real redis-server ----
  const redis = await startRedis();
  if (redis === undefined) {
    warnNoRedis("bench/store.bench.ts Redis figures");
    out("Redis figures: SKIPPED (no redis-server binary)");
    return;
  }
  const clients: { destroy(): void }[] = [];
  try {
    figures["redis"] = redis.version;
    const connect = async () => {
      const c = createClient({ url: redis.url });
      c.on("error", () => {});
      await c.connect();
      clients.push(c);
      return c;
    };
    const counted = countingRedis(await connect());
    const trips = await roundTrips(
      createRedisStore({ client: counted.client, keyPrefix: "rt:" }),
      counted,
    );
    figures["Redis commands per decide"] = trips.decide;
    figures["Redis commands per uncontended write"] = trips.write;
    out(
      `round trips (Redis commands): decide ${trips.decide} (target 1); uncontended record ${trips.write} (target 2 = 1 read + 1 conditional write)`,
    );
    const stores = await Promise.all(
      Array.from({ length: 8 }, async () =>
        createRedisStore({ client: await connect(), keyPrefix: "in:" }),
      ),
    );
    await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 300, 7_000_000);
    const r1 = await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 3000, 8_000_000);
    const r8 = await ingestThroughput((w) => stores[w] as CareWindowStore, 8, 8000, 9_000_000);
    figures["redis ingest/s (1 writer)"] = Math.round(r1);
    figures["redis ingest/s (8 writers)"] = Math.round(r8);
    out(
      `ingest end to end, Redis (appendfsync always): ${fmt(r1)} webhooks/s (1 writer, 1 connection), ${fmt(r8)} webhooks/s (8 writers, 8 connections)`,
    );
  } finally {
    for (const c of clients) c.destroy();
    await redis.stop();
  }
}

/** Runs the storage benchmarks and returns printable lines plus raw figures. */
export async function runStoreBench(
  print: (line: string) => void = console.log,
): Promise<StoreBenchResult> {
  const lines: string[] = [];
  const figures: Record<string, number | string> = {};
  const out = (line: string) => {
    lines.push(line);
    print(line);
  };

  // ---- Round trips (memory store, counted at the port) ----
  const counted = countingStore(createMemoryStore());
  const care = createCareWindow({ store: counted.store, now });
  const thread = { business: BUSINESS, customer: "5511987654321" };
  await care.record([{ kind: "inbound", id: "wamid.warm", type: "text", at: T, thread }]);
  counted.reset();
  await care.decide(thread, { kind: "template", category: "utility", name: "order_update" });
  figures["port calls per decide"] = counted.total();
  counted.reset();
  await care.record([{ kind: "inbound", id: "wamid.next", type: "text", at: T + 1000, thread }]);
  figures["port calls per uncontended write"] = counted.total();
  out(
    `round trips (port calls): decide ${figures["port calls per decide"]} (target 1); uncontended record ${figures["port calls per uncontended write"]} (target 2 = 1 read + 1 conditional write)`,
  );

  // ---- Memory ingest throughput ----
  const memStore = createMemoryStore();
  await ingestThroughput(() => memStore, 1, 2000, 0); // warm up
  const mem1 = await ingestThroughput(() => memStore, 1, 20_000, 100_000);
  const mem8 = await ingestThroughput(() => memStore, 8, 20_000, 200_000);
  figures["memory ingest/s (1 writer)"] = Math.round(mem1);
  figures["memory ingest/s (8 writers)"] = Math.round(mem8);
  out(
    `ingest end to end, memory store: ${fmt(mem1)} webhooks/s (1 writer), ${fmt(mem8)} webhooks/s (8 writers)`,
  );

  // ---- DynamoDB (dynalite) and Redis ----
  await runAdapterBench(out, figures);

  // ---- Real PostgreSQL ----
  const server = await startPostgres();
  if (server === undefined) {
    warnNoPostgres("bench/store.bench.ts PostgreSQL figures");
    out("PostgreSQL figures: SKIPPED (no server binaries)");
    return { lines, figures };
  }
  const pool = new pg.Pool({ connectionString: server.url, max: 16 });
  try {
    figures["postgres"] = server.version;
    await migrate(pool);

    // SQL statements per decide / per uncontended write.
    const sqlCount = countingClient(pool);
    const pgCare = createCareWindow({
      store: createPostgresStore({ client: sqlCount.client }),
      now,
    });
    await pgCare.record([{ kind: "inbound", id: "wamid.warm", type: "text", at: T, thread }]);
    sqlCount.reset();
    await pgCare.decide(thread, { kind: "template", category: "utility", name: "order_update" });
    figures["SQL statements per decide"] = sqlCount.count();
    sqlCount.reset();
    await pgCare.record([
      { kind: "inbound", id: "wamid.next", type: "text", at: T + 1000, thread },
    ]);
    figures["SQL statements per uncontended write"] = sqlCount.count();
    out(
      `round trips (SQL statements, Postgres): decide ${figures["SQL statements per decide"]}; uncontended record ${figures["SQL statements per uncontended write"]}`,
    );

    // Ingest throughput: 1 writer and 8 writers, each writer its own connection.
    const clients = await Promise.all(
      Array.from({ length: 8 }, async () => {
        const c = new pg.Client({ connectionString: server.url });
        await c.connect();
        return c;
      }),
    );
    try {
      const stores = clients.map((c) => createPostgresStore({ client: c }));
      await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 300, 1_000_000);
      const pg1 = await ingestThroughput((w) => stores[w] as CareWindowStore, 1, 3000, 2_000_000);
      const pg8 = await ingestThroughput((w) => stores[w] as CareWindowStore, 8, 8000, 3_000_000);
      figures["postgres ingest/s (1 writer)"] = Math.round(pg1);
      figures["postgres ingest/s (8 writers)"] = Math.round(pg8);
      out(
        `ingest end to end, PostgreSQL: ${fmt(pg1)} webhooks/s (1 writer), ${fmt(pg8)} webhooks/s (8 writers)`,
      );

      // Adapter conditional write vs one raw UPSERT of the same JSON, same connection, same run.
      const c = clients[0] as pg.Client;
      await c.query(
        "CREATE TABLE IF NOT EXISTS bench_raw (k text PRIMARY KEY, state jsonb NOT NULL)",
      );
      const state = foldEvents(emptyState(), [
        { kind: "inbound", id: "w", type: "text", at: T, thread },
        { kind: "consent", action: "opt-in", scope: "marketing", source: "form", at: T, thread },
      ]);
      const json = JSON.stringify(state);
      const store = createPostgresStore({ client: c });
      const key = { channel: "whatsapp", business: BUSINESS, customer: "bench" } as const;
      let version = 0;
      await store.writeThread(key, { state }, version++);
      await c.query("INSERT INTO bench_raw VALUES ('bench', $1::jsonb)", [json]);
      const raw = () =>
        c.query(
          "INSERT INTO bench_raw (k, state) VALUES ($1, $2::jsonb) ON CONFLICT (k) DO UPDATE SET state = excluded.state",
          ["bench", json],
        );
      const adapter = async () => {
        if (!(await store.writeThread(key, { state }, version)))
          throw new Error("lost CAS in bench");
        version++;
      };
      const recordCare = createCareWindow({ store, now });
      let at = T;
      const record = () =>
        recordCare.record([
          {
            kind: "inbound",
            id: `w${at}`,
            type: "text",
            at: at++,
            thread: { business: BUSINESS, customer: "bench2" },
          },
        ]);
      const opts = { min_cpu_time: 400 * 1e6, max_samples: 4000 };
      const rounds: { raw: number; adapter: number; record: number }[] = [];
      for (let r = 0; r < 3; r++) {
        rounds.push({
          raw: (await measure(raw, opts)).avg,
          adapter: (await measure(adapter, opts)).avg,
          record: (await measure(record, opts)).avg,
        });
      }
      const best = (k: "raw" | "adapter" | "record") => Math.min(...rounds.map((x) => x[k]));
      const us = (ns: number) => ns / 1000;
      figures["raw UPSERT µs"] = Number(us(best("raw")).toFixed(1));
      figures["adapter CAS write µs"] = Number(us(best("adapter")).toFixed(1));
      figures["record (read + fold + CAS write) µs"] = Number(us(best("record")).toFixed(1));
      figures["adapter write / raw UPSERT"] = Number((best("adapter") / best("raw")).toFixed(2));
      figures["record / raw UPSERT"] = Number((best("record") / best("raw")).toFixed(2));
      out("write latency, same connection, same run (best of 3 mitata rounds, avg per op):");
      out(
        `  raw UPSERT                          ${us(best("raw")).toFixed(1).padStart(8)} µs   1.00×`,
      );
      out(
        `  adapter CAS write (UPDATE … version) ${us(best("adapter")).toFixed(1).padStart(7)} µs   ${figures["adapter write / raw UPSERT"]}×  (target ≤ 1.3×)`,
      );
      out(
        `  record: read + fold + CAS write     ${us(best("record")).toFixed(1).padStart(8)} µs   ${figures["record / raw UPSERT"]}×  (2 round trips)`,
      );
    } finally {
      await Promise.all(clients.map((cl) => cl.end()));
    }
  } finally {
    await pool.end();
    await server.stop();
  }
  return { lines, figures };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { figures } = await runStoreBench();
  console.log(JSON.stringify(figures, null, 2));
}
