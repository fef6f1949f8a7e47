/**
 * How Redis client errors map to the port: connection trouble and a busy or loading server are
 * {@link StoreRetryableError}s; anything else is thrown as is (the service wraps it in a
 * `StoreFailureError`).
 *
 * @module
 */
import { StoreRetryableError, type StoreRetryReason } from "../store/errors.js";

const UNAVAILABLE_NAMES: ReadonlySet<string> = new Set([
  // node-redis
  "ClientClosedError",
  "ClientOfflineError",
  "ConnectionTimeoutError",
  "SocketClosedUnexpectedlyError",
  "ReconnectStrategyError",
  "SocketTimeoutError",
  // ioredis
  "MaxRetriesPerRequestError",
]);
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EAI_AGAIN",
  "ENOTFOUND",
  "EHOSTUNREACH",
]);

/**
 * Why a Redis client error is retryable, or `undefined` when it is not.
 *
 * @example
 * ```ts
 * redisRetryReason(new Error("LOADING Redis is loading the dataset in memory")); //=> "unavailable"
 * redisRetryReason(new Error("BUSY Redis is busy running a script")); //=> "throttled"
 * redisRetryReason(new Error("WRONGTYPE Operation against a key holding the wrong kind of value")); //=> undefined
 * ```
 */
export function redisRetryReason(error: unknown): StoreRetryReason | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const e = error as { name?: unknown; code?: unknown; message?: unknown };
  const name = typeof e.name === "string" ? e.name : "";
  const code = typeof e.code === "string" ? e.code : "";
  const message = typeof e.message === "string" ? e.message : "";
  if (UNAVAILABLE_NAMES.has(name) || UNAVAILABLE_CODES.has(code)) return "unavailable";
  if (/^(LOADING|MASTERDOWN|READONLY|TRYAGAIN|CLUSTERDOWN)\b/.test(message)) return "unavailable";
  if (
    /^Connection is closed|^Stream isn.t writeable|^The client is (closed|offline)|^Socket closed unexpectedly/i.test(
      message,
    )
  ) {
    return "unavailable";
  }
  if (/^BUSY\b/.test(message)) return "throttled";
  return undefined;
}

/**
 * Rethrows `error` as a {@link StoreRetryableError} when it is retryable, unchanged otherwise.
 *
 * @example
 * ```ts
 * try { await run(script, keys, args); } catch (e) { rethrow("readThread", e); }
 * ```
 */
export function rethrow(operation: string, error: unknown): never {
  const reason = redisRetryReason(error);
  if (reason === undefined) throw error;
  throw new StoreRetryableError(operation, reason, error);
}
