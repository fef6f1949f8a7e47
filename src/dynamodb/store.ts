/**
 * `createDynamoStore`: the care-window storage port over DynamoDB, in one table. Every write is
 * ONE conditional single-item write; the one call that touches two items (`countDelivery`)
 * follows a protocol that is safe when interrupted between any two of its steps.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { TemplateCategory } from "../domain/types.js";
import { StoreRetryableError } from "../store/errors.js";
import { assertMonth, keyPrefixOf } from "../store/options.js";
import type {
  CareWindowStore,
  DecisionQuery,
  DecisionRead,
  StoredState,
  TemplateEntry,
  ThreadKey,
  ThreadRecord,
  VersionedThread,
} from "../store/port.js";
import type { DynamoClient, DynamoItem } from "./client.js";
import { isConditionFailure, rethrow } from "./errors.js";

/**
 * Options of {@link createDynamoStore}.
 *
 * @example
 * ```ts
 * const options: DynamoStoreOptions = { client: new DynamoDB({}), tableName: "app", keyPrefix: "cw#" };
 * ```
 */
export interface DynamoStoreOptions {
  /** The aggregated `DynamoDB` client of `@aws-sdk/client-dynamodb`, or any {@link DynamoClient}. */
  readonly client: DynamoClient;
  /** The table: partition key `pk` (S) and sort key `sk` (S), see {@link ensureTable}. */
  readonly tableName: string;
  /** Prefix of every partition key, so several apps can share a table. Default `"care-window#"`. */
  readonly keyPrefix?: string;
  /**
   * Name of the table's TTL attribute, written on service-tier items only (epoch seconds: the
   * start of the month `tierRetentionMonths` after the item's month). `false`: no TTL attribute.
   * Default `"expiresAt"`. Threads never expire.
   */
  readonly ttlAttribute?: string | false;
  /** Months a month's tier items are kept (see `ttlAttribute`). Default 3. */
  readonly tierRetentionMonths?: number;
  /**
   * Settle a month's tier counter (fold its recent wamids into the number) once it lists this
   * many. Default 32 (about 2 kB of wamids). Lower values settle more often.
   */
  readonly tierSettleAt?: number;
}

type Item = Record<string, unknown>;
const S = (s: string) => ({ S: s });
const N = (n: number) => ({ N: String(n) });

const str = (item: Item | undefined, name: string): string | undefined => {
  const v = item?.[name] as { S?: unknown } | undefined;
  return typeof v?.S === "string" ? v.S : undefined;
};
const num = (item: Item | undefined, name: string): number => {
  const v = item?.[name] as { N?: unknown } | undefined;
  return typeof v?.N === "string" ? Number(v.N) : 0;
};
const set = (item: Item | undefined, name: string): string[] => {
  const v = item?.[name] as { SS?: unknown } | undefined;
  return Array.isArray(v?.SS) ? (v.SS as string[]) : [];
};
const bool = (item: Item | undefined, name: string): boolean =>
  (item?.[name] as { BOOL?: unknown } | undefined)?.BOOL === true;

const MONTH = /^(\d{4})-(\d{2})$/;
const TABLE = /^[A-Za-z0-9_.-]{3,255}$/;

function toThread(item: Item): VersionedThread {
  const state = JSON.parse(str(item, "st") ?? "null") as StoredState;
  const version = num(item, "ver");
  const redirect = str(item, "rd");
  return redirect === undefined ? { state, version } : { state, version, redirect };
}

const sleep = (ms: number) =>
  new Promise<void>((resolve) => {
    (globalThis as unknown as { setTimeout(fn: () => void, ms: number): unknown }).setTimeout(
      resolve,
      ms,
    );
  });

/**
 * Creates a store over one DynamoDB table (create it with {@link ensureTable} or the documented
 * CloudFormation snippet). Item layout, all under partition key `pk` and sort key `sk`:
 *
 * | Item | `pk` | `sk` | attributes |
 * | --- | --- | --- | --- |
 * | thread (also an alias: a thread with `rd`) | `<prefix>thread#["<channel>","<business>","<customer>"]` | `thread` | `st` state JSON, `ver` version, `rd` redirect |
 * | delivery of a wamid (OPEN-5) | `<prefix>delivery#["<business>","<wamid>"]` | `delivery` | `mo` earliest month reported, `ok` counted there, `drop` months to take it off |
 * | month's tier counter (PRICE-5) | `<prefix>tier#["<business>","<month>"]` | `tier` | `used`, `recent` and `gone` (sets of wamids), `epoch` |
 * | template (TPL-7) | `<prefix>catalog` | `t#<name>` | `nm`, `cat`, `at` |
 *
 * - `writeThread`: one `PutItem` with `ConditionExpression` `attribute_not_exists(pk)` (version 0)
 *   or `ver = :expected`; a failed condition returns `false`.
 * - `readForDecision`: one `BatchGetItem` (thread, tier counter, template), strongly consistent.
 * - `countDelivery`: claims the wamid (`PutItem` if absent), adds it to the month counter's
 *   `recent` set guarded by the counter's `epoch`, then marks the claim counted; a month's count
 *   is `used + |recent| − |gone|`. An earlier month than the claim's moves it (OPEN-5, PRICE-5):
 *   the claim takes the earlier month and lists the old one in `drop`, the wamid is added to the
 *   earlier month's counter and put in the old counter's `gone` set. Interrupted at any step, a
 *   redelivery completes it, and the wamid counts once, in its earliest month.
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
 */
export function createDynamoStore(options: DynamoStoreOptions): CareWindowStore {
  const { client, tableName } = options;
  for (const method of ["getItem", "putItem", "updateItem", "batchGetItem", "query"] as const) {
    if (
      typeof client !== "object" ||
      client === null ||
      typeof (client as unknown as Record<string, unknown>)[method] !== "function"
    ) {
      throw new InvalidInputError(
        "invalid-argument",
        `options.client must be a DynamoDB client with a ${method}() method (new DynamoDB({}) from @aws-sdk/client-dynamodb)`,
        "options.client",
      );
    }
  }
  if (typeof tableName !== "string" || !TABLE.test(tableName)) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.tableName must be a DynamoDB table name (3–255 of A-Z a-z 0-9 _ . -)",
      "options.tableName",
    );
  }
  const prefix = keyPrefixOf(options.keyPrefix, "care-window#");
  const ttlName = options.ttlAttribute ?? "expiresAt";
  if (
    ttlName !== false &&
    (typeof ttlName !== "string" || !/^[A-Za-z0-9_.-]{1,255}$/.test(ttlName))
  ) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.ttlAttribute must be an attribute name or false",
      "options.ttlAttribute",
    );
  }
  const retention = options.tierRetentionMonths ?? 3;
  if (!Number.isInteger(retention) || retention < 1) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.tierRetentionMonths must be a positive integer",
      "options.tierRetentionMonths",
    );
  }
  const settleAt = options.tierSettleAt ?? 32;
  if (!Number.isInteger(settleAt) || settleAt < 1 || settleAt > 100) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.tierSettleAt must be an integer from 1 to 100",
      "options.tierSettleAt",
    );
  }

  const key = (kind: string, parts: readonly string[], sk: string): DynamoItem => ({
    pk: S(`${prefix}${kind}#${JSON.stringify(parts)}`),
    sk: S(sk),
  });
  const threadKey = (k: ThreadKey) => key("thread", [k.channel, k.business, k.customer], "thread");
  const deliveryKey = (business: string, wamid: string) =>
    key("delivery", [business, wamid], "delivery");
  const tierKey = (business: string, month: string) => key("tier", [business, month], "tier");
  const templateKey = (name: string): DynamoItem => ({
    pk: S(`${prefix}catalog`),
    sk: S(`t#${name}`),
  });
  /** TTL of a month's tier items: the start of the month `retention` months later (epoch s). */
  const expiry = (month: string): DynamoItem => {
    const m = MONTH.exec(month);
    if (ttlName === false || m === null) return {};
    return { [ttlName]: N(Date.UTC(Number(m[1]), Number(m[2]) - 1 + retention, 1) / 1000) };
  };

  const get = async (operation: string, k: DynamoItem): Promise<Item | undefined> => {
    try {
      return (await client.getItem({ TableName: tableName, Key: k, ConsistentRead: true })).Item;
    } catch (error) {
      return rethrow(operation, error);
    }
  };

  /** BatchGetItem of up to 100 keys, following UnprocessedKeys (throttling) a few times. */
  const batchGet = async (operation: string, keys: DynamoItem[]): Promise<Map<string, Item>> => {
    const found = new Map<string, Item>();
    let pending: DynamoItem[] = keys;
    for (let round = 0; ; round++) {
      let out: Awaited<ReturnType<DynamoClient["batchGetItem"]>>;
      try {
        out = await client.batchGetItem({
          RequestItems: { [tableName]: { Keys: pending, ConsistentRead: true } },
        });
      } catch (error) {
        return rethrow(operation, error);
      }
      for (const item of out.Responses?.[tableName] ?? []) {
        found.set(`${str(item, "pk")}\u0000${str(item, "sk")}`, item);
      }
      const left = (out.UnprocessedKeys?.[tableName]?.Keys ?? []) as DynamoItem[];
      if (left.length === 0) return found;
      if (round >= 5) {
        throw new StoreRetryableError(
          operation,
          "throttled",
          new Error(`BatchGetItem left ${left.length} keys unprocessed after ${round + 1} rounds`),
        );
      }
      pending = left;
      await sleep(10 * 2 ** round);
    }
  };
  const id = (k: DynamoItem) =>
    `${(k["pk"] as { S: string }).S}\u0000${(k["sk"] as { S: string }).S}`;

  /** A month's count: settled `used`, plus adds not yet settled, minus removals not yet settled. */
  const tierCount = (item: Item | undefined) =>
    num(item, "used") + set(item, "recent").length - set(item, "gone").length;
  const pendingOf = (item: Item | undefined) =>
    set(item, "recent").length + set(item, "gone").length;
  const epochCondition = (epoch: number) =>
    epoch === 0 ? "attribute_not_exists(#epoch)" : "#epoch = :epoch";

  /**
   * Whether a claim shows its add to `month`'s counter acknowledged: counted there (`ok`), or
   * moved on to an earlier month (a move starts only from an acknowledged count).
   */
  const addAcknowledged = (claim: Item | undefined, month: string): boolean => {
    const mo = str(claim, "mo");
    return mo !== undefined && ((mo === month && bool(claim, "ok")) || mo < month);
  };
  /** Whether a claim shows its removal from `month`'s counter acknowledged (OPEN-5 move). */
  const removalAcknowledged = (claim: Item | undefined, month: string): boolean => {
    const mo = str(claim, "mo");
    return mo !== undefined && mo < month && !set(claim, "drop").includes(month);
  };

  /**
   * Folds the acknowledged members of a month's `recent` (adds) and `gone` (removals) sets into
   * `used`, with one write guarded by `epoch` that bumps it.
   */
  const settle = async (business: string, month: string, counter: Item): Promise<boolean> => {
    const recent = set(counter, "recent");
    const gone = set(counter, "gone");
    const wamids = [...new Set([...recent, ...gone])].slice(0, 100);
    const epoch = num(counter, "epoch");
    const claims = await batchGet(
      "countDelivery",
      wamids.map((w) => deliveryKey(business, w)),
    );
    const claimOf = (w: string) => claims.get(id(deliveryKey(business, w)));
    const read = new Set(wamids);
    const adds = recent.filter((w) => read.has(w) && addAcknowledged(claimOf(w), month));
    const removals = gone.filter((w) => read.has(w) && removalAcknowledged(claimOf(w), month));
    if (adds.length === 0 && removals.length === 0) return false;
    const deletes = [
      ...(adds.length === 0 ? [] : ["#recent :adds"]),
      ...(removals.length === 0 ? [] : ["#gone :removals"]),
    ];
    try {
      await client.updateItem({
        TableName: tableName,
        Key: tierKey(business, month),
        UpdateExpression: `SET #epoch = :next ADD #used :n DELETE ${deletes.join(", ")}`,
        ConditionExpression: epochCondition(epoch),
        ExpressionAttributeNames: {
          "#epoch": "epoch",
          "#used": "used",
          ...(adds.length === 0 ? {} : { "#recent": "recent" }),
          ...(removals.length === 0 ? {} : { "#gone": "gone" }),
        },
        ExpressionAttributeValues: {
          ":next": N(epoch + 1),
          ":n": N(adds.length - removals.length),
          ...(adds.length === 0 ? {} : { ":adds": { SS: adds } }),
          ...(removals.length === 0 ? {} : { ":removals": { SS: removals } }),
          ...(epoch === 0 ? {} : { ":epoch": N(epoch) }),
        },
      });
    } catch (error) {
      if (!isConditionFailure(error)) rethrow("countDelivery", error);
    }
    return true;
  };

  /** Acknowledges the add to `month` (only while the claim still counts in `month`). */
  const markCounted = async (business: string, wamid: string, month: string): Promise<void> => {
    try {
      await client.updateItem({
        TableName: tableName,
        Key: deliveryKey(business, wamid),
        UpdateExpression: "SET #ok = :yes",
        ConditionExpression: "attribute_exists(#pk) AND #mo = :mo",
        ExpressionAttributeNames: { "#ok": "ok", "#pk": "pk", "#mo": "mo" },
        ExpressionAttributeValues: { ":yes": { BOOL: true }, ":mo": S(month) },
      });
    } catch (error) {
      if (!isConditionFailure(error)) rethrow("countDelivery", error);
    }
  };

  /** Acknowledges the removal from `month` (OPEN-5 move): `month` leaves the claim's `drop`. */
  const markRemoved = async (business: string, wamid: string, month: string): Promise<void> => {
    try {
      await client.updateItem({
        TableName: tableName,
        Key: deliveryKey(business, wamid),
        UpdateExpression: "DELETE #drop :m",
        ConditionExpression: "attribute_exists(#pk)",
        ExpressionAttributeNames: { "#drop": "drop", "#pk": "pk" },
        ExpressionAttributeValues: { ":m": { SS: [month] } },
      });
    } catch (error) {
      if (!isConditionFailure(error)) rethrow("countDelivery", error);
    }
  };

  const contention = () =>
    new StoreRetryableError(
      "countDelivery",
      "contention",
      new Error("the month's tier counter kept settling under this count"),
    );

  /**
   * Adds `wamid` to `month`'s counter and acknowledges it, unless the claim shows that done.
   * Steps 2–4 of the protocol in docs/storage-dynamodb.md.
   */
  const addTo = async (business: string, wamid: string, month: string): Promise<void> => {
    for (let round = 0; round < 64; round++) {
      // Read the month's counter, then the claim again (in this order: see docs).
      const counter = await get("countDelivery", tierKey(business, month));
      if (set(counter, "recent").includes(wamid)) {
        await markCounted(business, wamid, month);
        return;
      }
      if (pendingOf(counter) >= settleAt && (await settle(business, month, counter as Item))) {
        continue; // the counter changed: read it again
      }
      const claim = await get("countDelivery", deliveryKey(business, wamid));
      if (claim === undefined || str(claim, "mo") !== month || bool(claim, "ok")) return;
      // Commit: add the wamid to `recent`, only if no settle happened since the counter read.
      const epoch = num(counter, "epoch");
      try {
        const ttl = expiry(month);
        const ttlKey = Object.keys(ttl)[0];
        await client.updateItem({
          TableName: tableName,
          Key: tierKey(business, month),
          UpdateExpression: `ADD #recent :w${ttlKey === undefined ? "" : " SET #ttl = :ttl"}`,
          ConditionExpression: epochCondition(epoch),
          ExpressionAttributeNames: {
            "#recent": "recent",
            "#epoch": "epoch",
            ...(ttlKey === undefined ? {} : { "#ttl": ttlKey }),
          },
          ExpressionAttributeValues: {
            ":w": { SS: [wamid] },
            ...(epoch === 0 ? {} : { ":epoch": N(epoch) }),
            ...(ttlKey === undefined ? {} : { ":ttl": ttl[ttlKey] as DynamoItem[string] }),
          },
        });
      } catch (error) {
        if (isConditionFailure(error)) continue;
        rethrow("countDelivery", error);
      }
      // Acknowledge: the claim is counted (only now may a settle fold it into `used`).
      await markCounted(business, wamid, month);
      return;
    }
    throw contention();
  };

  /**
   * Takes `wamid` off `month`'s counter (adds it to `gone`) and acknowledges that, unless the
   * claim shows it done (OPEN-5 move). The same guards as {@link addTo}.
   */
  const removeFrom = async (business: string, wamid: string, month: string): Promise<void> => {
    for (let round = 0; round < 64; round++) {
      const counter = await get("countDelivery", tierKey(business, month));
      if (set(counter, "gone").includes(wamid)) {
        await markRemoved(business, wamid, month);
        return;
      }
      if (pendingOf(counter) >= settleAt && (await settle(business, month, counter as Item))) {
        continue;
      }
      const claim = await get("countDelivery", deliveryKey(business, wamid));
      if (claim === undefined || !set(claim, "drop").includes(month)) return;
      if (counter === undefined) {
        // The month's counter is gone (expired): nothing to take the wamid off.
        await markRemoved(business, wamid, month);
        return;
      }
      const epoch = num(counter, "epoch");
      try {
        await client.updateItem({
          TableName: tableName,
          Key: tierKey(business, month),
          UpdateExpression: "ADD #gone :w",
          ConditionExpression: `attribute_exists(#pk) AND ${epochCondition(epoch)}`,
          ExpressionAttributeNames: { "#gone": "gone", "#epoch": "epoch", "#pk": "pk" },
          ExpressionAttributeValues: {
            ":w": { SS: [wamid] },
            ...(epoch === 0 ? {} : { ":epoch": N(epoch) }),
          },
        });
      } catch (error) {
        if (isConditionFailure(error)) continue;
        rethrow("countDelivery", error);
      }
      await markRemoved(business, wamid, month);
      return;
    }
    throw contention();
  };

  /** Completes whatever an interrupted call left on a claim: its add, then its removals. */
  const finish = async (business: string, wamid: string, claim: Item): Promise<void> => {
    const mo = str(claim, "mo");
    if (mo !== undefined && !bool(claim, "ok")) await addTo(business, wamid, mo);
    for (const month of set(claim, "drop")) await removeFrom(business, wamid, month);
  };

  return {
    async readThread(k: ThreadKey) {
      const item = await get("readThread", threadKey(k));
      return item === undefined ? undefined : toThread(item);
    },

    async writeThread(k: ThreadKey, record: ThreadRecord, expectedVersion: number) {
      const item: DynamoItem = {
        ...threadKey(k),
        st: S(JSON.stringify(record.state)),
        ver: N(expectedVersion + 1),
        ...(record.redirect === undefined ? {} : { rd: S(record.redirect) }),
      };
      try {
        await client.putItem({
          TableName: tableName,
          Item: item,
          ...(expectedVersion === 0
            ? {
                ConditionExpression: "attribute_not_exists(#pk)",
                ExpressionAttributeNames: { "#pk": "pk" },
              }
            : {
                ConditionExpression: "#ver = :expected",
                ExpressionAttributeNames: { "#ver": "ver" },
                ExpressionAttributeValues: { ":expected": N(expectedVersion) },
              }),
        });
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        return rethrow("writeThread", error);
      }
    },

    async readForDecision(k: ThreadKey, query: DecisionQuery): Promise<DecisionRead> {
      assertMonth(query.month, "query.month");
      const keys = [threadKey(k), tierKey(k.business, query.month)];
      if (query.template !== undefined) keys.push(templateKey(query.template));
      const items = await batchGet("readForDecision", keys);
      const thread = items.get(id(threadKey(k)));
      const template =
        query.template === undefined ? undefined : items.get(id(templateKey(query.template)));
      return {
        thread: thread === undefined ? undefined : toThread(thread),
        serviceCount: tierCount(items.get(id(tierKey(k.business, query.month)))),
        template:
          template === undefined || query.template === undefined
            ? undefined
            : {
                name: query.template,
                category: str(template, "cat") as TemplateCategory,
                at: num(template, "at"),
              },
      };
    },

    async countDelivery(business: string, month: string, wamid: string) {
      assertMonth(month, "month");
      // OPEN-5, PRICE-5: once per (business, wamid), in the earliest month any call passed.
      let changed = false;
      let claim: Item | undefined;
      for (let round = 0; round < 64; round++) {
        if (claim === undefined) {
          // 1. Claim the wamid for this business, in this call's month.
          const fresh: Item = {
            ...deliveryKey(business, wamid),
            mo: S(month),
            ok: { BOOL: false },
            ...expiry(month),
          };
          try {
            await client.putItem({
              TableName: tableName,
              Item: fresh as DynamoItem,
              ConditionExpression: "attribute_not_exists(#pk)",
              ExpressionAttributeNames: { "#pk": "pk" },
            });
            changed = true;
            claim = fresh;
          } catch (error) {
            if (!isConditionFailure(error)) rethrow("countDelivery", error);
            claim = await get("countDelivery", deliveryKey(business, wamid));
            if (claim === undefined) continue; // expired in between: claim again
          }
        }
        // 2–4. Finish the claim's pending work (this call's count, or an interrupted one).
        await finish(business, wamid, claim);
        const held = str(claim, "mo") ?? month;
        if (!(month < held)) return changed;
        // 5. Move to the earlier month: only from a settled claim (counted, no removal pending).
        try {
          await client.updateItem({
            TableName: tableName,
            Key: deliveryKey(business, wamid),
            UpdateExpression: "SET #mo = :m, #ok = :no ADD #drop :held",
            ConditionExpression: "#mo = :heldMonth AND #ok = :yes AND attribute_not_exists(#drop)",
            ExpressionAttributeNames: { "#mo": "mo", "#ok": "ok", "#drop": "drop" },
            ExpressionAttributeValues: {
              ":m": S(month),
              ":no": { BOOL: false },
              ":yes": { BOOL: true },
              ":held": { SS: [held] },
              ":heldMonth": S(held),
            },
          });
          changed = true;
          claim = { ...claim, mo: S(month), ok: { BOOL: false }, drop: { SS: [held] } };
        } catch (error) {
          if (!isConditionFailure(error)) rethrow("countDelivery", error);
          claim = await get("countDelivery", deliveryKey(business, wamid));
        }
      }
      throw new StoreRetryableError(
        "countDelivery",
        "contention",
        new Error("the wamid's claim kept changing under this count"),
      );
    },

    async serviceCount(business: string, month: string) {
      assertMonth(month, "month");
      return tierCount(await get("serviceCount", tierKey(business, month)));
    },

    async putTemplate(entry: TemplateEntry) {
      try {
        await client.updateItem({
          TableName: tableName,
          Key: templateKey(entry.name),
          UpdateExpression: "SET #nm = :nm, #cat = :cat, #at = :at",
          ConditionExpression:
            "attribute_not_exists(#pk) OR #at < :at OR (#at = :at AND #cat < :cat)",
          ExpressionAttributeNames: { "#pk": "pk", "#nm": "nm", "#cat": "cat", "#at": "at" },
          ExpressionAttributeValues: {
            ":nm": S(entry.name),
            ":cat": S(entry.category),
            ":at": N(entry.at),
          },
        });
      } catch (error) {
        if (!isConditionFailure(error)) rethrow("putTemplate", error);
      }
    },

    async readCatalog() {
      const out: TemplateEntry[] = [];
      let start: DynamoItem | undefined;
      do {
        let page: Awaited<ReturnType<DynamoClient["query"]>>;
        try {
          page = await client.query({
            TableName: tableName,
            KeyConditionExpression: "#pk = :pk",
            ExpressionAttributeNames: { "#pk": "pk" },
            ExpressionAttributeValues: { ":pk": S(`${prefix}catalog`) },
            ConsistentRead: true,
            ...(start === undefined ? {} : { ExclusiveStartKey: start }),
          });
        } catch (error) {
          return rethrow("readCatalog", error);
        }
        for (const item of page.Items ?? []) {
          out.push({
            name: str(item, "nm") ?? "",
            category: str(item, "cat") as TemplateCategory,
            at: num(item, "at"),
          });
        }
        start = page.LastEvaluatedKey as DynamoItem | undefined;
      } while (start !== undefined);
      return out;
    },
  };
}
