/**
 * The part of a Redis client the adapter uses, as structural types: no Redis client is imported
 * by care-window. Every store call is one Lua script (`EVALSHA`, falling back to `EVAL`).
 *
 * @module
 */
/**
 * node-redis (`redis` 4 – 6): a `createClient()` client, with `sendCommand(args)` (not a cluster).
 *
 * @example
 * ```ts
 * import { createClient } from "redis";
 * const client: NodeRedisLike = await createClient({ url: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" }).connect();
 * ```
 */
export interface NodeRedisLike {
  /** Sends one command given as its words, e.g. `["EVALSHA", sha, "1", key]`. */
  sendCommand(args: string[]): PromiseLike<unknown>;
}

/**
 * ioredis 5: `new Redis(url)` with `call(command, ...args)`.
 *
 * @example
 * ```ts
 * import { Redis } from "ioredis";
 * const client: IoRedisLike = new Redis(process.env.REDIS_URL ?? "redis://127.0.0.1:6379");
 * ```
 */
export interface IoRedisLike {
  /** Sends one command, e.g. `call("EVALSHA", sha, "1", key)`. */
  call(command: string, ...args: string[]): PromiseLike<unknown>;
}

/**
 * A client with script methods taking arrays of keys and arguments, such as Upstash's REST
 * client (`@upstash/redis`: `redis.evalsha(sha, keys, args)` / `redis.eval(script, keys, args)`),
 * which works over HTTP from Workers and edge functions.
 *
 * @example
 * ```ts
 * const http: RedisScriptingLike = {
 *   evalsha: (sha, keys, args) => rest(["EVALSHA", sha, String(keys.length), ...keys, ...args]),
 *   eval: (script, keys, args) => rest(["EVAL", script, String(keys.length), ...keys, ...args]),
 * };
 * declare function rest(command: string[]): Promise<unknown>;
 * ```
 */
export interface RedisScriptingLike {
  /** Runs a script the server has cached, by its SHA-1; rejects with `NOSCRIPT …` when it has not. */
  evalsha(sha1: string, keys: string[], args: string[]): PromiseLike<unknown>;
  /** Runs a script from its source (and caches it on the server). */
  eval(script: string, keys: string[], args: string[]): PromiseLike<unknown>;
}

/**
 * Any client {@link createRedisStore} accepts: node-redis, ioredis, or a scripting client such
 * as Upstash's REST client.
 *
 * @example
 * ```ts
 * const client: RedisClientLike = { sendCommand: async (args: string[]) => null };
 * ```
 */
export type RedisClientLike = NodeRedisLike | IoRedisLike | RedisScriptingLike;

/** A Lua script with its SHA-1 (computed once, with Web Crypto when available). */
export interface Script {
  readonly source: string;
  sha?: Promise<string | undefined>;
}

/** The Web-standard globals the SHA-1 needs (typed here: the build has no DOM library). */
interface WebGlobals {
  readonly crypto?: {
    readonly subtle?: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> };
  };
  readonly TextEncoder?: new () => { encode(input: string): Uint8Array };
}

async function sha1(text: string): Promise<string | undefined> {
  const web = globalThis as unknown as WebGlobals;
  const subtle = web.crypto?.subtle;
  if (subtle === undefined || web.TextEncoder === undefined) return undefined;
  const digest = new Uint8Array(await subtle.digest("SHA-1", new web.TextEncoder().encode(text)));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

const isNoScript = (error: unknown): boolean =>
  error instanceof Error
    ? /NOSCRIPT/i.test(error.message)
    : typeof error === "string" && /NOSCRIPT/i.test(error);

/** A function that runs a script: `EVALSHA`, then `EVAL` when the server does not know it. */
export type ScriptRunner = (
  script: Script,
  keys: readonly string[],
  args: readonly string[],
) => Promise<unknown>;

/**
 * Wraps a client into a {@link ScriptRunner}. Detection order: `call` (ioredis), `sendCommand`
 * (node-redis), `evalsha` + `eval` (scripting clients). Returns `undefined` for anything else.
 */
export function scriptRunner(client: unknown): ScriptRunner | undefined {
  if (typeof client !== "object" || client === null) return undefined;
  const c = client as Record<string, unknown>;
  let evalsha: (sha: string, keys: string[], args: string[]) => PromiseLike<unknown>;
  let evaluate: (source: string, keys: string[], args: string[]) => PromiseLike<unknown>;
  if (typeof c["call"] === "function") {
    const io = client as IoRedisLike;
    evalsha = (sha, keys, args) => io.call("EVALSHA", sha, String(keys.length), ...keys, ...args);
    evaluate = (src, keys, args) => io.call("EVAL", src, String(keys.length), ...keys, ...args);
  } else if (typeof c["sendCommand"] === "function") {
    const nr = client as NodeRedisLike;
    evalsha = (sha, keys, args) =>
      nr.sendCommand(["EVALSHA", sha, String(keys.length), ...keys, ...args]);
    evaluate = (src, keys, args) =>
      nr.sendCommand(["EVAL", src, String(keys.length), ...keys, ...args]);
  } else if (typeof c["evalsha"] === "function" && typeof c["eval"] === "function") {
    const sc = client as RedisScriptingLike;
    evalsha = (sha, keys, args) => sc.evalsha(sha, keys, args);
    evaluate = (src, keys, args) => sc.eval(src, keys, args);
  } else {
    return undefined;
  }
  return async (script, keys, args) => {
    script.sha ??= sha1(script.source);
    const sha = await script.sha;
    if (sha !== undefined) {
      try {
        return await evalsha(sha, [...keys], [...args]);
      } catch (error) {
        if (!isNoScript(error)) throw error;
      }
    }
    return evaluate(script.source, [...keys], [...args]);
  };
}
