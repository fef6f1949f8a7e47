/**
 * The part of the AWS SDK v3 DynamoDB client the adapter uses, as a structural type: no SDK
 * module is imported by care-window.
 *
 * @module
 */

/**
 * A DynamoDB attribute value in the low-level wire format (only the kinds the adapter writes).
 *
 * @example
 * ```ts
 * const version: AttributeValue = { N: "3" };
 * ```
 */
export type AttributeValue =
  | { readonly S: string }
  | { readonly N: string }
  | { readonly SS: string[] }
  | { readonly BOOL: boolean };

/**
 * One item in the low-level wire format.
 *
 * @example
 * ```ts
 * const key: DynamoItem = { pk: { S: "care-window#catalog" }, sk: { S: "order_update" } };
 * ```
 */
export type DynamoItem = Record<string, AttributeValue>;

/**
 * An item as the SDK returns it (it may carry attribute kinds beyond {@link AttributeValue}).
 *
 * @example
 * ```ts
 * const item: ReadItem = { pk: { S: "care-window#catalog" }, at: { N: "10" } };
 * ```
 */
export type ReadItem = Record<string, unknown>;

/**
 * The methods of the aggregated `DynamoDB` client of `@aws-sdk/client-dynamodb` (v3) that the
 * store calls. `new DynamoDB({})` satisfies it; so does any object with the same five methods
 * (a wrapper that counts calls, injects faults or adds tracing).
 *
 * @example
 * ```ts
 * import { DynamoDB } from "@aws-sdk/client-dynamodb";
 * const client: DynamoClient = new DynamoDB({ region: "eu-west-1" });
 * ```
 */
export interface DynamoClient {
  /** `GetItem`: one item by key (the adapter always asks for a strongly consistent read). */
  getItem(input: {
    TableName: string;
    Key: DynamoItem;
    ConsistentRead?: boolean;
  }): PromiseLike<{ Item?: ReadItem | undefined }>;
  /** `PutItem`: writes a whole item, with a `ConditionExpression` for compare-and-set. */
  putItem(input: {
    TableName: string;
    Item: DynamoItem;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: DynamoItem;
  }): PromiseLike<unknown>;
  /** `UpdateItem`: changes attributes of one item, usually with a `ConditionExpression`. */
  updateItem(input: {
    TableName: string;
    Key: DynamoItem;
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: DynamoItem;
  }): PromiseLike<unknown>;
  /** `BatchGetItem`: up to 100 items by key in one request (the decision read). */
  batchGetItem(input: {
    RequestItems: Record<string, { Keys: DynamoItem[]; ConsistentRead?: boolean }>;
  }): PromiseLike<{
    Responses?: Record<string, ReadItem[]> | undefined;
    UnprocessedKeys?: Record<string, { Keys?: ReadItem[] | undefined }> | undefined;
  }>;
  /** `Query`: the items of one partition, page by page (the template catalog). */
  query(input: {
    TableName: string;
    KeyConditionExpression: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: DynamoItem;
    ExclusiveStartKey?: DynamoItem;
    ConsistentRead?: boolean;
  }): PromiseLike<{ Items?: ReadItem[] | undefined; LastEvaluatedKey?: ReadItem | undefined }>;
}

/**
 * What {@link ensureTable} additionally needs: `createTable`, `describeTable` and (for the TTL
 * attribute) `updateTimeToLive`, as on the aggregated `DynamoDB` client.
 *
 * @example
 * ```ts
 * import { DynamoDB } from "@aws-sdk/client-dynamodb";
 * const admin: DynamoAdminClient = new DynamoDB({});
 * ```
 */
export interface DynamoAdminClient {
  /** `CreateTable`: creates the table (on-demand capacity). */
  createTable(input: {
    TableName: string;
    AttributeDefinitions: { AttributeName: string; AttributeType: "S" }[];
    KeySchema: { AttributeName: string; KeyType: "HASH" | "RANGE" }[];
    BillingMode: "PAY_PER_REQUEST";
  }): PromiseLike<unknown>;
  /** `DescribeTable`: polled until the table is `ACTIVE`. */
  describeTable(input: {
    TableName: string;
  }): PromiseLike<{ Table?: { TableStatus?: string | undefined } | undefined }>;
  /** `UpdateTimeToLive`: enables TTL on the tier items' attribute. */
  updateTimeToLive?(input: {
    TableName: string;
    TimeToLiveSpecification: { AttributeName: string; Enabled: boolean };
  }): PromiseLike<unknown>;
}
