/**
 * `plainDecision`, kept for 0.1 callers: decisions are plain data since 0.2.0.
 *
 * @module
 */
import type { Decision } from "./decision.js";

/**
 * A copy of a decision as a plain object.
 *
 * @deprecated Since 0.2.0 every {@link Decision} is plain data: an object spread,
 * `structuredClone`, `postMessage` and `JSON.stringify` keep every field, so this is a shallow
 * copy (`{ ...decision }`). It will be removed in 0.3.0.
 *
 * @example
 * ```ts
 * const d = decide(state, { kind: "free-form" }, now);
 * const copy = { ...d, thread }; // the same as { ...plainDecision(d), thread }
 * ```
 */
export function plainDecision(decision: Decision): Decision {
  return { ...decision };
}
