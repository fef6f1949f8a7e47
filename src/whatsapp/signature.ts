/**
 * Webhook authenticity: the `X-Hub-Signature-256` check over the raw body and the GET
 * verification handshake (Meta's webhook reference, §1.2). Web Crypto only (`globalThis.crypto.subtle`):
 * runs on Node ≥ 20, workerd, Deno, Bun and browsers, with no `node:crypto` import.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";
import { bytesOf, web } from "./web.js";

/** `sha256=` then exactly 64 lowercase hex digits (Meta's webhook reference). */
const HEADER_RE = /^sha256=([0-9a-f]{64})$/;
/** Any character outside ASCII. */
const NON_ASCII_RE = /[\u0080-\uffff]/;
const NON_ASCII_ALL_RE = /[\u0080-\uffff]/g;

/**
 * A raw request body: the exact bytes, or the exact text, as received.
 *
 * @example
 * ```ts
 * const raw: RawBody = await request.arrayBuffer();
 * ```
 */
export type RawBody = string | Uint8Array | ArrayBuffer;

function subtle() {
  const s = web.crypto?.subtle;
  if (s === undefined) throw new Error("Web Crypto (globalThis.crypto.subtle) is not available");
  return s;
}

function utf8(text: string): Uint8Array {
  return new web.TextEncoder().encode(text);
}

function toBytes(body: RawBody): Uint8Array {
  if (typeof body === "string") return utf8(body);
  const bytes = bytesOf(body);
  if (bytes === undefined) throw new TypeError("body must be a string, Uint8Array or ArrayBuffer");
  return bytes;
}

async function hmacKey(secret: string): Promise<unknown> {
  return subtle().importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
}

const HEX = "0123456789abcdef";

async function hmacHex(key: unknown, data: Uint8Array): Promise<string> {
  const mac = new Uint8Array(await subtle().sign("HMAC", key, data));
  let out = "";
  for (const byte of mac) out += HEX[byte >> 4]! + HEX[byte & 15]!;
  return out;
}

/** Compares two strings in time independent of where they differ (lengths are public). */
function timingSafeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/**
 * Escapes every non-ASCII UTF-16 code unit as a lowercase `\uXXXX` sequence, as Meta does before
 * signing (Meta's webhook reference; https://github.com/Secreto31126/whatsapp-api-js/issues/290).
 * Characters outside the BMP become two escaped surrogates, as in JSON.
 */
function escapeNonAscii(text: string): string {
  return text.replace(
    NON_ASCII_ALL_RE,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

/**
 * Checks a webhook's `X-Hub-Signature-256` header: `sha256=` + the lowercase hex HMAC-SHA256 of
 * the **raw body** keyed with the App Secret (Meta's webhook reference).
 *
 * - Hash the bytes exactly as received: a parsed and re-serialised body does not match
 *   (`/` vs `\/`, `@`, non-ASCII text: Meta's webhook reference).
 * - If the raw check fails and the body holds non-ASCII characters, the check is repeated over
 *   the body with those characters escaped as lowercase `\uXXXX`, the form Meta's Graph
 *   documentation says it signs (https://github.com/Secreto31126/whatsapp-api-js/issues/290).
 * - There is deliberately no `/` → `\/` retry: Meta's raw body already carries `\/`
 *   (https://github.com/Secreto31126/whatsapp-api-js/issues/380), so only a re-serialised body
 *   would need it, and re-serialising is the bug to fix.
 * - Digests are compared in constant time. A missing, malformed, truncated or upper-case header,
 *   an empty secret or a missing Web Crypto all give `false`; it never throws.
 *
 * @example
 * ```ts
 * const raw = await request.text();
 * if (!(await verifySignature(raw, request.headers.get("x-hub-signature-256"), appSecret))) {
 *   return new Response("bad signature", { status: 401 });
 * }
 * const { events } = parseWebhook(raw);
 * ```
 */
export async function verifySignature(
  rawBody: RawBody,
  header: string | null | undefined,
  appSecret: string,
): Promise<boolean> {
  try {
    if (typeof header !== "string" || typeof appSecret !== "string" || appSecret === "") {
      return false;
    }
    const match = HEADER_RE.exec(header.trim());
    if (match === null) return false;
    const expected = match[1]!;
    const key = await hmacKey(appSecret);
    const bytes = toBytes(rawBody);
    if (timingSafeEqual(await hmacHex(key, bytes), expected)) return true;
    // Escaped-unicode fallback (Meta's webhook reference).
    let text: string;
    if (typeof rawBody === "string") {
      text = rawBody;
    } else {
      try {
        text = new web.TextDecoder("utf-8", { fatal: true }).decode(bytes);
      } catch {
        return false; // not UTF-8: there is no escaped form to try
      }
    }
    if (!NON_ASCII_RE.test(text)) return false;
    return timingSafeEqual(await hmacHex(key, utf8(escapeNonAscii(text))), expected);
  } catch {
    return false;
  }
}

/**
 * Computes the `X-Hub-Signature-256` header value Meta would send for `body`: for tests, local
 * replays and the testing kit.
 *
 * @throws {InvalidInputError} `invalid-argument` for an empty secret or a body of another type.
 * @example
 * ```ts
 * const header = await signBody('{"object":"whatsapp_business_account","entry":[]}', "app-secret");
 * //=> "sha256=…64 hex digits…"
 * ```
 */
export async function signBody(body: RawBody, appSecret: string): Promise<string> {
  if (typeof appSecret !== "string" || appSecret === "") {
    throw new InvalidInputError(
      "invalid-argument",
      "appSecret must be a non-empty string",
      "appSecret",
    );
  }
  if (typeof body !== "string" && bytesOf(body) === undefined) {
    throw new InvalidInputError(
      "invalid-argument",
      "body must be a string, Uint8Array or ArrayBuffer",
      "body",
    );
  }
  return `sha256=${await hmacHex(await hmacKey(appSecret), toBytes(body))}`;
}

/**
 * Query parameters of the GET verification request: a `URLSearchParams`, or a framework's
 * parsed query object with the literal dotted keys (`query["hub.verify_token"]`).
 *
 * @example
 * ```ts
 * const q: ChallengeQuery = { "hub.mode": "subscribe", "hub.verify_token": "t", "hub.challenge": "1158201444" };
 * ```
 */
export type ChallengeQuery =
  | URLSearchParamsLike
  | Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The part of `URLSearchParams` that {@link verifyChallenge} reads.
 *
 * @example
 * ```ts
 * const q: URLSearchParamsLike = new URL(request.url).searchParams;
 * ```
 */
export interface URLSearchParamsLike {
  /** The first value of the query parameter `name`, or `null` when absent. */
  get(name: string): string | null;
}

function param(query: ChallengeQuery, name: string): string | undefined {
  if (typeof (query as URLSearchParamsLike).get === "function") {
    return (query as URLSearchParamsLike).get(name) ?? undefined;
  }
  const record = query as Readonly<Record<string, unknown>>;
  if (!Object.hasOwn(record, name)) return undefined;
  const value = record[name];
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "string") return value[0];
  return undefined;
}

/**
 * The GET verification handshake (Meta's webhook reference): returns the `hub.challenge` to echo
 * **verbatim** (a string, never converted to a number) when `hub.mode` is `subscribe` and
 * `hub.verify_token` equals `verifyToken`; otherwise `null` (answer 403 then). An empty
 * configured token never matches.
 *
 * @example
 * ```ts
 * const challenge = verifyChallenge(new URL(request.url).searchParams, env.VERIFY_TOKEN);
 * return challenge === null
 *   ? new Response("forbidden", { status: 403 })
 *   : new Response(challenge, { status: 200 });
 * ```
 */
export function verifyChallenge(query: ChallengeQuery, verifyToken: string): string | null {
  if (
    typeof verifyToken !== "string" ||
    verifyToken === "" ||
    query === null ||
    typeof query !== "object"
  ) {
    return null;
  }
  const mode = param(query, "hub.mode");
  const token = param(query, "hub.verify_token");
  const challenge = param(query, "hub.challenge");
  if (mode !== "subscribe" || token === undefined || challenge === undefined || challenge === "") {
    return null;
  }
  return timingSafeEqual(token, verifyToken) ? challenge : null;
}
