/**
 * Option checks shared by the storage adapters (DynamoDB, Redis): each adapter names its own
 * default, the rule for a key prefix is one.
 *
 * @module
 */
import { InvalidInputError } from "../domain/errors.js";

/** The longest key prefix an adapter accepts (keys stay far below every engine's key limit). */
const PREFIX_MAX = 256;

/**
 * `options.keyPrefix`, or `fallback` when it is absent; a typed error naming the field otherwise.
 *
 * @example
 * ```ts
 * keyPrefixOf(undefined, "care-window:"); //=> "care-window:"
 * keyPrefixOf("app:cw:", "care-window:"); //=> "app:cw:"
 * ```
 */
export function keyPrefixOf(value: unknown, fallback: string): string {
  const prefix = value ?? fallback;
  if (typeof prefix !== "string" || prefix.length > PREFIX_MAX) {
    throw new InvalidInputError(
      "invalid-argument",
      `options.keyPrefix must be a string of at most ${PREFIX_MAX} characters`,
      "options.keyPrefix",
    );
  }
  return prefix;
}
