/**
 * The shape of a custom pricing era (`options.era` as an object): every member the decision
 * reads, checked before it is read, so a bad era is an {@link InvalidInputError} naming the
 * member (`options.era.charges[2].note`), never a `TypeError` from deep inside pricing.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";

type Loose = Record<string, unknown>;

const isObject = (v: unknown): v is Loose =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const CHARGES: ReadonlySet<unknown> = new Set(["free", "charged", "unknown"]);
const TYPES: ReadonlySet<unknown> = new Set([
  "regular",
  "free_customer_service",
  "free_entry_point",
]);

function fail(field: string, why: string): never {
  throw new InvalidInputError("invalid-argument", `${field} ${why}`, field);
}

/** `undefined`, or an array of strings. */
function strings(value: unknown, field: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || !value.every((x) => typeof x === "string")) {
    fail(field, "must be an array of strings");
  }
}

/** One charge case (`src/policy/charges.ts`): what the matcher, the price and its note read. */
function checkCase(c: unknown, field: string): void {
  if (!isObject(c)) fail(field, "must be a charge case object");
  if (!CHARGES.has(c.charge)) fail(`${field}.charge`, 'must be "free", "charged" or "unknown"');
  if (!TYPES.has(c.type)) {
    fail(`${field}.type`, 'must be "regular", "free_customer_service" or "free_entry_point"');
  }
  if (typeof c.note !== "string" && typeof c.note !== "function") {
    fail(`${field}.note`, "must be a string or a function (vars) => string");
  }
  strings(c.kind, `${field}.kind`);
  strings(c.tier, `${field}.tier`);
  // Cited in the decision's `rules`: `decide` refuses an id the rulebook does not have.
  if (!Array.isArray(c.rules) || !c.rules.every((x) => typeof x === "string")) {
    fail(`${field}.rules`, "must be an array of rule IDs");
  }
}

/**
 * Checks a custom era object (an era id string is resolved elsewhere).
 *
 * @example
 * ```ts
 * checkEra({ ...ERAS[5], serviceTier: 2_000 }, "options.era"); // ok
 * checkEra({ id: "x" }, "options.era"); // throws InvalidInputError, field "options.era.from"
 * ```
 */
export function checkEra(era: Loose, field: string): void {
  if (typeof era.id !== "string" || era.id === "")
    fail(`${field}.id`, "must be a non-empty string");
  if (typeof era.from !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(era.from)) {
    fail(`${field}.from`, "must be a day, YYYY-MM-DD");
  }
  const tier = era.serviceTier;
  if (tier !== null && !(Number.isInteger(tier) && (tier as number) >= 0)) {
    fail(`${field}.serviceTier`, "must be null or a non-negative integer");
  }
  if (typeof era.freeEntryPoint !== "boolean") fail(`${field}.freeEntryPoint`, "must be a boolean");
  const charges = era.charges;
  if (!Array.isArray(charges)) fail(`${field}.charges`, "must be an array of charge cases");
  for (let i = 0; i < charges.length; i++) checkCase(charges[i], `${field}.charges[${i}]`);
}
