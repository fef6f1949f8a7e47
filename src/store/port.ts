/**
 * The storage port: the small interface a host implements in its own database so care-window's
 * state survives restarts and is shared by every instance writing at once.
 *
 * Three kinds of rows, all plain JSON or scalars:
 *
 * 1. **Threads** — one row per (channel, business, customer): the folded {@link ThreadState} as
 *    JSON, an optional alias `redirect`, and an integer `version` that grows by exactly 1 on each
 *    successful write. Writes are compare-and-set on that version.
 * 2. **Service-tier counters** — per business number and calendar month, the number of distinct
 *    delivered service messages (PRICE-5), deduplicated per `wamid` across months: each `wamid`
 *    counts once, in the earliest month any call reported for it (OPEN-5).
 * 3. **The template catalog** — template name → latest category (TPL-7).
 *
 * Adapters hold **no policy**: they never fold, merge or decide. The retry loop, the fold and
 * every rule live in the library ({@link casLoop}, `createCareWindow`). An adapter is done when
 * `runStoreContract` from `care-window/testing` passes on it.
 *
 * @module
 */
import type { Channel, Instant, TemplateCategory } from "../domain/types.js";

/**
 * A value or a promise of it: adapters may answer synchronously (memory) or asynchronously.
 *
 * @example
 * ```ts
 * const read = (): MaybePromise<number> => 0;
 * ```
 */
export type MaybePromise<T> = T | PromiseLike<T>;

/**
 * The primary key of a thread row. The service always passes `channel` (default `"whatsapp"`).
 *
 * @example
 * ```ts
 * const key: ThreadKey = { channel: "whatsapp", business: "106540352242922", customer: "5511987654321" };
 * ```
 */
export interface ThreadKey {
  readonly channel: Channel;
  readonly business: string;
  readonly customer: string;
}

/**
 * A thread state as stored: a JSON object with a numeric schema version `v`. The library
 * migrates it on read (`migrateState`); adapters store and return it verbatim.
 *
 * @example
 * ```ts
 * const stored: StoredState = { v: 1, inbound: { message: 1_795_683_600_000 }, outbound: [], consent: {} };
 * ```
 */
export interface StoredState {
  /** Schema version of the state (1 today). Every other member is opaque to adapters. */
  readonly v: number;
}

/**
 * What is written to a thread row.
 *
 * @example
 * ```ts
 * const record: ThreadRecord = { state: { v: 1, inbound: {}, outbound: [], consent: {} } };
 * ```
 */
export interface ThreadRecord {
  /** The folded state, plain JSON. */
  readonly state: StoredState;
  /**
   * Set when this customer id has been linked to another id of the same person (ID-6) and that
   * other id (same channel and business) is now where the thread lives. The row's `state` is then
   * frozen: the library writes only to rows without `redirect`.
   */
  readonly redirect?: string;
}

/**
 * A thread row as read, with its version (an integer ≥ 1; an absent row has version 0).
 *
 * @example
 * ```ts
 * const row: VersionedThread = { state: { v: 1, inbound: {}, outbound: [], consent: {} }, version: 3 };
 * ```
 */
export interface VersionedThread extends ThreadRecord {
  readonly version: number;
}

/**
 * One entry of the template catalog (TPL-7): a template's latest known category and the
 * provider instant it became so.
 *
 * @example
 * ```ts
 * const entry: TemplateEntry = { name: "order_update", category: "marketing", at: 1_795_683_600_000 };
 * ```
 */
export interface TemplateEntry {
  readonly name: string;
  readonly category: TemplateCategory;
  readonly at: Instant;
}

/**
 * What {@link CareWindowStore.readForDecision} asks for besides the thread.
 *
 * @example
 * ```ts
 * const q: DecisionQuery = { month: "2026-11", template: "order_update" };
 * ```
 */
export interface DecisionQuery {
  /**
   * Calendar month of the service-tier counter, `YYYY-MM` (PRICE-5, OPEN-6). Adapters refuse
   * any other shape with an `InvalidInputError` naming `query.month` (`runStoreContract` checks).
   */
  readonly month: string;
  /** A template name to look up in the catalog, if the intent names one. */
  readonly template?: string;
}

/**
 * The answer to {@link CareWindowStore.readForDecision}: everything `decide` needs, read in one
 * round trip.
 *
 * @example
 * ```ts
 * const read: DecisionRead = { thread: undefined, serviceCount: 0, template: undefined };
 * ```
 */
export interface DecisionRead {
  /** The thread row exactly as {@link CareWindowStore.readThread} would return it. */
  readonly thread: VersionedThread | undefined;
  /** Distinct delivered service messages of `key.business` in `query.month` (0 when none). */
  readonly serviceCount: number;
  /** The catalog entry of `query.template`, when asked for and known. */
  readonly template: TemplateEntry | undefined;
}

/**
 * The storage port. Implement it over your database (or use `createMemoryStore()` or
 * `createPostgresStore()` from `care-window/postgres`), then run `runStoreContract` from
 * `care-window/testing` against it.
 *
 * Requirements, each checked by the contract suite:
 *
 * - **Compare-and-set**: {@link CareWindowStore.writeThread} writes only if the row's version is
 *   still `expectedVersion` (0 = the row must not exist), sets it to `expectedVersion + 1`, and
 *   reports whether it wrote. Two writers with the same `expectedVersion` never both succeed.
 * - **Atomic**: every method is one statement or one transaction; a failure leaves the previous
 *   row intact. Failures are thrown (the library wraps them in `StoreFailureError`).
 * - **Verbatim JSON**: states round-trip through JSON unchanged (key order may differ), and
 *   callers cannot mutate stored data through returned or passed objects.
 * - **Idempotent, order-insensitive counting**: {@link CareWindowStore.countDelivery} counts a
 *   `wamid` exactly once per business, in the EARLIEST month any call passed for it, whatever
 *   order the calls come in and even when they run concurrently (OPEN-5, PRICE-5). A call with
 *   an earlier month than the stored one moves the count (the old month's count goes down by
 *   one, the earlier month's up by one) in one atomic step, or in steps that a redelivery of the
 *   same call completes.
 * - **Latest category**: {@link CareWindowStore.putTemplate} keeps, per name, the entry with the
 *   greatest `at`; on equal `at`, the greater `category` string (code-unit order), so the result
 *   does not depend on arrival order.
 *
 * @example
 * ```ts
 * const store: CareWindowStore = createMemoryStore();
 * const row = await store.readThread({ channel: "whatsapp", business: "1065", customer: "5511" });
 * const wrote = await store.writeThread(key, { state }, row?.version ?? 0);
 * ```
 */
export interface CareWindowStore {
  /** The thread row, or `undefined` when it was never written. */
  readThread(key: ThreadKey): MaybePromise<VersionedThread | undefined>;
  /**
   * Compare-and-set: write `record` if the row's version equals `expectedVersion` (0: insert only
   * if absent); the new version is `expectedVersion + 1`. Returns `true` when written, `false`
   * on a version mismatch. Throws only on failure.
   */
  writeThread(key: ThreadKey, record: ThreadRecord, expectedVersion: number): MaybePromise<boolean>;
  /**
   * One round trip for `decide`: the thread row, the month's service count of `key.business`,
   * and optionally one catalog entry.
   */
  readForDecision(key: ThreadKey, query: DecisionQuery): MaybePromise<DecisionRead>;
  /**
   * Counts one delivered service message of `business` in `month` (`YYYY-MM`, compared as
   * strings in code-unit order), once per (`business`, `wamid`) whatever the month, in the
   * EARLIEST month any call passed for that `wamid` (OPEN-5, PRICE-5). The month is stored with
   * the `wamid`:
   *
   * - no month stored yet: store `month` and add 1 to its count;
   * - a later month stored: store `month`, take 1 off the stored month's count and add 1 to
   *   `month`'s (a message delivered at 23:59:59 on Oct 31 whose Nov 1 `read` arrived first
   *   moves from November to October);
   * - the same or an earlier month stored: change nothing.
   *
   * So the final counts depend only on the set of calls, never on their order, repetition or
   * concurrency. Returns `true` if this call changed a count (first count or move), `false`
   * otherwise.
   *
   * A month of any other shape than `YYYY-MM` is refused with an `InvalidInputError` naming
   * `month` (here and in `serviceCount`): months compare as strings.
   *
   * @example
   * ```ts
   * await store.countDelivery("1065", "2026-11", "wamid.A"); //=> true (counts in November)
   * await store.countDelivery("1065", "2026-10", "wamid.A"); //=> true (moves to October)
   * await store.countDelivery("1065", "2026-11", "wamid.A"); //=> false
   * ```
   */
  countDelivery(business: string, month: string, wamid: string): MaybePromise<boolean>;
  /** Distinct delivered service messages of `business` in `month` (0 when none). */
  serviceCount(business: string, month: string): MaybePromise<number>;
  /** Upserts a catalog entry, keeping the latest per name (see the rules above). */
  putTemplate(entry: TemplateEntry): MaybePromise<void>;
  /** Every catalog entry, in any order. */
  readCatalog(): MaybePromise<readonly TemplateEntry[]>;
}
