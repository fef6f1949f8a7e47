/**
 * The one thing the Postgres adapter needs from a driver.
 *
 * @module
 */

/**
 * Anything with `query(text, params) → Promise<{ rows }>`: node-postgres `Pool` / `Client` /
 * `PoolClient`, PGlite, `@neondatabase/serverless` `Pool`, `@vercel/postgres` `db`, and most
 * serverless Postgres drivers. Parameters use `$1 … $n` placeholders. No driver is a dependency
 * of care-window.
 *
 * @example
 * ```ts
 * import pg from "pg";
 * const client: Queryable = new pg.Pool({ connectionString: process.env.DATABASE_URL });
 * ```
 */
export interface Queryable {
  /** Runs one parameterised SQL statement (`$1`, `$2`, …) and resolves with its rows. */
  query(text: string, params?: unknown[]): PromiseLike<{ readonly rows: readonly unknown[] }>;
}
