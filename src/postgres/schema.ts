/**
 * The Postgres schema of the care-window adapter, as plain SQL, and `migrate`.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Queryable } from "./queryable.js";

/**
 * Where the adapter's tables live.
 *
 * @example
 * ```ts
 * const location: PostgresLocation = { schema: "app", tablePrefix: "cw_" };
 * ```
 */
export interface PostgresLocation {
  /** Schema of the tables. Default: none (the connection's `search_path`, usually `public`). */
  readonly schema?: string;
  /** Prefix of every table name. Default `"care_window_"`. */
  readonly tablePrefix?: string;
}

/**
 * Version of the SQL schema written by {@link migrate} into the `meta` table.
 *
 * @example
 * ```ts
 * const { rows } = await pool.query("SELECT value FROM care_window_meta WHERE key = 'schema_version'");
 * rows[0].value === String(SCHEMA_VERSION); //=> true
 * ```
 */
export const SCHEMA_VERSION = 3;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]{0,39}$/;

/**
 * Fully qualified, quoted table names, as returned by {@link tableNames}.
 *
 * @example
 * ```ts
 * const names: TableNames = tableNames({ tablePrefix: "cw_" });
 * names.counts; //=> '"cw_service_counts"'
 * ```
 */
export interface TableNames {
  readonly threads: string;
  readonly deliveries: string;
  readonly counts: string;
  readonly templates: string;
  readonly meta: string;
  readonly schema: string | undefined;
}

/**
 * Validates the location and returns quoted table names. Identifiers must match
 * `[A-Za-z_][A-Za-z0-9_]*` (they are interpolated into SQL).
 *
 * @example
 * ```ts
 * tableNames({ schema: "app" }).threads; //=> '"app"."care_window_threads"'
 * ```
 */
export function tableNames(location: PostgresLocation = {}): TableNames {
  const { schema, tablePrefix = "care_window_" } = location;
  if (schema !== undefined && !IDENTIFIER.test(schema)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.schema must match [A-Za-z_][A-Za-z0-9_]* (at most 40 characters)",
      "options.schema",
    );
  }
  if (tablePrefix !== "" && !IDENTIFIER.test(tablePrefix)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.tablePrefix must match [A-Za-z_][A-Za-z0-9_]* (at most 40 characters)",
      "options.tablePrefix",
    );
  }
  const q = (name: string): string =>
    schema === undefined ? `"${tablePrefix}${name}"` : `"${schema}"."${tablePrefix}${name}"`;
  return {
    threads: q("threads"),
    deliveries: q("service_deliveries"),
    counts: q("service_counts"),
    templates: q("templates"),
    meta: q("meta"),
    schema: schema === undefined ? undefined : `"${schema}"`,
  };
}

function statements(location: PostgresLocation): string[] {
  const t = tableNames(location);
  return [
    ...(t.schema === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${t.schema}`]),
    `CREATE TABLE IF NOT EXISTS ${t.threads} (
  channel   text   NOT NULL,
  business  text   NOT NULL,
  customer  text   NOT NULL,
  state     jsonb  NOT NULL,
  redirect  text,
  version   bigint NOT NULL CHECK (version > 0),
  PRIMARY KEY (channel, business, customer)
)`,
    `CREATE TABLE IF NOT EXISTS ${t.deliveries} (
  business  text NOT NULL,
  month     text NOT NULL,
  wamid     text NOT NULL,
  moved_from text,
  PRIMARY KEY (business, wamid)
)`,
    `CREATE TABLE IF NOT EXISTS ${t.counts} (
  business  text    NOT NULL,
  month     text    NOT NULL,
  used      integer NOT NULL,
  PRIMARY KEY (business, month)
)`,
    `CREATE TABLE IF NOT EXISTS ${t.templates} (
  name      text   PRIMARY KEY,
  category  text   NOT NULL,
  at        bigint NOT NULL
)`,
    `CREATE TABLE IF NOT EXISTS ${t.meta} (
  key       text PRIMARY KEY,
  value     text NOT NULL
)`,
    upgradeDeliveries(t),
    // Schema 2 → 3 (OPEN-5): the month a wamid moved from, so one statement can move its count.
    addMovedFrom(t),
    `INSERT INTO ${t.meta} AS m (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT (key) DO UPDATE SET value = excluded.value WHERE m.value IN ('1', '2')`,
  ];
}

/**
 * Schema 2 → 3 (OPEN-5): adds `moved_from` only when it is missing. `ALTER TABLE … ADD COLUMN IF
 * NOT EXISTS` would take an ACCESS EXCLUSIVE lock on the deliveries table on every run, even on
 * an up-to-date database, and stall live `countDelivery` calls behind a long transaction; the
 * catalog lookup takes no table lock.
 */
function addMovedFrom(t: TableNames): string {
  return `DO $cw_moved$
BEGIN
  IF NOT EXISTS (
    SELECT 1 FROM pg_attribute
     WHERE attrelid = '${t.deliveries}'::regclass AND attname = 'moved_from' AND NOT attisdropped
  ) THEN
    ALTER TABLE ${t.deliveries} ADD COLUMN moved_from text;
  END IF;
END
$cw_moved$`;
}

/**
 * Schema 1 → 2 (OPEN-5): a `wamid` counts once per business, whatever the month. Schema 1 keyed
 * deliveries on (business, month, wamid), so a message delivered on the last second of a month
 * and read on the first second of the next counted twice. The upgrade keeps each `wamid`'s
 * earliest month, takes the later duplicates off their months' counts, and re-keys the table on
 * (business, wamid). It does nothing on a schema-2 table, so it is safe to run again.
 */
function upgradeDeliveries(t: TableNames): string {
  const literal = `'${t.deliveries}'`;
  return `DO $cw_upgrade$
DECLARE
  pk_name text;
  pk_cols text[];
BEGIN
  SELECT c.conname, array_agg(a.attname::text ORDER BY a.attname::text)
    INTO pk_name, pk_cols
    FROM pg_constraint c
    JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
   WHERE c.conrelid = ${literal}::regclass AND c.contype = 'p'
   GROUP BY c.conname;
  IF pk_cols = ARRAY['business', 'month', 'wamid'] THEN
    WITH dropped AS (
      DELETE FROM ${t.deliveries} AS d USING ${t.deliveries} AS e
       WHERE d.business = e.business AND d.wamid = e.wamid AND d.month > e.month
       RETURNING d.business, d.month, d.wamid
    ), per_month AS (
      SELECT business, month, count(DISTINCT wamid)::int AS n FROM dropped GROUP BY business, month
    )
    UPDATE ${t.counts} AS c SET used = greatest(c.used - p.n, 0)
      FROM per_month AS p
     WHERE c.business = p.business AND c.month = p.month;
    EXECUTE format('ALTER TABLE %s DROP CONSTRAINT %I, ADD PRIMARY KEY (business, wamid)', ${literal}, pk_name);
  END IF;
END
$cw_upgrade$`;
}

/**
 * The schema as plain SQL, for hosts who run their own migration tool. Idempotent
 * (`IF NOT EXISTS`, and an upgrade block that does nothing on an up-to-date table). Five tables:
 * threads (state JSON + version), service deliveries (one row per counted `wamid`, with the month
 * it counts in and the month it last moved from), service counts, templates, meta. Run it again
 * after upgrading care-window: it upgrades a schema-1 or schema-2 database to schema
 * {@link SCHEMA_VERSION} in place.
 *
 * @example
 * ```ts
 * import { schemaSql } from "care-window/postgres";
 * await fs.writeFile("migrations/002_care_window.sql", schemaSql({ schema: "app" }));
 * ```
 */
export function schemaSql(location: PostgresLocation = {}): string {
  return `${statements(location).join(";\n\n")};\n`;
}

/**
 * Creates the tables if they do not exist and upgrades older care-window schemas, in ONE
 * statement: a `DO` block that first takes a transaction advisory lock keyed on the schema name,
 * so concurrent cold starts cannot race (also when different table prefixes share a new schema),
 * and a failure creates nothing. Idempotent.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * import { migrate } from "care-window/postgres";
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * await migrate(pool);
 * ```
 */
export async function migrate(client: Queryable, location: PostgresLocation = {}): Promise<void> {
  const body = statements(location)
    .map((s) => `  EXECUTE ${dollarQuote(s)};`)
    .join("\n");
  // Keyed on the schema, not the tables: CREATE SCHEMA IF NOT EXISTS itself races when two
  // prefixes create the same new schema at once. (Two-key form: care-window's own key space.)
  const schema = location.schema ?? "";
  const lock = `  PERFORM pg_advisory_xact_lock(hashtext('care-window'), hashtext(${dollarQuote(schema)}));`;
  await client.query(`DO $care_window$\nBEGIN\n${lock}\n${body}\nEND\n$care_window$`, []);
}

function dollarQuote(text: string): string {
  return `$cw_sql$${text}$cw_sql$`;
}
