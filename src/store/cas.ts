/**
 * The compare-and-set retry loop, written once for every adapter: read → fold/merge →
 * conditional write, bounded attempts, full-jitter exponential backoff, typed errors.
 *
 * Adapters only answer reads and conditional writes; everything that makes concurrent writers
 * safe lives here.
 *
 * @module
 */
import { CareWindowError, InvalidInputError } from "../domain/errors.js";
import type { ThreadState } from "../window/state.js";
import { emptyState, migrateState, stateProblem } from "../window/state.js";
import { StoreConflictError, StoredStateError, StoreFailureError } from "./errors.js";
import { jsonEqual } from "./json.js";
import type { CareWindowStore, MaybePromise, ThreadKey, VersionedThread } from "./port.js";

/**
 * Options of the retry loop. Randomness and sleeping are injectable so tests are deterministic.
 *
 * @example
 * ```ts
 * const retry: RetryOptions = { maxAttempts: 8, baseDelayMs: 2, maxDelayMs: 200, random: () => 0.5 };
 * ```
 */
export interface RetryOptions {
  /** Read → merge → write rounds before giving up with {@link StoreConflictError}. Default 8. */
  readonly maxAttempts?: number;
  /** Backoff cap of the first retry, in ms; doubles each retry (full jitter). Default 2. */
  readonly baseDelayMs?: number;
  /** Upper bound of one backoff, in ms. Default 250. */
  readonly maxDelayMs?: number;
  /** Uniform random number in [0, 1). Default: `crypto.getRandomValues`. */
  readonly random?: () => number;
  /** Waits `ms` milliseconds. Default: `setTimeout`. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * One round of a compare-and-set loop: finished with a value, or lost the race (`done: false`).
 *
 * @example
 * ```ts
 * const step: CasStep<number> = (await store.writeThread(key, record, v)) ? { done: true, value: v + 1 } : { done: false };
 * ```
 */
export type CasStep<T> = { readonly done: true; readonly value: T } | { readonly done: false };

/**
 * Default number of attempts of the retry loop.
 *
 * @example
 * ```ts
 * createCareWindow({ store, maxAttempts: DEFAULT_MAX_ATTEMPTS * 2 });
 * ```
 */
export const DEFAULT_MAX_ATTEMPTS = 8;

interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
}
interface WebCrypto {
  getRandomValues<T extends Uint32Array>(array: T): T;
}

/**
 * A uniform random number in [0, 1) from Web Crypto (available in Node ≥ 19, browsers, edge
 * runtimes). Used only for backoff jitter.
 *
 * @example
 * ```ts
 * const r = cryptoRandom(); // 0 <= r < 1
 * ```
 */
export function cryptoRandom(): number {
  const crypto = (globalThis as { crypto?: WebCrypto }).crypto;
  if (crypto === undefined) return 0.5;
  const buf = crypto.getRandomValues(new Uint32Array(1));
  return (buf[0] ?? 0) / 4_294_967_296;
}

function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => {
    (globalThis as unknown as Timers).setTimeout(resolve, ms);
  });
}

/**
 * The full-jitter backoff before retry number `retry` (0-based): uniform in
 * [0, min(maxDelayMs, baseDelayMs × 2^retry)).
 *
 * @example
 * ```ts
 * backoffDelay(3, { baseDelayMs: 2, maxDelayMs: 250, random: () => 0.5 }); //=> 8
 * ```
 */
export function backoffDelay(
  retry: number,
  options: Pick<RetryOptions, "baseDelayMs" | "maxDelayMs" | "random"> = {},
): number {
  const base = options.baseDelayMs ?? 2;
  const cap = options.maxDelayMs ?? 250;
  const random = options.random ?? cryptoRandom;
  return Math.floor(random() * Math.min(cap, base * 2 ** retry));
}

/**
 * Checks retry options: `maxAttempts` a positive integer, `baseDelayMs` and `maxDelayMs` finite
 * numbers ≥ 0. Throws {@link InvalidInputError} naming the field (`prefix` + member name).
 *
 * @example
 * ```ts
 * validateRetry({ maxAttempts: 8, baseDelayMs: 2 }); // ok
 * validateRetry({ baseDelayMs: Number.NaN }, "options.retry."); // throws, field "options.retry.baseDelayMs"
 * ```
 */
export function validateRetry(options: RetryOptions, prefix = ""): void {
  const { maxAttempts, baseDelayMs, maxDelayMs } = options;
  if (maxAttempts !== undefined && (!Number.isInteger(maxAttempts) || maxAttempts < 1)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${prefix}maxAttempts must be a positive integer, got ${String(maxAttempts)}`,
      `${prefix}maxAttempts`,
    );
  }
  for (const [name, value] of [
    ["baseDelayMs", baseDelayMs],
    ["maxDelayMs", maxDelayMs],
  ] as const) {
    if (
      value !== undefined &&
      (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    ) {
      throw new InvalidInputError(
        "invalid-argument",
        `${prefix}${name} must be a finite number of milliseconds ≥ 0, got ${String(value)}`,
        `${prefix}${name}`,
      );
    }
  }
}

/**
 * Runs `attempt` until it reports `done`, at most `maxAttempts` times, sleeping a full-jitter
 * backoff between rounds. Throws {@link StoreConflictError} when the attempts run out; errors
 * thrown by `attempt` propagate unchanged. Invalid options ({@link validateRetry}) are an
 * {@link InvalidInputError}.
 *
 * @example
 * ```ts
 * const { value, attempts } = await casLoop(async () => {
 *   const row = await store.readThread(key);
 *   const ok = await store.writeThread(key, { state: next(row) }, row?.version ?? 0);
 *   return ok ? { done: true, value: row } : { done: false };
 * }, { maxAttempts: 8 });
 * ```
 */
export async function casLoop<T>(
  attempt: (attemptNumber: number) => Promise<CasStep<T>>,
  options: RetryOptions & { readonly field?: string } = {},
): Promise<{ readonly value: T; readonly attempts: number }> {
  validateRetry(options);
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const sleep = options.sleep ?? defaultSleep;
  for (let n = 1; ; n++) {
    const step = await attempt(n);
    if (step.done) return { value: step.value, attempts: n };
    if (n >= maxAttempts) {
      throw new StoreConflictError(
        `gave up after ${n} compare-and-set attempts: other writers kept changing the same row`,
        n,
        options.field,
      );
    }
    const delay = backoffDelay(n - 1, options);
    if (delay > 0) await sleep(delay);
  }
}

/**
 * Calls a store method and turns anything it throws into a {@link StoreFailureError} (typed
 * care-window errors pass through unchanged).
 *
 * @example
 * ```ts
 * const row = await storeCall("readThread", () => store.readThread(key));
 * ```
 */
export async function storeCall<T>(operation: string, fn: () => MaybePromise<T>): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof CareWindowError) throw error;
    throw new StoreFailureError(operation, error);
  }
}

/**
 * Turns a stored state into the current {@link ThreadState}: checks it is an object with a
 * numeric `v`, runs `migrateState`, and checks the result has the state's shape (members of the
 * right types). An unknown or future version, or a malformed state, is a
 * {@link StoredStateError} naming the member (`state.v`, `state.outbound`, …).
 *
 * @example
 * ```ts
 * decodeState({ v: 1, inbound: {}, outbound: [], consent: {} }); // a ThreadState
 * decodeState({ v: 99 }); // throws StoredStateError
 * ```
 */
export function decodeState(stored: unknown): ThreadState {
  if (typeof stored !== "object" || stored === null || Array.isArray(stored)) {
    throw new StoredStateError("stored thread state is not a JSON object", undefined, "state");
  }
  const v = (stored as { v?: unknown }).v;
  if (typeof v !== "number") {
    throw new StoredStateError("stored thread state has no numeric schema version `v`", v);
  }
  const state = migrateState(stored as { v: number });
  if (state === undefined) {
    throw new StoredStateError(
      `stored thread state has schema version ${v}, which this release of care-window cannot read (upgrade the library)`,
      v,
    );
  }
  const problem = stateProblem(state);
  if (problem !== undefined) {
    throw new StoredStateError(
      `stored thread state (schema version ${v}) is malformed: ${problem[0]} ${problem[1]}`,
      v,
      problem[0],
    );
  }
  return state;
}

/**
 * A thread row after following alias redirects: the key the thread lives under and its row.
 *
 * @example
 * ```ts
 * const { key, row } = await readRoot(store, { channel: "whatsapp", business: "1065", customer: "5511" });
 * ```
 */
export interface RootRow {
  readonly key: ThreadKey;
  readonly row: VersionedThread | undefined;
  /** Rows passed through on the way (alias rows with `redirect`), nearest first. */
  readonly via: readonly { readonly key: ThreadKey; readonly row: VersionedThread }[];
}

/**
 * Follows `redirect` links from `start` (ID-6) until a row without one, given the first row
 * already read. Redirects always point to a strictly smaller id, so a chain cannot loop; a row
 * that breaks this is a {@link StoredStateError} (field `redirect`). There is no hop limit.
 *
 * Path shortening: when the chain had more than one hop, every row passed through is repointed
 * at the root with a compare-and-set on its version (its state is kept verbatim), so the next
 * read of those ids takes one hop. Shortening is best effort: a lost compare-and-set or a failed
 * write is ignored (the chain stays valid, just longer), and the read still succeeds.
 *
 * @example
 * ```ts
 * const root = await followRedirects(store, key, await store.readThread(key));
 * ```
 */
export async function followRedirects(
  store: CareWindowStore,
  start: ThreadKey,
  first: VersionedThread | undefined,
): Promise<RootRow> {
  let key = start;
  let row = first;
  const via: { key: ThreadKey; row: VersionedThread }[] = [];
  while (row?.redirect !== undefined) {
    if (!(row.redirect < key.customer)) {
      throw new StoredStateError(
        `alias row of customer ${key.customer} redirects to ${row.redirect}, which is not a smaller id`,
        row.state.v,
        "redirect",
      );
    }
    via.push({ key, row });
    key = { ...key, customer: row.redirect };
    const k = key;
    row = await storeCall("readThread", () => store.readThread(k));
  }
  if (via.length > 1) await shorten(store, via.slice(0, -1), key.customer);
  return { key, row, via };
}

/** Repoints alias rows at `root` (compare-and-set on each row's version; best effort). */
async function shorten(
  store: CareWindowStore,
  rows: readonly { readonly key: ThreadKey; readonly row: VersionedThread }[],
  root: string,
): Promise<void> {
  await Promise.all(
    rows.map(async ({ key, row }) => {
      try {
        await store.writeThread(key, { state: row.state, redirect: root }, row.version);
      } catch {
        // Best effort: the chain is still valid; the next read tries again.
      }
    }),
  );
}

/**
 * Reads the thread under `key`, following alias redirects.
 *
 * @example
 * ```ts
 * const { key: root, row } = await readRoot(store, key);
 * ```
 */
export async function readRoot(store: CareWindowStore, key: ThreadKey): Promise<RootRow> {
  const first = await storeCall("readThread", () => store.readThread(key));
  return followRedirects(store, key, first);
}

/**
 * The outcome of {@link updateThread}.
 *
 * @example
 * ```ts
 * const r: ThreadUpdate = { key, state, version: 4, changed: true, attempts: 1 };
 * ```
 */
export interface ThreadUpdate {
  /** The key the thread lives under (after alias redirects). */
  readonly key: ThreadKey;
  readonly state: ThreadState;
  /** The row's version after the update (unchanged when nothing changed; 0 = no row). */
  readonly version: number;
  /** Whether a write happened. An update that changes nothing writes nothing (idempotency). */
  readonly changed: boolean;
  readonly attempts: number;
}

/**
 * Read → apply `update` → compare-and-set, retried on conflict: the one way the library changes
 * a thread. `update` must be pure (it may run several times). When its result deep-equals the
 * current state nothing is written, so replaying events changes nothing, not even the version.
 *
 * @example
 * ```ts
 * await updateThread(store, key, (state) => foldEvents(state, events), { maxAttempts: 8 });
 * ```
 */
export async function updateThread(
  store: CareWindowStore,
  key: ThreadKey,
  update: (state: ThreadState) => ThreadState,
  options: RetryOptions & { readonly field?: string } = {},
): Promise<ThreadUpdate> {
  const { value, attempts } = await casLoop<Omit<ThreadUpdate, "attempts">>(async () => {
    const root = await readRoot(store, key);
    const current = root.row === undefined ? emptyState() : decodeState(root.row.state);
    const next = update(current);
    const version = root.row?.version ?? 0;
    if (root.row !== undefined && jsonEqual(next, current)) {
      return { done: true, value: { key: root.key, state: current, version, changed: false } };
    }
    if (root.row === undefined && jsonEqual(next, emptyState())) {
      return { done: true, value: { key: root.key, state: current, version: 0, changed: false } };
    }
    const ok = await storeCall("writeThread", () =>
      store.writeThread(root.key, { state: next }, version),
    );
    return ok
      ? { done: true, value: { key: root.key, state: next, version: version + 1, changed: true } }
      : { done: false };
  }, options);
  return { ...value, attempts };
}
