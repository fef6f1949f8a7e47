/**
 * `createRedisStore`: the care-window storage port over Redis. Every method is ONE Lua script,
 * so each call is atomic on the server and costs one round trip.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import type { TemplateCategory } from "../domain/types.js";
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
import { type RedisClientLike, type Script, scriptRunner } from "./client.js";
import { rethrow } from "./errors.js";

/**
 * Options of {@link createRedisStore}.
 *
 * @example
 * ```ts
 * const options: RedisStoreOptions = { client, keyPrefix: "app:cw:", idleThreadTtlSeconds: 400 * 86_400 };
 * ```
 */
export interface RedisStoreOptions {
  /** node-redis, ioredis, or a scripting client such as Upstash's REST client. */
  readonly client: RedisClientLike;
  /** Prefix of every key. Default `"care-window:"`. */
  readonly keyPrefix?: string;
  /**
   * Expire a thread this many seconds after its last write. Default: never. A thread that
   * expires forgets its window AND its opt-outs and blocks: choose a period longer than any
   * consent you must honour, or leave it off.
   */
  readonly idleThreadTtlSeconds?: number;
  /**
   * Expire a counted wamid and a month's tier counter this many seconds after their last write.
   * Default 8,640,000 (100 days): statuses arrive for days, never months.
   */
  readonly tierTtlSeconds?: number;
}

const script = (source: string): Script => ({ source });

/** Thread → `{ s, r?, v }` or `""`. KEYS: thread. */
const READ = script(`local h = redis.call('HMGET', KEYS[1], 's', 'r', 'v')
if not h[3] then return '' end
return cjson.encode({ s = h[1], r = h[2] or nil, v = tonumber(h[3]) })`);

/** Compare-and-set. KEYS: thread. ARGV: expected, state, hasRedirect, redirect, ttl. */
const WRITE = script(`local v = redis.call('HGET', KEYS[1], 'v')
local current = 0
if v then current = tonumber(v) end
if current ~= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 's', ARGV[2], 'v', tostring(current + 1))
if ARGV[3] == '1' then redis.call('HSET', KEYS[1], 'r', ARGV[4]) else redis.call('HDEL', KEYS[1], 'r') end
if tonumber(ARGV[5]) > 0 then redis.call('EXPIRE', KEYS[1], ARGV[5]) end
return 1`);

/** One round trip for decide. KEYS: thread, counter, catalog. ARGV: hasTemplate, template. */
const DECISION = script(`local h = redis.call('HMGET', KEYS[1], 's', 'r', 'v')
local n = redis.call('GET', KEYS[2])
local t = nil
if ARGV[1] == '1' then t = redis.call('HGET', KEYS[3], ARGV[2]) or nil end
local thread = nil
if h[3] then thread = { s = h[1], r = h[2] or nil, v = tonumber(h[3]) } end
return cjson.encode({ thread = thread, n = tonumber(n) or 0, t = t })`);

/**
 * Count a wamid once per business, in the earliest month any call passed (OPEN-5, PRICE-5).
 * KEYS: delivery, counter of ARGV[1]. ARGV: month, ttl, key prefix. The delivery key holds the
 * JSON pair `[month, that month's counter key without the prefix]`, so a move knows which counter
 * to take the wamid off.
 * Months compare byte by byte (code-unit order for the `YYYY-MM` months the service passes).
 */
const COUNT = script(`local function before(a, b)
  local n = math.min(#a, #b)
  for i = 1, n do
    local x, y = string.byte(a, i), string.byte(b, i)
    if x ~= y then return x < y end
  end
  return #a < #b
end
local cur = redis.call('GET', KEYS[1])
if cur then
  local held = cjson.decode(cur)
  if not before(ARGV[1], held[1]) then return 0 end
  local from = ARGV[3] .. held[2]
  if tonumber(redis.call('GET', from) or '0') > 0 then redis.call('DECR', from) end
end
redis.call('SET', KEYS[1], cjson.encode({ ARGV[1], string.sub(KEYS[2], #ARGV[3] + 1) }), 'EX', ARGV[2])
redis.call('INCR', KEYS[2])
redis.call('EXPIRE', KEYS[2], ARGV[2])
return 1`);

/** KEYS: counter. */
const USED = script(`return tonumber(redis.call('GET', KEYS[1]) or '0')`);

/** Latest category per name (TPL-7). KEYS: catalog. ARGV: name, category, at. Value: "category\\nat". */
const PUT_TEMPLATE = script(`local cur = redis.call('HGET', KEYS[1], ARGV[1])
if cur then
  local i = string.find(cur, '\\n', 1, true)
  local category = string.sub(cur, 1, i - 1)
  local at = tonumber(string.sub(cur, i + 1))
  local new = tonumber(ARGV[3])
  if not (new > at or (new == at and ARGV[2] > category)) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2] .. '\\n' .. ARGV[3])
return 1`);

/** KEYS: catalog. */
const CATALOG = script(`local all = redis.call('HGETALL', KEYS[1])
if #all == 0 then return '[]' end
return cjson.encode(all)`);

type ThreadJson = { readonly s?: unknown; readonly r?: unknown; readonly v?: unknown };

/** Script replies are JSON text; scripting clients that decode JSON replies give objects. */
const decode = (reply: unknown): unknown => {
  if (typeof reply !== "string") return reply;
  return reply === "" ? undefined : JSON.parse(reply);
};

function toThread(json: ThreadJson | undefined | null): VersionedThread | undefined {
  if (json === undefined || json === null || typeof json !== "object") return undefined;
  const state = (typeof json.s === "string" ? JSON.parse(json.s) : json.s) as StoredState;
  const version = Number(json.v);
  return typeof json.r === "string" ? { state, version, redirect: json.r } : { state, version };
}

const splitTemplate = (value: string): { category: TemplateCategory; at: number } => {
  const i = value.indexOf("\n");
  return { category: value.slice(0, i) as TemplateCategory, at: Number(value.slice(i + 1)) };
};

/**
 * Creates a store over Redis. Keys (with the default prefix):
 *
 * | Key | Type | Holds |
 * | --- | --- | --- |
 * | `care-window:t:["<channel>","<business>","<customer>"]` | hash | `s` state JSON, `v` version, `r` redirect |
 * | `care-window:d:["<business>","<wamid>"]` | string | JSON `[month, counter key without the prefix]`: the earliest month reported for the wamid, where it counts (OPEN-5) |
 * | `care-window:n:["<business>","<month>"]` | string | the month's service-tier count (PRICE-5) |
 * | `care-window:catalog` | hash | template name → `category\nat` (TPL-7) |
 *
 * Every method is one `EVALSHA` (one `EVAL` the first time a server sees a script), atomic on
 * the server. Single-node or primary/replica Redis (self-hosted, Upstash, ElastiCache without
 * cluster mode): the decision read touches keys of different hash slots, and a tier move
 * decrements the counter named in the delivery key (a key the script reads from data).
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * import { createCareWindow } from "care-window";
 * import { createRedisStore } from "care-window/redis";
 *
 * const client = await createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }).connect();
 * const care = createCareWindow({ store: createRedisStore({ client }) });
 * ```
 */
export function createRedisStore(options: RedisStoreOptions): CareWindowStore {
  const run = scriptRunner(options.client);
  if (run === undefined) {
    throw new InvalidInputError(
      "invalid-argument",
      "options.client must be a node-redis client (sendCommand), an ioredis client (call), or have evalsha(sha, keys, args) and eval(script, keys, args)",
      "options.client",
    );
  }
  const prefix = keyPrefixOf(options.keyPrefix, "care-window:");
  const seconds = (value: number | undefined, fallback: number, field: string): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < 1) {
      throw new InvalidInputError(
        "invalid-argument",
        `options.${field} must be a positive whole number of seconds`,
        `options.${field}`,
      );
    }
    return value;
  };
  const threadTtl = seconds(options.idleThreadTtlSeconds, 0, "idleThreadTtlSeconds");
  const tierTtl = seconds(options.tierTtlSeconds, 8_640_000, "tierTtlSeconds");

  const threadKey = (k: ThreadKey) =>
    `${prefix}t:${JSON.stringify([k.channel, k.business, k.customer])}`;
  const counterKey = (business: string, month: string) =>
    `${prefix}n:${JSON.stringify([business, month])}`;
  const catalogKey = `${prefix}catalog`;

  const call = async (
    operation: string,
    s: Script,
    keys: readonly string[],
    args: readonly string[],
  ): Promise<unknown> => {
    try {
      return await run(s, keys, args);
    } catch (error) {
      return rethrow(operation, error);
    }
  };

  return {
    async readThread(k: ThreadKey) {
      return toThread(decode(await call("readThread", READ, [threadKey(k)], [])) as ThreadJson);
    },

    async writeThread(k: ThreadKey, record: ThreadRecord, expectedVersion: number) {
      const reply = await call(
        "writeThread",
        WRITE,
        [threadKey(k)],
        [
          String(expectedVersion),
          JSON.stringify(record.state),
          record.redirect === undefined ? "0" : "1",
          record.redirect ?? "",
          String(threadTtl),
        ],
      );
      return Number(reply) === 1;
    },

    async readForDecision(k: ThreadKey, query: DecisionQuery): Promise<DecisionRead> {
      assertMonth(query.month, "query.month");
      const reply = decode(
        await call(
          "readForDecision",
          DECISION,
          [threadKey(k), counterKey(k.business, query.month), catalogKey],
          query.template === undefined ? ["0", ""] : ["1", query.template],
        ),
      ) as { thread?: ThreadJson; n?: unknown; t?: unknown } | undefined;
      const t = reply?.t;
      return {
        thread: toThread(reply?.thread),
        serviceCount: Number(reply?.n ?? 0),
        template:
          typeof t === "string" && query.template !== undefined
            ? { name: query.template, ...splitTemplate(t) }
            : undefined,
      };
    },

    async countDelivery(business: string, month: string, wamid: string) {
      assertMonth(month, "month");
      const reply = await call(
        "countDelivery",
        COUNT,
        [`${prefix}d:${JSON.stringify([business, wamid])}`, counterKey(business, month)],
        [month, String(tierTtl), prefix],
      );
      return Number(reply) === 1;
    },

    async serviceCount(business: string, month: string) {
      assertMonth(month, "month");
      return Number(await call("serviceCount", USED, [counterKey(business, month)], []));
    },

    async putTemplate(entry: TemplateEntry) {
      await call(
        "putTemplate",
        PUT_TEMPLATE,
        [catalogKey],
        [entry.name, entry.category, String(entry.at)],
      );
    },

    async readCatalog() {
      const flat = decode(await call("readCatalog", CATALOG, [catalogKey], []));
      const out: TemplateEntry[] = [];
      if (!Array.isArray(flat)) return out;
      for (let i = 0; i + 1 < flat.length; i += 2) {
        out.push({ name: String(flat[i]), ...splitTemplate(String(flat[i + 1])) });
      }
      return out;
    },
  };
}
