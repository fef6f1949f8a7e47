/**
 * `migrate` upgrades a care-window 0.1.0 database (schema 1) in place (OPEN-5: a wamid counts
 * once per business, in its first month), on PGlite. The real-server file repeats the upgrade.
 */
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPostgresStore, migrate, SCHEMA_VERSION, schemaSql } from "../../src/postgres.js";
import { expectUpgraded, schemaV1Sql, seedV1Sql } from "./fixtures/schema-v1.js";

let db: PGlite;
beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

describe("migrate: schema 1 (care-window 0.1.0) → 3", () => {
  it("SCHEMA_VERSION is 3", () => {
    expect(SCHEMA_VERSION).toBe(3);
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

  it("a fresh schema is created at version 3 with deliveries keyed on (business, wamid)", async () => {
    await migrate(db, { schema: "fresh", tablePrefix: "cw_" });
    const { rows } = await db.query<{ cols: string[] }>(
      `SELECT array_agg(a.attname::text ORDER BY a.attname::text) AS cols
         FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey)
        WHERE c.conrelid = '"fresh"."cw_service_deliveries"'::regclass AND c.contype = 'p'`,
    );
    expect(rows[0]?.cols).toEqual(["business", "wamid"]);
    const meta = await db.query(`SELECT value FROM "fresh".cw_meta`);
    expect(meta.rows).toEqual([{ value: "3" }]);
  });
});

/** Schema 2 (0.2.0 pre-releases): deliveries keyed on (business, wamid), no `moved_from`. */
function schemaV2Sql(schema: string): string {
  const v1 = schemaV1Sql(schema)
    .replace("PRIMARY KEY (business, month, wamid)", "PRIMARY KEY (business, wamid)")
    .replace("('schema_version', '1')", "('schema_version', '2')");
  return `${v1}
INSERT INTO "${schema}".care_window_service_deliveries (business, month, wamid) VALUES ('1065', '2026-11', 'wamid.R');
INSERT INTO "${schema}".care_window_service_counts (business, month, used) VALUES ('1065', '2026-11', 1);`;
}

describe("migrate: schema 2 → 3 (OPEN-5: a wamid moves to the earliest month reported)", () => {
  it("adds moved_from, keeps the rows, and a read-first wamid then moves to its delivered month", async () => {
    await db.exec(schemaV2Sql("up3"));
    await migrate(db, { schema: "up3" });
    await migrate(db, { schema: "up3" });
    const meta = await db.query(`SELECT value FROM "up3".care_window_meta`);
    expect(meta.rows).toEqual([{ value: "3" }]);
    const rows = await db.query(
      `SELECT business, month, wamid, moved_from FROM "up3".care_window_service_deliveries`,
    );
    expect(rows.rows).toEqual([
      { business: "1065", month: "2026-11", wamid: "wamid.R", moved_from: null },
    ]);
    const store = createPostgresStore({ client: db, schema: "up3" });
    // Counted in November from its read; the delivered status of Oct 31 arrives later.
    expect(await store.countDelivery("1065", "2026-10", "wamid.R")).toBe(true);
    expect(await store.serviceCount("1065", "2026-10")).toBe(1);
    expect(await store.serviceCount("1065", "2026-11")).toBe(0);
  });

  it("schemaSql, run as plain SQL, upgrades schema 2 the same way and can run again", async () => {
    await db.exec(schemaV2Sql("up4"));
    await db.exec(schemaSql({ schema: "up4" }));
    await db.exec(schemaSql({ schema: "up4" }));
    const meta = await db.query(`SELECT value FROM "up4".care_window_meta`);
    expect(meta.rows).toEqual([{ value: "3" }]);
    const cols = await db.query(
      `SELECT column_name FROM information_schema.columns WHERE table_schema = 'up4' AND table_name = 'care_window_service_deliveries' ORDER BY ordinal_position`,
    );
    expect(cols.rows.map((r) => (r as { column_name: string }).column_name)).toEqual([
      "business",
      "month",
      "wamid",
      "moved_from",
    ]);
  });
});
