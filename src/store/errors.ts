/**
 * Typed errors of the storage layer: a conflict that outlived the retry budget, a store that
 * failed, and a stored state this version of the library cannot read.
 *
 * @module
 */
import { CareWindowError } from "../domain/errors.js";

/**
 * The compare-and-set retry loop ran out of attempts: other writers kept changing the same row.
 * Nothing was written by the failed call. Retrying the whole operation later is safe (folding is
 * idempotent).
 *
 * @example
 * ```ts
 * try { await care.record(events); }
 * catch (e) { if (e instanceof StoreConflictError) console.warn(e.attempts, e.field); }
 * ```
 */
export class StoreConflictError extends CareWindowError {
  /** How many read → merge → conditional-write rounds were tried. */
  readonly attempts: number;

  constructor(message: string, attempts: number, field?: string) {
    super("store-conflict", message, field === undefined ? {} : { field });
    this.name = "StoreConflictError";
    this.attempts = attempts;
  }
}

/**
 * A store call failed (connection dropped, timeout, SQL error, an adapter that threw). The
 * original error is in `cause`. Every write is one statement or one transaction, so a failed
 * write left nothing half-written; retrying after recovery is safe.
 *
 * @example
 * ```ts
 * try { await care.decide(thread, intent); }
 * catch (e) { if (e instanceof StoreFailureError) console.error(e.operation, e.cause); }
 * ```
 */
export class StoreFailureError extends CareWindowError {
  /** The port operation that failed, e.g. `writeThread`. */
  readonly operation: string;

  constructor(operation: string, cause: unknown) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    super("store-failure", `care-window store operation ${operation} failed: ${detail}`, {
      cause,
    });
    this.name = "StoreFailureError";
    this.operation = operation;
  }
}

/**
 * A stored thread state has a schema version (`v`) this release cannot migrate, or is not a
 * state at all. Raised on read; the row is left untouched.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof StoredStateError) console.error(e.version, e.field); }
 * ```
 */
export class StoredStateError extends CareWindowError {
  /** The `v` found in the store, when there was one. */
  readonly version: unknown;

  constructor(message: string, version: unknown, field = "state.v") {
    super("invalid-state", message, { field });
    this.name = "StoredStateError";
    this.version = version;
  }
}

/**
 * Why a {@link StoreRetryableError} is worth retrying:
 *
 * - `throttled`: the database refused for capacity (DynamoDB `ProvisionedThroughputExceededException`,
 *   `ThrottlingException`, `RequestLimitExceeded`; Redis `BUSY` / `OOM` / `LOADING`);
 * - `contention`: another transaction held the item (DynamoDB `TransactionConflictException`, a
 *   `TransactionCanceledException` that was not a failed condition);
 * - `unavailable`: the database or the connection was down (a 5xx, a refused or reset connection).
 *
 * @example
 * ```ts
 * const reason: StoreRetryReason = "throttled";
 * ```
 */
export type StoreRetryReason = "throttled" | "contention" | "unavailable";

/**
 * A store call failed for a reason that goes away by itself: throttling, a competing transaction,
 * a database or connection that was down. Nothing was half-written (every adapter write is one
 * conditional item write or one atomic script); retrying the whole operation later is safe and
 * folding makes it idempotent. A subclass of {@link StoreFailureError} (code `store-failure`), so
 * hosts that only check `StoreFailureError` keep working. Thrown by `care-window/dynamodb` and
 * `care-window/redis`; the service lets it through unchanged.
 *
 * @example
 * ```ts
 * try { await care.ingest(body); }
 * catch (e) {
 *   if (e instanceof StoreRetryableError) return new Response("busy", { status: 503, headers: { "retry-after": "1" } });
 *   throw e;
 * }
 * ```
 */
export class StoreRetryableError extends StoreFailureError {
  /** Always `true`: the failed call may be retried as is. */
  readonly retryable = true;
  /** Why the call failed. */
  readonly reason: StoreRetryReason;

  constructor(operation: string, reason: StoreRetryReason, cause: unknown) {
    super(operation, cause);
    this.name = "StoreRetryableError";
    this.reason = reason;
  }
}
