/**
 * `createPostgresStore`: the care-window storage port over any Postgres client. Every method is a
 * single SQL statement, so a dropped connection can never leave half a write behind.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { TemplateCategory } from "../domain/types.js";
import { assertMonth } from "../store/options.js";
import type {
  CareWindowStore,
  DecisionQuery,
  DecisionRead,
  StoredState,
  TemplateEntry,
  ThreadKey,
  ThreadRecord,
  VersionedThread,
} from "../store/port.js";
import type { Queryable } from "./queryable.js";
import { type PostgresLocation, tableNames } from "./schema.js";

/**
 * Options of {@link createPostgresStore}.
 *
 * @example
 * ```ts
 * const options: PostgresStoreOptions = { client: pool, schema: "app", tablePrefix: "cw_" };
 * ```
 */
export interface PostgresStoreOptions extends PostgresLocation {
  /** A node-postgres `Pool`/`Client`, PGlite, or any {@link Queryable}. */
  readonly client: Queryable;
}

type Row = Record<string, unknown>;

const toNumber = (value: unknown): number =>
  value === null || value === undefined ? 0 : Number(value);

function parseJson(value: unknown): StoredState {
  // node-postgres and PGlite parse jsonb; some HTTP drivers return text.
  return (typeof value === "string" ? JSON.parse(value) : value) as StoredState;
}

function toThread(row: Row): VersionedThread {
  const state = parseJson(row["state"]);
  const version = toNumber(row["version"]);
  const redirect = row["redirect"];
  return typeof redirect === "string" ? { state, version, redirect } : { state, version };
}

/**
 * Creates a store over Postgres (run {@link migrate} or {@link schemaSql} first).
 *
 * - Threads: `INSERT … ON CONFLICT DO NOTHING` for version 0, else
 *   `UPDATE … WHERE version = $expected`, both `RETURNING` so a lost race is seen.
 * - Service tier: one statement inserts the `wamid` and its month into a table whose primary key
 *   is (business, wamid), or lowers the stored month when the call's month is earlier; only then
 *   it bumps the new month's counter and, for a move, takes one off the month left (OPEN-5: a
 *   `wamid` counts once, in the earliest month any call reported).
 * - `readForDecision`: one `SELECT` returning state, version, the month's count and the template.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { createCareWindow } from "care-window";
 * import { createPostgresStore, migrate } from "care-window/postgres";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * const care = createCareWindow({ store: createPostgresStore({ client: pool }) });
 * ```
 */
export function createPostgresStore(options: PostgresStoreOptions): CareWindowStore {
  const { client } = options;
  if (typeof client !== "object" || client === null || typeof client.query !== "function") {
    throw new InvalidInputError(
      "invalid-argument",
      "options.client must have a query(text, params) method",
      "options.client",
    );
  }
  const t = tableNames(options);
  const run = async (text: string, params: unknown[]): Promise<readonly Row[]> =>
    (await client.query(text, params)).rows as readonly Row[];

  const sql = {
    read: `SELECT state, redirect, version FROM ${t.threads} WHERE channel = $1 AND business = $2 AND customer = $3`,
    insert: `INSERT INTO ${t.threads} (channel, business, customer, state, redirect, version) VALUES ($1, $2, $3, $4::jsonb, $5, 1) ON CONFLICT DO NOTHING RETURNING version`,
    update: `UPDATE ${t.threads} SET state = $4::jsonb, redirect = $5, version = version + 1 WHERE channel = $1 AND business = $2 AND customer = $3 AND version = $6 RETURNING version`,
    decision: `SELECT th.state, th.redirect, th.version, c.used, p.category, p.at FROM (VALUES (1)) AS one (x) LEFT JOIN ${t.threads} th ON th.channel = $1 AND th.business = $2 AND th.customer = $3 LEFT JOIN ${t.counts} c ON c.business = $2 AND c.month = $4 LEFT JOIN ${t.templates} p ON p.name = $5::text`,
    // OPEN-5, PRICE-5: insert the wamid, or lower its month (the conflicting row is locked, so
    // `d.month` is its latest month); a row comes back only when this call inserted it
    // (`moved_from` null) or moved it (`moved_from` = the month it left). Then one count down
    // for the month left, one up for the new month — all in this one statement. Both counter
    // writes are upserts: ON CONFLICT finds a counter row that a concurrent transaction committed
    // after this statement's snapshot, where a plain UPDATE would not see it.
    count: `WITH up AS (INSERT INTO ${t.deliveries} AS d (business, month, wamid) VALUES ($1, $2, $3) ON CONFLICT (business, wamid) DO UPDATE SET moved_from = d.month, month = excluded.month WHERE excluded.month COLLATE "C" < d.month COLLATE "C" RETURNING d.moved_from), down AS (INSERT INTO ${t.counts} AS c (business, month, used) SELECT $1::text, up.moved_from, 0 FROM up WHERE up.moved_from IS NOT NULL ON CONFLICT (business, month) DO UPDATE SET used = c.used - 1 RETURNING used) INSERT INTO ${t.counts} AS c (business, month, used) SELECT $1::text, $2::text, 1 FROM up ON CONFLICT (business, month) DO UPDATE SET used = c.used + 1 RETURNING used`,
    used: `SELECT used FROM ${t.counts} WHERE business = $1 AND month = $2`,
    putTemplate: `INSERT INTO ${t.templates} AS p (name, category, at) VALUES ($1, $2, $3) ON CONFLICT (name) DO UPDATE SET category = excluded.category, at = excluded.at WHERE excluded.at > p.at OR (excluded.at = p.at AND excluded.category COLLATE "C" > p.category COLLATE "C")`,
    catalog: `SELECT name, category, at FROM ${t.templates}`,
  };

  return {
    async readThread(key: ThreadKey) {
      const rows = await run(sql.read, [key.channel, key.business, key.customer]);
      const row = rows[0];
      return row === undefined ? undefined : toThread(row);
    },

    async writeThread(key: ThreadKey, record: ThreadRecord, expectedVersion: number) {
      const state = JSON.stringify(record.state);
      const redirect = record.redirect ?? null;
      const params = [key.channel, key.business, key.customer, state, redirect];
      const rows =
        expectedVersion === 0
          ? await run(sql.insert, params)
          : await run(sql.update, [...params, expectedVersion]);
      return rows.length === 1;
    },

    async readForDecision(key: ThreadKey, query: DecisionQuery): Promise<DecisionRead> {
      assertMonth(query.month, "query.month");
      const rows = await run(sql.decision, [
        key.channel,
        key.business,
        key.customer,
        query.month,
        query.template ?? null,
      ]);
      const row = rows[0] ?? {};
      const category = row["category"];
      return {
        thread: row["version"] === null || row["version"] === undefined ? undefined : toThread(row),
        serviceCount: toNumber(row["used"]),
        template:
          typeof category === "string" && query.template !== undefined
            ? {
                name: query.template,
                category: category as TemplateCategory,
                at: toNumber(row["at"]),
              }
            : undefined,
      };
    },

    async countDelivery(business: string, month: string, wamid: string) {
      assertMonth(month, "month");
      const rows = await run(sql.count, [business, month, wamid]);
      return rows.length === 1;
    },

    async serviceCount(business: string, month: string) {
      assertMonth(month, "month");
      const rows = await run(sql.used, [business, month]);
      return toNumber(rows[0]?.["used"]);
    },

    async putTemplate(entry: TemplateEntry) {
      await run(sql.putTemplate, [entry.name, entry.category, entry.at]);
    },

    async readCatalog() {
      const rows = await run(sql.catalog, []);
      return rows.map((row) => ({
        name: String(row["name"]),
        category: row["category"] as TemplateCategory,
        at: toNumber(row["at"]),
      }));
    },
  };
}
