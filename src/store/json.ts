/**
 * JSON helpers of the storage layer: deep copies and structural equality of plain JSON values.
 *
 * @module
 */

/**
 * A deep copy through JSON, so stored data and caller data never share objects. `undefined`
 * members disappear, exactly as they would in any JSON column.
 *
 * @example
 * ```ts
 * const copy = jsonClone({ v: 1, inbound: { message: 1 } });
 * ```
 */
export function jsonClone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/**
 * Structural equality of two JSON values; object key order does not matter (a `jsonb` column
 * reorders keys), `undefined` members count as absent.
 *
 * @example
 * ```ts
 * jsonEqual({ a: 1, b: [2] }, { b: [2], a: 1 }); //=> true
 * ```
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  let count = 0;
  for (const key in ao) {
    if (ao[key] === undefined) continue;
    count++;
    if (!jsonEqual(ao[key], bo[key])) return false;
  }
  for (const key in bo) if (bo[key] !== undefined) count--;
  return count === 0;
}
