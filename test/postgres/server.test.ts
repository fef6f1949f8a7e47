/**
 * The Postgres adapter on a REAL PostgreSQL server started by this file (127.0.0.1, temp dir,
 * trust auth): the contract suite, 8 writers × 500 events, a connection killed mid-write, and
 * webhook idempotency. Skips only when no server binaries exist, and then says so loudly.
 */
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import type { Thread, ThreadEvent } from "../../src/domain/types.js";
import { createPostgresStore, migrate, schemaSql } from "../../src/postgres.js";
import { createCareWindow } from "../../src/service/createCareWindow.js";
import { StoreFailureError } from "../../src/store/errors.js";
import type { CareWindowStore } from "../../src/store/port.js";
import { generateEvents, runStoreContract, seededRandom } from "../../src/testing.js";
import { emptyState, foldEvents } from "../../src/window/state.js";
import { startPostgres, warnNoPostgres } from "../helpers/pg-server.js";
import { BUSINESS, mixedBody } from "../service/fixtures.js";
import { expectUpgraded, schemaV1Sql, seedV1Sql } from "./fixtures/schema-v1.js";

const server = await startPostgres();
if (server === undefined) warnNoPostgres("test/postgres/server.test.ts (real PostgreSQL tests)");

const pool =
  server === undefined ? undefined : new pg.Pool({ connectionString: server.url, max: 30 });
pool?.on("error", () => {}); // terminated idle clients in the kill test

afterAll(async () => {
  await pool?.end();
  await server?.stop();
});

let schemas = 0;
async function freshSchema(): Promise<string> {
  const schema = `t${++schemas}_${process.pid}`;
  await migrate(pool as pg.Pool, { schema });
  return schema;
}

async function client(): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: server?.url });
  c.on("error", () => {});
  await c.connect();
  return c;
}

const T = Date.parse("2026-11-26T09:00:00Z");
const now = () => new Date(T);

describe.skipIf(server === undefined)(`real PostgreSQL (${server?.version ?? "absent"})`, () => {
  it("runs on a real server on 127.0.0.1", async () => {
    const { rows } = await (pool as pg.Pool).query(
      "SELECT current_setting('server_version_num')::int AS v, inet_server_addr()::text AS addr",
    );
    expect(rows[0].v).toBeGreaterThanOrEqual(150000);
    expect(rows[0].addr).toBe("127.0.0.1/32");
  });

  runStoreContract({
    name: "postgres on a real server",
    async create() {
      const schema = await freshSchema();
      return Object.assign(createPostgresStore({ client: pool as pg.Pool, schema }), { schema });
    },
    async cleanup(store) {
      await (pool as pg.Pool).query(`DROP SCHEMA "${store.schema}" CASCADE`);
    },
    describe,
    it,
  });

  it("migrate is idempotent and safe when run concurrently; schemaSql runs as plain SQL", async () => {
    await Promise.all(
      Array.from({ length: 6 }, () => migrate(pool as pg.Pool, { schema: "concurrent_mig" })),
    );
    await migrate(pool as pg.Pool, { schema: "concurrent_mig" });
    const c = await client();
    try {
      await c.query(schemaSql({ schema: "plain_sql", tablePrefix: "cw_" }));
      await c.query(schemaSql({ schema: "plain_sql", tablePrefix: "cw_" }));
      const { rows } = await c.query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema IN ('concurrent_mig', 'plain_sql')",
      );
      expect(rows[0].n).toBe(10);
    } finally {
      await c.end();
    }
  });

  it("migrate: 6 table prefixes into one new schema at once all succeed (the schema lock covers CREATE SCHEMA)", async () => {
    for (let round = 0; round < 4; round++) {
      const schema = `shared_${round}_${process.pid}`;
      const results = await Promise.allSettled(
        ["a_", "b_", "c_", "d_", "e_", "f_"].map((tablePrefix) =>
          migrate(pool as pg.Pool, { schema, tablePrefix }),
        ),
      );
      const errors = results.flatMap((r) => (r.status === "rejected" ? [String(r.reason)] : []));
      expect(errors, `round ${round}`).toEqual([]);
      const { rows } = await (pool as pg.Pool).query(
        "SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1",
        [schema],
      );
      expect(rows[0].n).toBe(30);
    }
    // Two new schemas × two prefixes at once.
    const mixed = await Promise.allSettled(
      ["m1", "m2"].flatMap((s) =>
        ["x_", "y_"].map((tablePrefix) =>
          migrate(pool as pg.Pool, { schema: `${s}_${process.pid}`, tablePrefix }),
        ),
      ),
    );
    expect(mixed.map((r) => r.status)).toEqual([
      "fulfilled",
      "fulfilled",
      "fulfilled",
      "fulfilled",
    ]);
  });

  it("migrate on an up-to-date database takes no table lock: it never waits behind a reader", async () => {
    const schema = `lock_${process.pid}`;
    await migrate(pool as pg.Pool, { schema });
    const reader = new pg.Client({ connectionString: server?.url });
    const migrator = new pg.Client({ connectionString: server?.url });
    await reader.connect();
    await migrator.connect();
    try {
      // An open transaction that read the deliveries table holds ACCESS SHARE until it ends:
      // an ALTER TABLE (even ADD COLUMN IF NOT EXISTS) would queue behind it.
      await reader.query("BEGIN");
      await reader.query(`SELECT count(*) FROM "${schema}"."care_window_service_deliveries"`);
      await migrator.query("SET lock_timeout = '1500ms'");
      await expect(migrate(migrator, { schema })).resolves.toBeUndefined();
    } finally {
      await reader.query("ROLLBACK");
      await reader.end();
      await migrator.end();
    }
  });

  it("OPEN-5: migrate upgrades a care-window 0.1.0 schema in place, also when 4 instances run it at once", async () => {
    const schema = `v1_${process.pid}`;
    await (pool as pg.Pool).query(schemaV1Sql(schema));
    await (pool as pg.Pool).query(seedV1Sql(schema));
    await Promise.all(Array.from({ length: 4 }, () => migrate(pool as pg.Pool, { schema })));
    await expectUpgraded(pool as pg.Pool, schema);
  });

  describe("8 concurrent writers × 500 events: zero lost updates", () => {
    const WRITERS = 8;
    const EVENTS = 500;

    async function hammer(customers: readonly string[]) {
      const schema = await freshSchema();
      const batches = Array.from({ length: WRITERS }, (_, w) =>
        generateEvents({ seed: 1000 + w, count: EVENTS, customers, business: BUSINESS }),
      );
      // Each writer is its own "serverless instance": its own connection and service.
      const clients = await Promise.all(batches.map(() => client()));
      try {
        const changed = await Promise.all(
          batches.map(async (events, w) => {
            const care = createCareWindow({
              store: createPostgresStore({ client: clients[w] as pg.Client, schema }),
              now,
              maxAttempts: 50,
              // generated histories run past the fixed clock: no CSW-3 future check here
              maxFutureSkewMs: Number.POSITIVE_INFINITY,
            });
            let n = 0;
            for (const event of events) n += (await care.record([event])).changed;
            return n;
          }),
        );
        const store = createPostgresStore({ client: pool as pg.Pool, schema });
        return { schema, store, batches, changed: changed.reduce((a, b) => a + b, 0) };
      } finally {
        await Promise.all(clients.map((c) => c.end()));
      }
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
    });

    it("on many threads: every thread equals the fold of its events", async () => {
      const customers = Array.from({ length: 40 }, (_, i) => `55119${String(i).padStart(8, "0")}`);
      const { store, batches, changed } = await hammer(customers);
      let versions = 0;
      for (const customer of customers) {
        const events = batches.flat().filter((e) => e.thread.customer === customer);
        const row = await store.readThread({ channel: "whatsapp", business: BUSINESS, customer });
        expect(row?.state, customer).toEqual(
          JSON.parse(JSON.stringify(foldEvents(emptyState(), events))),
        );
        versions += row?.version ?? 0;
      }
      expect(versions).toBe(changed);
    });

    it("batched records from 8 writers (many threads per call) equal the fold", async () => {
      const schema = await freshSchema();
      const customers = Array.from({ length: 12 }, (_, i) => `c${i}`);
      const batches = Array.from({ length: WRITERS }, (_, w) =>
        generateEvents({ seed: 3000 + w, count: EVENTS, customers, business: BUSINESS }),
      );
      await Promise.all(
        batches.map(async (events) => {
          const care = createCareWindow({
            store: createPostgresStore({ client: pool as pg.Pool, schema }),
            now,
            maxAttempts: 50,
            maxFutureSkewMs: Number.POSITIVE_INFINITY, // generated history: no CSW-3 future check
          });
          for (let i = 0; i < events.length; i += 50) await care.record(events.slice(i, i + 50));
        }),
      );
      const care = createCareWindow({
        store: createPostgresStore({ client: pool as pg.Pool, schema }),
        now,
      });
      for (const customer of customers) {
        const events = batches.flat().filter((e) => e.thread.customer === customer);
        expect(await care.state({ business: BUSINESS, customer })).toEqual(
          foldEvents(emptyState(), events),
        );
      }
    });
  });

  describe("a connection killed mid-write", () => {
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

    async function waitForBlockedPid(admin: pg.Client, needle: string): Promise<number> {
      for (let i = 0; i < 500; i++) {
        const { rows } = await admin.query(
          "SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE $1",
          [`%${needle}%`],
        );
        if (rows[0] !== undefined) return rows[0].pid as number;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error("the write never blocked");
    }

    it("thread write: typed StoreFailureError, no partial state, a retry after recovery succeeds", async () => {
      const schema = await freshSchema();
      const victimPool = new pg.Pool({ connectionString: server?.url, max: 2 });
      victimPool.on("error", () => {});
      const admin = await client();
      const locker = await client();
      try {
        const care = createCareWindow({
          store: createPostgresStore({ client: victimPool, schema }),
          now,
        });
        await care.record([first]);
        const store: CareWindowStore = createPostgresStore({ client: pool as pg.Pool, schema });
        const before = await store.readThread(key);

        await locker.query("BEGIN");
        await locker.query(`SELECT 1 FROM "${schema}".care_window_threads FOR UPDATE`);
        const pending = care.record([second]).then(
          () => undefined,
          (e: unknown) => e,
        );
        const pid = await waitForBlockedPid(admin, `UPDATE "${schema}"`);
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        const error = await pending;
        await locker.query("ROLLBACK");

        expect(error).toBeInstanceOf(StoreFailureError);
        expect(error).toMatchObject({ code: "store-failure", operation: "writeThread" });
        expect((error as Error).cause).toBeInstanceOf(Error);
        expect(await store.readThread(key)).toEqual(before);

        // The pool replaces the dead connection: the same service recovers.
        await care.record([second]);
        const after = await store.readThread(key);
        expect(after?.version).toBe((before?.version ?? 0) + 1);
        expect(after?.state).toEqual(
          JSON.parse(JSON.stringify(foldEvents(emptyState(), [first, second]))),
        );
      } finally {
        await Promise.all([admin.end(), locker.end(), victimPool.end()]);
      }
    });

    it("tier count (two tables, one statement): killed mid-statement leaves no delivery row", async () => {
      const schema = await freshSchema();
      const victimPool = new pg.Pool({ connectionString: server?.url, max: 2 });
      victimPool.on("error", () => {});
      const admin = await client();
      const locker = await client();
      const status: ThreadEvent = {
        kind: "status",
        id: "wamid.OUT.1",
        status: "delivered",
        pricing: { category: "service" },
        at: T,
        thread,
      };
      try {
        const care = createCareWindow({
          store: createPostgresStore({ client: victimPool, schema }),
          now,
        });
        await care.record([{ ...status, id: "wamid.OUT.0" }]);
        const store = createPostgresStore({ client: pool as pg.Pool, schema });
        expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);

        await locker.query("BEGIN");
        await locker.query(`SELECT 1 FROM "${schema}".care_window_service_counts FOR UPDATE`);
        const pending = care.record([status]).then(
          () => undefined,
          (e: unknown) => e,
        );
        const pid = await waitForBlockedPid(admin, "WITH up AS");
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        const error = await pending;
        await locker.query("ROLLBACK");

        expect(error).toMatchObject({ code: "store-failure", operation: "countDelivery" });
        const { rows } = await admin.query(
          `SELECT count(*)::int AS n FROM "${schema}".care_window_service_deliveries WHERE wamid = 'wamid.OUT.1'`,
        );
        expect(rows[0].n).toBe(0); // the delivery insert was rolled back with the counter update
        expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);

        const retry = await care.record([status]);
        expect(retry.deliveries).toBe(1);
        expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(2);
      } finally {
        await Promise.all([admin.end(), locker.end(), victimPool.end()]);
      }
    });

    it("OPEN-5: a move to an earlier month killed mid-statement leaves the wamid in its later month", async () => {
      const schema = await freshSchema();
      const victimPool = new pg.Pool({ connectionString: server?.url, max: 2 });
      victimPool.on("error", () => {});
      const admin = await client();
      const locker = await client();
      try {
        const victim = createPostgresStore({ client: victimPool, schema });
        const store = createPostgresStore({ client: pool as pg.Pool, schema });
        expect(await victim.countDelivery(BUSINESS, "2026-11", "wamid.MOVE")).toBe(true);

        await locker.query("BEGIN");
        await locker.query(`SELECT 1 FROM "${schema}".care_window_service_counts FOR UPDATE`);
        const pending = Promise.resolve(
          victim.countDelivery(BUSINESS, "2026-10", "wamid.MOVE"),
        ).then(
          () => undefined,
          (e: unknown) => e,
        );
        const pid = await waitForBlockedPid(admin, "WITH up AS");
        await admin.query("SELECT pg_terminate_backend($1)", [pid]);
        const error = await pending;
        await locker.query("ROLLBACK");

        expect(error).toBeInstanceOf(Error);
        const { rows } = await admin.query(
          `SELECT month FROM "${schema}".care_window_service_deliveries WHERE wamid = 'wamid.MOVE'`,
        );
        expect(rows).toEqual([{ month: "2026-11" }]); // the move was rolled back whole
        expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(1);
        expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(0);

        expect(await store.countDelivery(BUSINESS, "2026-10", "wamid.MOVE")).toBe(true);
        expect(await store.serviceCount(BUSINESS, "2026-11")).toBe(0);
        expect(await store.serviceCount(BUSINESS, "2026-10")).toBe(1);
      } finally {
        await Promise.all([admin.end(), locker.end(), victimPool.end()]);
      }
    });

    it("OPEN-5: racing counts and moves over 30 connections end with each wamid once, in its earliest month", async () => {
      const schema = await freshSchema();
      const store = createPostgresStore({ client: pool as pg.Pool, schema });
      const months = ["2026-12", "2026-11", "2026-10", "2026-09"];
      // Wamid w is reported in months[0..w % 4], four times each; its earliest is months[w % 4].
      const calls: [string, string][] = [];
      for (let w = 0; w < 25; w++) {
        for (let i = 0; i <= w % 4; i++) {
          for (let r = 0; r < 4; r++) calls.push([months[i] as string, `race.${w}`]);
        }
      }
      const rnd = seededRandom(5);
      for (let i = calls.length - 1; i > 0; i--) {
        const j = Math.floor(rnd() * (i + 1));
        [calls[i], calls[j]] = [calls[j] as [string, string], calls[i] as [string, string]];
      }
      await Promise.all(calls.map(([m, w]) => store.countDelivery(BUSINESS, m, w)));
      const counts: number[] = [];
      for (const m of months) counts.push(await store.serviceCount(BUSINESS, m));
      // w % 4 = 0, 1, 2, 3 for 7, 6, 6, 6 of the 25 wamids.
      expect(counts).toEqual([7, 6, 6, 6]);
    });
  });

  describe("idempotency: the same webhook twice", () => {
    const customers = Array.from({ length: 10 }, (_, i) => `55119${String(i).padStart(8, "0")}`);
    const body = mixedBody(T / 1000, customers);

    async function snapshot(schema: string) {
      const tables = ["threads", "service_deliveries", "service_counts", "templates"];
      const out: Record<string, unknown> = {};
      for (const t of tables) {
        const { rows } = await (pool as pg.Pool).query(
          `SELECT * FROM "${schema}".care_window_${t} ORDER BY 1, 2, 3`,
        );
        out[t] = rows;
      }
      return out;
    }

    it("sequentially: the second ingest changes nothing (rows and versions identical)", async () => {
      const schema = await freshSchema();
      const care = createCareWindow({
        store: createPostgresStore({ client: pool as pg.Pool, schema }),
        now,
      });
      const first = await care.ingest(body);
      expect(first.recorded).toMatchObject({
        threads: 10,
        changed: 10,
        deliveries: 10,
        templates: 1,
      });
      const before = await snapshot(schema);
      const second = await care.ingest(body);
      expect(second.recorded).toMatchObject({ changed: 0, deliveries: 0 });
      expect(await snapshot(schema)).toEqual(before);
    });

    it("concurrently (4 instances at once): the same rows as one ingest", async () => {
      const reference = await freshSchema();
      await createCareWindow({
        store: createPostgresStore({ client: pool as pg.Pool, schema: reference }),
        now,
      }).ingest(body);
      const schema = await freshSchema();
      const results = await Promise.all(
        Array.from({ length: 4 }, () =>
          createCareWindow({
            store: createPostgresStore({ client: pool as pg.Pool, schema }),
            now,
            maxAttempts: 20,
          }).ingest(body),
        ),
      );
      expect(results.reduce((n, r) => n + r.recorded.deliveries, 0)).toBe(10);
      expect(results.reduce((n, r) => n + r.recorded.changed, 0)).toBe(10);
      expect(await snapshot(schema)).toEqual(await snapshot(reference));
    });
  });
});
