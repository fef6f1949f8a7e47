/**
 * Shape checks of decision options at the public boundary (issue 10): every bad option is an
 * {@link InvalidInputError} naming the field, never a `TypeError` from deep inside the core.
 *
 * The one rule for `null`: it is never read as "absent". An optional input is left out (or
 * `undefined`); `null`, like any other wrong type, is refused naming the field.
 *
 * Only shapes are checked here (booleans are booleans, a time zone is a string, …); values with
 * a meaning of their own (a valid IANA zone, a non-negative duration, a service-tier count) are
 * checked where they are used.
 *
 * @module
 */
import { InvalidInputError } from "./errors.js";

const BOOLEAN_OPTIONS = [
  "requireOptIn",
  "openWhenClockBehind",
  "fepFromPostReferral",
  "fepRequirePlatform",
  "paymentMethodOnFile",
  "governmentExempt",
  "directSendEligible",
  "directSendFreeInFep",
  "usMarketingPause",
] as const;

const NUMBER_OPTIONS = ["safetyMarginMs", "fepEstimateMs"] as const;

const OBJECT_OPTIONS = ["serviceTier", "social"] as const;

const bad = (field: string, message: string): never => {
  throw new InvalidInputError("invalid-argument", `${field} ${message}`, field);
};

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

const isInstantLike = (value: unknown): boolean =>
  value instanceof Date || (typeof value === "number" && Number.isFinite(value));

/**
 * Checks the shape of a decision options object (`DecideOptions`, plus `sender` on a service
 * call); returns it unchanged. `undefined` is "no options".
 *
 * @example
 * ```ts
 * assertDecideOptions({ timeZone: "America/Sao_Paulo" }); // ok
 * assertDecideOptions({ timeZone: 5 }); // throws InvalidInputError, field "options.timeZone"
 * assertDecideOptions(null); // throws InvalidInputError, field "options"
 * ```
 */
export function assertDecideOptions(options: unknown, field = "options"): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) return bad(field, "must be an object");
  for (const key of Object.keys(options)) {
    if (options[key] === null)
      bad(`${field}.${key}`, "must not be null (leave it out for the default)");
  }
  for (const key of BOOLEAN_OPTIONS) {
    const v = options[key];
    if (v !== undefined && typeof v !== "boolean") bad(`${field}.${key}`, "must be a boolean");
  }
  for (const key of NUMBER_OPTIONS) {
    const v = options[key];
    if (v !== undefined && typeof v !== "number") bad(`${field}.${key}`, "must be a number");
  }
  for (const key of OBJECT_OPTIONS) {
    const v = options[key];
    if (v !== undefined && !isPlainObject(v)) bad(`${field}.${key}`, "must be an object");
  }
  const { timeZone, era, openWindowOn, onboardedAt, deregistered, customer, sender } = options;
  if (timeZone !== undefined && typeof timeZone !== "string") {
    bad(`${field}.timeZone`, "must be an IANA time zone name (a string)");
  }
  if (era !== undefined && typeof era !== "string" && !isPlainObject(era)) {
    bad(`${field}.era`, "must be an era id or a pricing era object");
  }
  if (openWindowOn !== undefined) {
    if (!isPlainObject(openWindowOn)) bad(`${field}.openWindowOn`, "must be an object of booleans");
    else {
      for (const key of Object.keys(openWindowOn)) {
        if (typeof openWindowOn[key] !== "boolean") {
          bad(`${field}.openWindowOn[${JSON.stringify(key)}]`, "must be a boolean");
        }
      }
    }
  }
  if (onboardedAt !== undefined && !isInstantLike(onboardedAt)) {
    bad(`${field}.onboardedAt`, "must be a valid Date or a finite epoch-millisecond number");
  }
  if (deregistered !== undefined) {
    if (!Array.isArray(deregistered)) bad(`${field}.deregistered`, "must be an array of periods");
    else {
      deregistered.forEach((period: unknown, i) => {
        if (!isPlainObject(period)) bad(`${field}.deregistered[${i}]`, "must be { from, until }");
        else {
          for (const key of ["from", "until"] as const) {
            if (!isInstantLike(period[key])) {
              bad(
                `${field}.deregistered[${i}].${key}`,
                "must be a valid Date or a finite epoch-millisecond number",
              );
            }
          }
        }
      });
    }
  }
  if (customer !== undefined && typeof customer !== "string") {
    bad(`${field}.customer`, "must be a string");
  }
  if (sender !== undefined && sender !== "human" && sender !== "automation") {
    bad(`${field}.sender`, 'must be "human" or "automation"');
  }
}
