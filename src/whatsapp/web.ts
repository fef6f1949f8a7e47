/**
 * The few Web-standard globals the edge uses (Web Crypto, TextEncoder, TextDecoder), typed
 * locally because `src/` compiles with `lib: ES2022` and no DOM / Node types. Available on
 * Node ≥ 20, workerd, Deno, Bun and browsers.
 *
 * @internal
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";

/** Minimal `SubtleCrypto` surface for HMAC-SHA-256. */
interface SubtleLike {
  importKey(
    format: "raw",
    keyData: Uint8Array,
    algorithm: { readonly name: "HMAC"; readonly hash: "SHA-256" },
    extractable: false,
    usages: readonly "sign"[],
  ): Promise<unknown>;
  sign(algorithm: "HMAC", key: unknown, data: Uint8Array): Promise<ArrayBuffer>;
}

/** Minimal typings of the globals used. */
interface WebGlobals {
  readonly crypto?: { readonly subtle?: SubtleLike };
  readonly TextEncoder: new () => { encode(input: string): Uint8Array };
  readonly TextDecoder: new (
    label?: string,
    options?: { readonly fatal?: boolean },
  ) => { decode(input: Uint8Array | ArrayBuffer): string };
}

/** `globalThis`, seen through {@link WebGlobals}. */
export const web: WebGlobals = globalThis as unknown as WebGlobals;

/**
 * The bytes of a `Uint8Array` (or any typed-array view) or an `ArrayBuffer`, also across realms
 * (edge sandboxes), without copying; `undefined` for anything else.
 */
export function bytesOf(value: unknown): Uint8Array | undefined {
  if (ArrayBuffer.isView(value)) {
    return new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
  }
  if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") {
    return new Uint8Array(value as ArrayBuffer);
  }
  return undefined;
}

/**
 * Decodes (UTF-8, fatal) and parses a webhook body given as parsed JSON, a string or bytes.
 * Throws {@link InvalidInputError} only for non-JSON and non-object bodies; the Messenger and
 * WhatsApp parsers share it.
 */
export function toBody(body: unknown): Record<string, unknown> {
  let value = body;
  const bytes = typeof body === "string" ? undefined : bytesOf(body);
  if (typeof body === "string" || bytes !== undefined) {
    let text: string;
    try {
      text =
        bytes === undefined
          ? (body as string)
          : new web.TextDecoder("utf-8", { fatal: true }).decode(bytes);
    } catch (cause) {
      throw new InvalidInputError(
        "invalid-json",
        `body is not valid UTF-8: ${String(cause)}`,
        "body",
      );
    }
    try {
      value = JSON.parse(text);
    } catch (cause) {
      throw new InvalidInputError("invalid-json", `body is not JSON: ${String(cause)}`, "body");
    }
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new InvalidInputError(
      "invalid-body",
      `body must be a JSON object, got ${value === null ? "null" : Array.isArray(value) ? "an array" : typeof value}`,
      "body",
    );
  }
  return value as Record<string, unknown>;
}
