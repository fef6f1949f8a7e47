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
export const SCHEMA_VERSION = 1;

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
  PRIMARY KEY (business, month, wamid)
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
    `INSERT INTO ${t.meta} (key, value) VALUES ('schema_version', '${SCHEMA_VERSION}') ON CONFLICT (key) DO NOTHING`,
  ];
}

/**
 * The schema as plain SQL, for hosts who run their own migration tool. Idempotent
 * (`IF NOT EXISTS`). Five tables: threads (state JSON + version), service deliveries (one row per
 * counted `wamid`), service counts, templates, meta.
 *
 * @example
 * ```ts
 * import { schemaSql } from "care-window/postgres";
 * await fs.writeFile("migrations/001_care_window.sql", schemaSql({ schema: "app" }));
 * ```
 */
export function schemaSql(location: PostgresLocation = {}): string {
  return `${statements(location).join(";\n\n")};\n`;
}

/**
 * Creates the tables if they do not exist, in ONE statement (a `DO` block holding a transaction
 * advisory lock), so concurrent cold starts cannot race and a failure creates nothing.
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
  const lock = `  PERFORM pg_advisory_xact_lock(hashtext(${dollarQuote(tableNames(location).threads)}));`;
  await client.query(`DO $care_window$\nBEGIN\n${lock}\n${body}\nEND\n$care_window$`, []);
}

function dollarQuote(text: string): string {
  return `$cw_sql$${text}$cw_sql$`;
}
