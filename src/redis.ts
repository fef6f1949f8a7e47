/**
 * `care-window/redis`: the storage port over Redis, for node-redis, ioredis, or a scripting
 * client such as Upstash's REST client (optional peer dependencies: nothing is imported).
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
 *
 * @module
 */

export type {
  IoRedisLike,
  NodeRedisLike,
  RedisClientLike,
  RedisScriptingLike,
} from "./redis/client.js";
export { redisRetryReason } from "./redis/errors.js";
export { createRedisStore, type RedisStoreOptions } from "./redis/store.js";
export {
  StoreFailureError,
  StoreRetryableError,
  type StoreRetryReason,
} from "./store/errors.js";
