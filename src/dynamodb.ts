/**
 * `care-window/dynamodb`: the storage port over DynamoDB, for the aggregated `DynamoDB` client
 * of `@aws-sdk/client-dynamodb` v3 (an optional peer dependency: nothing is imported from it).
 *
 * @example
 * ```ts
 * import { DynamoDB } from "@aws-sdk/client-dynamodb";
 * import { createCareWindow } from "care-window";
 * import { createDynamoStore } from "care-window/dynamodb";
 *
 * const care = createCareWindow({
 *   store: createDynamoStore({ client: new DynamoDB({}), tableName: "care-window" }),
 * });
 * ```
 *
 * @module
 */

export type {
  AttributeValue,
  DynamoAdminClient,
  DynamoClient,
  DynamoItem,
  ReadItem,
} from "./dynamodb/client.js";
export { retryReason } from "./dynamodb/errors.js";
export { createDynamoStore, type DynamoStoreOptions } from "./dynamodb/store.js";
export { cloudFormationTable, type EnsureTableOptions, ensureTable } from "./dynamodb/table.js";
export {
  StoreFailureError,
  StoreRetryableError,
  type StoreRetryReason,
} from "./store/errors.js";
