/**
 * `care-window/postgres`: the storage port over Postgres, for any client with
 * `query(text, params)` (node-postgres, PGlite, serverless drivers). No driver is imported.
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
 *
 * @module
 */
export type { Queryable } from "./postgres/queryable.js";
export {
  migrate,
  type PostgresLocation,
  SCHEMA_VERSION,
  schemaSql,
  type TableNames,
  tableNames,
} from "./postgres/schema.js";
export { createPostgresStore, type PostgresStoreOptions } from "./postgres/store.js";
