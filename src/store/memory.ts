/**
 * The built-in in-memory store: for tests, demos, single-process hosts, and as the reference
 * implementation of the port.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { jsonClone } from "./json.js";
import { assertMonth } from "./options.js";
import type {
  CareWindowStore,
  DecisionQuery,
  DecisionRead,
  StoredState,
  TemplateEntry,
  ThreadKey,
  ThreadRecord,
  VersionedThread,
} from "./port.js";

/**
 * The name of a port operation, as passed to {@link MemoryStoreOptions.fault}.
 *
 * @example
 * ```ts
 * const op: StoreOperation = "writeThread";
 * ```
 */
export type StoreOperation = keyof CareWindowStore;

/**
 * Options of {@link createMemoryStore}.
 *
 * @example
 * ```ts
 * let fail = true;
 * const store = createMemoryStore({
 *   fault: (op) => { if (op === "writeThread" && fail) throw new Error("connection reset"); },
 * });
 * ```
 */
export interface MemoryStoreOptions {
  /**
   * Called before every operation, after the operation's own await point. Throw (or reject) to
   * simulate a failing database; resolve later to simulate latency. The operation has no effect
   * when the hook throws.
   */
  readonly fault?: (operation: StoreOperation) => void | Promise<void>;
}

/**
 * A {@link CareWindowStore} that also exposes its size, for tests.
 *
 * @example
 * ```ts
 * const store: MemoryStore = createMemoryStore();
 * store.size(); //=> { threads: 0, deliveries: 0, templates: 0 }
 * ```
 */
export interface MemoryStore extends CareWindowStore {
  /** Row counts, for tests and diagnostics. */
  size(): { readonly threads: number; readonly deliveries: number; readonly templates: number };
}

interface Row {
  readonly json: string;
  readonly redirect: string | undefined;
  readonly version: number;
}

const keyOf = (key: ThreadKey): string => JSON.stringify([key.channel, key.business, key.customer]);
const tierOf = (business: string, month: string): string => JSON.stringify([business, month]);

/**
 * Creates an in-memory, `Map`-based store. It honours compare-and-set versions exactly like a
 * database adapter, stores states as JSON text (so neither the caller's objects nor returned
 * objects alias stored data), and answers asynchronously so concurrent writers really interleave.
 *
 * Data lives as long as the returned object; nothing is shared between instances.
 *
 * @example
 * ```ts
 * import { createCareWindow, createMemoryStore } from "care-window";
 *
 * const care = createCareWindow({ store: createMemoryStore() });
 * ```
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  // Issue 10: `null` or a wrong type is a typed error naming the field, never a TypeError.
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new InvalidInputError("invalid-argument", "options must be an object", "options");
  }
  if (options.fault !== undefined && typeof options.fault !== "function") {
    throw new InvalidInputError(
      "invalid-argument",
      "options.fault must be a function",
      "options.fault",
    );
  }
  const threads = new Map<string, Row>();
  const deliveries = new Map<string, string>();
  const counts = new Map<string, number>();
  const templates = new Map<string, TemplateEntry>();
  const fault = options.fault;

  const enter = async (operation: StoreOperation): Promise<void> => {
    await Promise.resolve();
    if (fault !== undefined) await fault(operation);
  };

  const toThread = (row: Row | undefined): VersionedThread | undefined => {
    if (row === undefined) return undefined;
    const state = JSON.parse(row.json) as StoredState;
    return row.redirect === undefined
      ? { state, version: row.version }
      : { state, version: row.version, redirect: row.redirect };
  };

  return {
    async readThread(key: ThreadKey) {
      await enter("readThread");
      return toThread(threads.get(keyOf(key)));
    },

    async writeThread(key: ThreadKey, record: ThreadRecord, expectedVersion: number) {
      const json = JSON.stringify(record.state);
      const redirect = record.redirect;
      await enter("writeThread");
      const k = keyOf(key);
      const current = threads.get(k)?.version ?? 0;
      if (current !== expectedVersion) return false;
      threads.set(k, { json, redirect, version: expectedVersion + 1 });
      return true;
    },

    async readForDecision(key: ThreadKey, query: DecisionQuery): Promise<DecisionRead> {
      assertMonth(query.month, "query.month");
      await enter("readForDecision");
      const entry = query.template === undefined ? undefined : templates.get(query.template);
      return {
        thread: toThread(threads.get(keyOf(key))),
        serviceCount: counts.get(tierOf(key.business, query.month)) ?? 0,
        template: entry === undefined ? undefined : { ...entry },
      };
    },

    async countDelivery(business: string, month: string, wamid: string) {
      assertMonth(month, "month");
      await enter("countDelivery");
      // Once per (business, wamid), in the earliest month any call passed (OPEN-5, PRICE-5).
      const id = JSON.stringify([business, wamid]);
      const stored = deliveries.get(id);
      if (stored !== undefined && stored <= month) return false;
      deliveries.set(id, month);
      if (stored !== undefined) {
        // A later month held it: move the count (no await in between, so this is atomic).
        const from = tierOf(business, stored);
        counts.set(from, (counts.get(from) ?? 1) - 1);
      }
      const tier = tierOf(business, month);
      counts.set(tier, (counts.get(tier) ?? 0) + 1);
      return true;
    },

    async serviceCount(business: string, month: string) {
      assertMonth(month, "month");
      await enter("serviceCount");
      return counts.get(tierOf(business, month)) ?? 0;
    },

    async putTemplate(entry: TemplateEntry) {
      const copy = jsonClone({ name: entry.name, category: entry.category, at: entry.at });
      await enter("putTemplate");
      const current = templates.get(copy.name);
      if (
        current === undefined ||
        copy.at > current.at ||
        (copy.at === current.at && copy.category > current.category)
      ) {
        templates.set(copy.name, copy);
      }
    },

    async readCatalog() {
      await enter("readCatalog");
      return [...templates.values()].map((entry) => ({ ...entry }));
    },

    size() {
      return { threads: threads.size, deliveries: deliveries.size, templates: templates.size };
    },
  };
}
