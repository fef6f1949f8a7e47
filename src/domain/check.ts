/**
 * Shape checks of decision options at the public boundary (issue 10): every bad option is an
 * {@link InvalidInputError} naming the field, never a `TypeError` from deep inside the core.
 *
 * The one rule for `null`: it is never read as "absent". An optional input is left out (or
 * `undefined`); `null`, like any other wrong type, is refused naming the field (`null` is not a
 * boolean, a number, a string or a plain object, so every check below refuses it).
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
] as const;

/** The option members checked here, read by name. */
interface DecideOptionsShape {
  readonly requireOptIn?: unknown;
  readonly openWhenClockBehind?: unknown;
  readonly fepFromPostReferral?: unknown;
  readonly fepRequirePlatform?: unknown;
  readonly paymentMethodOnFile?: unknown;
  readonly governmentExempt?: unknown;
  readonly directSendEligible?: unknown;
  readonly directSendFreeInFep?: unknown;
  readonly usMarketingPause?: unknown;
  readonly safetyMarginMs?: unknown;
  readonly fepEstimateMs?: unknown;
  readonly serviceTier?: unknown;
  readonly social?: unknown;
}

const isBool = (v: unknown): boolean => v === undefined || typeof v === "boolean";
const isNum = (v: unknown): boolean => v === undefined || typeof v === "number";

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
  // Hot path: hosts pass the same options object to every decision; the last object that passed
  // is not checked again (an identity compare). A member changed in place since is read
  // unchecked; if the decision trips over it, `decide`'s guard turns the error into the one the
  // full check gives (`decideOptionsProblem`, docs/bad-input.md "Options objects").
  if (options === undefined || options === lastPassed) return;
  if (!isPlainObject(options)) {
    bad(field, "must be an object");
    return;
  }
  // Named reads only (no Object.keys pass, no keyed loads): this runs on every decision.
  const o = options as DecideOptionsShape;
  if (
    !isBool(o.requireOptIn) ||
    !isBool(o.openWhenClockBehind) ||
    !isBool(o.fepFromPostReferral) ||
    !isBool(o.fepRequirePlatform) ||
    !isBool(o.paymentMethodOnFile) ||
    !isBool(o.governmentExempt) ||
    !isBool(o.directSendEligible) ||
    !isBool(o.directSendFreeInFep)
  ) {
    for (const key of BOOLEAN_OPTIONS) {
      if (!isBool(options[key])) bad(`${field}.${key}`, "must be a boolean");
    }
  }
  // CONSENT-8 / OPEN-18: on/off, or a host resolver `(customer) => boolean`.
  if (!isBool(o.usMarketingPause) && typeof o.usMarketingPause !== "function") {
    bad(`${field}.usMarketingPause`, "must be a boolean or a function (customer) => boolean");
  }
  if (!isNum(o.safetyMarginMs)) bad(`${field}.safetyMarginMs`, "must be a number");
  if (!isNum(o.fepEstimateMs)) bad(`${field}.fepEstimateMs`, "must be a number");
  if (o.serviceTier !== undefined && !isPlainObject(o.serviceTier)) {
    bad(`${field}.serviceTier`, "must be an object");
  }
  if (o.social !== undefined && !isPlainObject(o.social))
    bad(`${field}.social`, "must be an object");
  checkSettings(options, field);
  lastPassed = options;
}

/** The time zone, era, inbound switches, onboarding, deregistered periods, customer and sender. */
function checkSettings(options: Record<string, unknown>, field: string): void {
  const timeZone = options.timeZone;
  const era = options.era;
  const openWindowOn = options.openWindowOn;
  const onboardedAt = options.onboardedAt;
  const deregistered = options.deregistered;
  const customer = options.customer;
  const sender = options.sender;
  if (timeZone !== undefined && typeof timeZone !== "string") {
    bad(`${field}.timeZone`, "must be an IANA time zone name (a string)");
  }
  if (era !== undefined && typeof era !== "string" && !isPlainObject(era)) {
    bad(`${field}.era`, "must be an era id or a pricing era object");
  }
  if (openWindowOn !== undefined) {
    if (!isPlainObject(openWindowOn)) bad(`${field}.openWindowOn`, "must be an object of booleans");
    else {
      for (const key in openWindowOn) {
        if (typeof openWindowOn[key] !== "boolean") {
          bad(`${field}.openWindowOn[${JSON.stringify(key)}]`, "must be a boolean");
        }
      }
    }
  }
  if (onboardedAt !== undefined && !isInstantLike(onboardedAt)) {
    bad(`${field}.onboardedAt`, "must be a valid Date or a finite epoch-millisecond number");
  }
  if (deregistered !== undefined) checkPeriods(deregistered, `${field}.deregistered`);
  if (customer !== undefined && typeof customer !== "string") {
    bad(`${field}.customer`, "must be a string");
  }
  if (sender !== undefined && sender !== "human" && sender !== "automation") {
    bad(`${field}.sender`, 'must be "human" or "automation"');
  }
}

/** The last options object {@link assertDecideOptions} accepted. */
let lastPassed: unknown;

/**
 * Whether `options` is the object {@link assertDecideOptions} accepted last, i.e. would not be
 * checked again: the decision's options fast path keeps what it resolved from an options object
 * only while this holds, so a host that mutates a checked object meets the same checks as before.
 *
 * @internal
 */
export const passedLast = (options: unknown): boolean => options === lastPassed;

/**
 * The typed error the full check of `options` gives now, if any: for an error thrown while a
 * decision ran on an options object that passed earlier and was changed in place since (the
 * identity shortcut above skipped its check). An untyped error from the check itself (a getter
 * that throws) gives `undefined`: the caller keeps the error it had.
 *
 * @internal
 */
export function decideOptionsProblem(
  options: unknown,
  field = "options",
): InvalidInputError | undefined {
  if (options === undefined) return undefined;
  lastPassed = undefined;
  try {
    assertDecideOptions(options, field);
    return undefined;
  } catch (error) {
    return error instanceof InvalidInputError ? error : undefined;
  }
}

function checkPeriods(deregistered: unknown, field: string): void {
  if (!Array.isArray(deregistered)) {
    bad(field, "must be an array of periods");
    return;
  }
  // An index loop, not `forEach`: a hole (`[, period]`) is a missing period, not one to skip.
  for (let i = 0; i < deregistered.length; i++) {
    const period: unknown = deregistered[i];
    if (!isPlainObject(period)) {
      bad(`${field}[${i}]`, "must be { from, until }");
      continue;
    }
    for (const key of ["from", "until"] as const) {
      if (!isInstantLike(period[key])) {
        bad(`${field}[${i}].${key}`, "must be a valid Date or a finite epoch-millisecond number");
      }
    }
  }
}
