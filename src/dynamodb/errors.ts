/**
 * How DynamoDB errors map to the port: a failed condition is a value (a lost compare-and-set),
 * capacity and contention errors are {@link StoreRetryableError}s, anything else is thrown as is
 * (the service wraps it in a `StoreFailureError`).
 *
 * @module
 */
import { StoreRetryableError, type StoreRetryReason } from "../store/errors.js";

const THROTTLED: ReadonlySet<string> = new Set([
  "ProvisionedThroughputExceededException",
  "ThrottlingException",
  "RequestLimitExceeded",
]);
const CONTENTION: ReadonlySet<string> = new Set([
  "TransactionConflictException",
  "TransactionInProgressException",
]);
const UNAVAILABLE: ReadonlySet<string> = new Set([
  "InternalServerError",
  "InternalFailure",
  "ServiceUnavailable",
  "ServiceUnavailableException",
  "TimeoutError",
  "RequestTimeout",
  "RequestTimeoutException",
]);
const NETWORK: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
]);

const nameOf = (error: unknown): string => {
  if (typeof error !== "object" || error === null) return "";
  const e = error as { name?: unknown; __type?: unknown; code?: unknown };
  if (typeof e.name === "string" && e.name !== "Error") return e.name;
  if (typeof e.__type === "string") return e.__type.slice(e.__type.lastIndexOf("#") + 1);
  return typeof e.code === "string" ? e.code : "";
};

/**
 * Whether `error` is DynamoDB's answer to a failed `ConditionExpression`.
 *
 * @example
 * ```ts
 * isConditionFailure({ name: "ConditionalCheckFailedException" }); //=> true
 * ```
 */
export function isConditionFailure(error: unknown): boolean {
  return nameOf(error) === "ConditionalCheckFailedException";
}

/**
 * Why `error` is retryable, or `undefined` when it is not. A `TransactionCanceledException`
 * counts as contention unless every reason is a failed condition or `None`.
 *
 * @example
 * ```ts
 * retryReason({ name: "ThrottlingException" }); //=> "throttled"
 * retryReason({ name: "ValidationException" }); //=> undefined
 * ```
 */
export function retryReason(error: unknown): StoreRetryReason | undefined {
  const name = nameOf(error);
  if (THROTTLED.has(name)) return "throttled";
  if (CONTENTION.has(name)) return "contention";
  if (name === "TransactionCanceledException") {
    const reasons = (error as { CancellationReasons?: { Code?: unknown }[] }).CancellationReasons;
    const codes = Array.isArray(reasons) ? reasons.map((r) => String(r?.Code ?? "None")) : [];
    if (codes.some((c) => c === "ThrottlingError" || c === "ProvisionedThroughputExceeded")) {
      return "throttled";
    }
    return codes.every((c) => c === "None" || c === "ConditionalCheckFailed") && codes.length > 0
      ? undefined
      : "contention";
  }
  if (UNAVAILABLE.has(name) || NETWORK.has(name)) return "unavailable";
  const status = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata
    ?.httpStatusCode;
  if (typeof status === "number" && status >= 500) return "unavailable";
  return undefined;
}

/**
 * Rethrows `error` as a {@link StoreRetryableError} when it is retryable, unchanged otherwise.
 *
 * @example
 * ```ts
 * try { await client.getItem(input); } catch (e) { rethrow("readThread", e); }
 * ```
 */
export function rethrow(operation: string, error: unknown): never {
  const reason = retryReason(error);
  if (reason === undefined) throw error;
  throw new StoreRetryableError(operation, reason, error);
}
