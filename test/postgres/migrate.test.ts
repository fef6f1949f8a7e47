/**
 * `migrate` upgrades a care-window 0.1.0 database (schema 1) in place (OPEN-5: a wamid counts
 * once per business, in its first month), on PGlite. The real-server file repeats the upgrade.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, SCHEMA_VERSION, schemaSql } from "../../src/postgres.js";
import { expectUpgraded, schemaV1Sql, seedV1Sql } from "./fixtures/schema-v1.js";

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describe("migrate: schema 1 (care-window 0.1.0) → 2", () => {
  it("SCHEMA_VERSION is 2", () => {
    expect(SCHEMA_VERSION).toBe(2);
  });

  it("OPEN-5: migrate keeps each wamid's first month, uncounts the duplicates, re-keys the table; idempotent", async () => {
    await db.exec(schemaV1Sql("up1"));
    await db.exec(seedV1Sql("up1"));
    await migrate(db, { schema: "up1" });
    await expectUpgraded(db, "up1");
    const before = await db.query(`SELECT * FROM "up1".care_window_service_counts ORDER BY 1, 2`);
    await migrate(db, { schema: "up1" });
    await Promise.all([migrate(db, { schema: "up1" }), migrate(db, { schema: "up1" })]);
    expect(
      (await db.query(`SELECT * FROM "up1".care_window_service_counts ORDER BY 1, 2`)).rows,
    ).toEqual(before.rows);
  });

  it("OPEN-5: schemaSql, run as plain SQL, upgrades the same way and can run again", async () => {
    await db.exec(schemaV1Sql("up2"));
    await db.exec(seedV1Sql("up2"));
    await db.exec(schemaSql({ schema: "up2" }));
    await db.exec(schemaSql({ schema: "up2" }));
    await expectUpgraded(db, "up2");
  });

  it("a fresh schema is created at version 2 with deliveries keyed on (business, wamid)", async () => {
    await migrate(db, { schema: "fresh", tablePrefix: "cw_" });
    const { rows } = await db.query<{ cols: string[] }>(
      `SELECT array_agg(a.attname::text ORDER BY a.attname::text) AS cols
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = '"fresh"."cw_service_deliveries"'::regclass AND c.contype = 'p'`,
    );
    expect(rows[0]?.cols).toEqual(["business", "wamid"]);
    const meta = await db.query(`SELECT value FROM "fresh".cw_meta`);
    expect(meta.rows).toEqual([{ value: "2" }]);
  });
});
