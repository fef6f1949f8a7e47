/**
 * The DynamoDB table of the care-window adapter: {@link ensureTable} and the same definition as
 * CloudFormation.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { StoreFailureError } from "../store/errors.js";
import type { DynamoAdminClient } from "./client.js";
import { isConditionFailure } from "./errors.js";

/**
 * Options of {@link ensureTable}.
 *
 * @example
 * ```ts
 * const options: EnsureTableOptions = { tableName: "care-window", ttlAttribute: "expiresAt" };
 * ```
 */
export interface EnsureTableOptions {
  readonly tableName: string;
  /** TTL attribute to enable (must match the store's `ttlAttribute`). `false`: leave TTL off. Default `"expiresAt"`. */
  readonly ttlAttribute?: string | false;
  /** Polls of `describeTable` (every `pollMs`) while a new table is `CREATING`. Default 60. */
  readonly maxPolls?: number;
  /** Default 1000 ms. */
  readonly pollMs?: number;
}

/**
 * Creates the adapter's table if it does not exist — on-demand billing, partition key `pk` (S),
 * sort key `sk` (S) — waits until it is `ACTIVE`, then enables TTL on `ttlAttribute`. Idempotent
 * and safe when several instances run it at once (a `ResourceInUseException` means another one
 * created it). Needs `dynamodb:CreateTable`, `DescribeTable` and `UpdateTimeToLive`: run it from
 * a deploy step, not from the Lambda that serves webhooks.
 *
 * @example
 * ```ts
 * import { DynamoDB } from "@aws-sdk/client-dynamodb";
 * import { ensureTable } from "care-window/dynamodb";
 *
 * await ensureTable(new DynamoDB({}), { tableName: "care-window" });
 * ```
 */
export async function ensureTable(
  client: DynamoAdminClient,
  options: EnsureTableOptions,
): Promise<void> {
  const { tableName } = options;
  if (typeof tableName !== "string" || !/^[A-Za-z0-9_.-]{3,255}$/.test(tableName)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.tableName must be a DynamoDB table name (3–255 of A-Z a-z 0-9 _ . -)",
      "options.tableName",
    );
  }
  const ttl = options.ttlAttribute ?? "expiresAt";
  const pollMs = options.pollMs ?? 1000;
  try {
    await client.createTable({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      BillingMode: "PAY_PER_REQUEST",
    });
  } catch (error) {
    const name = (error as { name?: unknown } | null)?.name;
    if (name !== "ResourceInUseException" && !isConditionFailure(error)) throw error;
  }
  for (let poll = 0; ; poll++) {
    const status = (await client.describeTable({ TableName: tableName })).Table?.TableStatus;
    if (status === "ACTIVE") break;
    if (poll >= (options.maxPolls ?? 60)) {
      // Typed like every other store failure (the table may still become ACTIVE: retry later).
      throw new StoreFailureError(
        "ensureTable",
        new Error(`table ${tableName} is still ${String(status)} after ${poll} polls`),
      );
    }
    await new Promise<void>((resolve) => {
      (globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown }).setTimeout(
        resolve,
        pollMs,
      );
    });
  }
  if (ttl !== false && client.updateTimeToLive !== undefined) {
    try {
      await client.updateTimeToLive({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: ttl, Enabled: true },
      });
    } catch (error) {
      // Already enabled on this attribute: DynamoDB answers with a ValidationException.
      const message = error instanceof Error ? error.message : "";
      if (!/already enabled/i.test(message)) throw error;
    }
  }
}

/**
 * The table as a CloudFormation (or SAM / CDK `CfnTable`) resource, for hosts who manage tables
 * as code. Same definition as {@link ensureTable}.
 *
 * @example
 * ```ts
 * import { cloudFormationTable } from "care-window/dynamodb";
 * const resources = { CareWindowTable: cloudFormationTable("care-window") };
 * ```
 */
export function cloudFormationTable(tableName: string, ttlAttribute: string | false = "expiresAt") {
  return {
    Type: "AWS::DynamoDB::Table",
    Properties: {
      TableName: tableName,
      BillingMode: "PAY_PER_REQUEST",
      AttributeDefinitions: [
        { AttributeName: "pk", AttributeType: "S" },
        { AttributeName: "sk", AttributeType: "S" },
      ],
      KeySchema: [
        { AttributeName: "pk", KeyType: "HASH" },
        { AttributeName: "sk", KeyType: "RANGE" },
      ],
      ...(ttlAttribute === false
        ? {}
        : { TimeToLiveSpecification: { AttributeName: ttlAttribute, Enabled: true } }),
    },
  } as const;
}
