/**
 * Issue 16: `ensureTable` against a recording client (dynalite has no `UpdateTimeToLive`, so the
 * TTL step is proved here): what it asks DynamoDB for, in which order, and which answers it
 * tolerates. The table's behaviour under load is proved on dynalite (dynalite.test.ts).
 */
import { describe, expect, it } from "vitest";
import { type DynamoAdminClient, ensureTable } from "../../src/dynamodb.js";
import { StoreFailureError } from "../../src/store/errors.js";

type Call = { readonly op: string; readonly input: unknown };

/** A client that answers `describeTable` with `statuses` in turn and records every call. */
function recording(
  statuses: readonly string[],
  faults: { createTable?: unknown; updateTimeToLive?: unknown } = {},
  withTtl = true,
): { client: DynamoAdminClient; calls: Call[] } {
  const calls: Call[] = [];
  let polls = 0;
  const client: DynamoAdminClient = {
    async createTable(input) {
      calls.push({ op: "createTable", input });
      if (faults.createTable !== undefined) throw faults.createTable;
      return {};
    },
    async describeTable(input) {
      calls.push({ op: "describeTable", input });
      const status = statuses[Math.min(polls++, statuses.length - 1)];
      return { Table: { TableStatus: status } };
    },
    ...(withTtl
      ? {
          async updateTimeToLive(input) {
            calls.push({ op: "updateTimeToLive", input });
            if (faults.updateTimeToLive !== undefined) throw faults.updateTimeToLive;
            return {};
          },
        }
      : {}),
  };
  return { client, calls };
}

const named = (name: string, message = name): Error => Object.assign(new Error(message), { name });

describe("ensureTable (issue 16)", () => {
  it("creates pk/sk on demand, waits for ACTIVE, then enables TTL on expiresAt", async () => {
    const { client, calls } = recording(["CREATING", "CREATING", "ACTIVE"]);
    await ensureTable(client, { tableName: "care-window", pollMs: 1 });
    expect(calls.map((c) => c.op)).toEqual([
      "createTable",
      "describeTable",
      "describeTable",
      "describeTable",
      "updateTimeToLive",
    ]);
    expect(calls[0]?.input).toMatchObject({
      TableName: "care-window",
      BillingMode: "PAY_PER_REQUEST",
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
    });
    expect(calls[4]?.input).toEqual({
      TableName: "care-window",
      TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
    });
  });

  it("uses the store's ttlAttribute, and leaves TTL alone when it is false", async () => {
    const own = recording(["ACTIVE"]);
    await ensureTable(own.client, { tableName: "care-window", ttlAttribute: "gone", pollMs: 1 });
    expect(own.calls.at(-1)?.input).toMatchObject({
      TimeToLiveSpecification: { AttributeName: "gone", Enabled: true },
    });
    const off = recording(["ACTIVE"]);
    await ensureTable(off.client, { tableName: "care-window", ttlAttribute: false, pollMs: 1 });
    expect(off.calls.map((c) => c.op)).not.toContain("updateTimeToLive");
  });

  it("a table another instance created, and TTL already enabled, are fine (idempotent)", async () => {
    const { client, calls } = recording(["ACTIVE"], {
      createTable: named("ResourceInUseException"),
      updateTimeToLive: named("ValidationException", "TimeToLive is already enabled"),
    });
    await expect(ensureTable(client, { tableName: "care-window", pollMs: 1 })).resolves.toBe(
      undefined,
    );
    expect(calls.map((c) => c.op)).toEqual(["createTable", "describeTable", "updateTimeToLive"]);
  });

  it("a client without updateTimeToLive (a narrow IAM role's wrapper) skips TTL", async () => {
    const { client, calls } = recording(["ACTIVE"], {}, false);
    await ensureTable(client, { tableName: "care-window", pollMs: 1 });
    expect(calls.map((c) => c.op)).toEqual(["createTable", "describeTable"]);
  });

  it("other failures propagate as they are; a table that never becomes ACTIVE is a typed error", async () => {
    const denied = named("AccessDeniedException");
    await expect(
      ensureTable(recording(["ACTIVE"], { createTable: denied }).client, {
        tableName: "care-window",
        pollMs: 1,
      }),
    ).rejects.toBe(denied);
    const ttlDenied = named("ValidationException", "TimeToLive is being updated");
    await expect(
      ensureTable(recording(["ACTIVE"], { updateTimeToLive: ttlDenied }).client, {
        tableName: "care-window",
        pollMs: 1,
      }),
    ).rejects.toBe(ttlDenied);
    const stuck = ensureTable(recording(["CREATING"]).client, {
      tableName: "care-window",
      pollMs: 1,
      maxPolls: 3,
    });
    await expect(stuck).rejects.toBeInstanceOf(StoreFailureError);
    await expect(stuck).rejects.toMatchObject({ operation: "ensureTable" });
  });

  it("refuses a table name DynamoDB would refuse, naming the field", async () => {
    const { client, calls } = recording(["ACTIVE"]);
    await expect(ensureTable(client, { tableName: "a b" })).rejects.toMatchObject({
      field: "options.tableName",
    });
    expect(calls).toEqual([]);
  });
});
