import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, it } from "vitest";
import { createPostgresStore, migrate } from "../../src/postgres.js";
import { runStoreContract } from "../../src/testing.js";

let db: PGlite;
let n = 0;

beforeAll(async () => {
  db = await PGlite.create();
});
afterAll(async () => {
  await db.close();
});

runStoreContract({
  name: "postgres on PGlite",
  async create() {
    const schema = `contract_${++n}`;
    await migrate(db, { schema });
    return Object.assign(createPostgresStore({ client: db, schema }), { schema });
  },
  async cleanup(store) {
    await db.query(`DROP SCHEMA "${store.schema}" CASCADE`);
  },
  describe,
  it,
  eventsPerWriter: 25,
});
