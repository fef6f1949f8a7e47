/**
 * Internal building blocks of {@link decide}: the window, the FEP, the era and consent, each
 * evaluated at an instant. Pure; no clock, no I/O.
 *
 * @module
 * @internal
 */

import { InvalidInputError } from "../domain/errors.js";
import { LATEST_INSTANT } from "../domain/event.js";
import { describe } from "../domain/event-values.js";
import type { ConsentScope, Instant, TemplateCategory } from "../domain/types.js";
import { ERAS, type EraId, FEP_ESTIMATES, POLICY_DATES, type PricingEra } from "../policy/eras.js";
import { isValidTimeZone, startOfDayIn } from "../policy/time.js";
import { checkEra } from "./era-check.js";
import { activatingReply } from "./fep-reply.js";
import type { DecideOptions } from "./options.js";
import { type ConsentRecord, DAY_MS, optOutHolds, type ThreadState } from "./state.js";

/** Larger of two optional instants. */
export const maxInstant = (a: Instant | undefined, b: Instant | undefined): Instant | undefined =>
  a === undefined ? b : b === undefined ? a : a >= b ? a : b;

/** Epoch ms of a `Date` or number, or a typed error naming `field`. */
export function toInstant(value: unknown, field: string): Instant {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be a valid Date or a finite epoch-millisecond number`,
      field,
    );
  }
  // An instant no `Date` can hold cannot be written in words or drawn (the timeline threw a
  // RangeError for `now: 1e20`); events refuse it too (CSW-3).
  if (!(Math.abs(ms) <= LATEST_INSTANT)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field} must be an instant a Date can hold (at most 8.64e15 ms from 1970)`,
      field,
    );
  }
  return ms;
}

/** The free entry point at `at` (FEP-1 … FEP-7, OPEN-1, OPEN-4). */
export interface FepEval {
  readonly open: boolean;
  readonly closesAt: Instant | undefined;
  readonly source: "platform" | "estimated" | "none";
  /** A reply sent before this instant would activate an FEP (and is itself free, FEP-2). */
  readonly activatableUntil: Instant | undefined;
  /** A status priced `free_entry_point` confirmed this FEP, though its end is estimated (FEP-7). */
  readonly confirmed: boolean;
}

const NO_FEP: FepEval = {
  open: false,
  closesAt: undefined,
  source: "none",
  activatableUntil: undefined,
  confirmed: false,
};

/** The estimated FEP length for an entry at `entry` (OPEN-1, OPEN-13). */
export function fepEstimate(entry: Instant): number {
  // The step instants are parsed once, on first use (no module-scope work: tree-shaking).
  // Estimates carry no zone of their own (OPEN-1): their steps are read as UTC days.
  fepSteps ??= FEP_ESTIMATES.map((step) => startOfDayIn(step.from, "UTC"));
  let ms = FEP_ESTIMATES[0]?.ms ?? DAY_MS;
  for (let i = 0; i < fepSteps.length; i++) {
    if (entry >= (fepSteps[i] as number)) ms = (FEP_ESTIMATES[i] as { ms: number }).ms;
  }
  return ms;
}

/** `FEP_ESTIMATES[i].from` as epoch ms, filled by {@link fepEstimate}. */
let fepSteps: readonly number[] | undefined;

/** Evaluates the FEP at `at` under `era`. */
export function evaluateFep(
  state: ThreadState,
  at: Instant,
  options: DecideOptions,
  era: PricingEra,
): FepEval {
  if (!era.freeEntryPoint) return NO_FEP;
  const entry = maxInstant(
    state.referral?.ad,
    options.fepFromPostReferral === true ? state.referral?.post : undefined,
  );
  const platformEnd = state.fepEndsAt;
  // FEP-3 / FEP-7: the platform's expiry wins when it belongs to the latest entry (or no entry
  // was seen, e.g. the inbound webhook went to another app).
  if (platformEnd !== undefined && (entry === undefined || platformEnd > entry)) {
    return {
      open: at < platformEnd,
      closesAt: platformEnd,
      source: "platform",
      activatableUntil: undefined,
      confirmed: true,
    };
  }
  // The usual thread came in without an ad: no FEP (the rest is out of line).
  return entry === undefined ? NO_FEP : estimatedFep(state, at, options, entry);
}

/** {@link evaluateFep} after an ad entry at `entry` without a later platform expiry. */
function estimatedFep(
  state: ThreadState,
  at: Instant,
  options: DecideOptions,
  entry: Instant,
): FepEval {
  const deadline = entry + DAY_MS;
  // FEP-7 / OPEN-4: a status priced `free_entry_point` after the entry proves the FEP even
  // without an expiry (v24+ may price only `delivered` / `read`).
  const confirmed = state.fepSeenAt !== undefined && state.fepSeenAt >= entry;
  const reply = activatingReply(state, entry);
  const replied = confirmed || reply !== undefined;
  if (!replied) {
    // FEP-2: a reply while the entry message's window is open activates it.
    const activatable = at >= entry && at < deadline;
    return { ...NO_FEP, activatableUntil: activatable ? deadline : undefined };
  }
  // OPEN-1 (confirmed 2026-12-06): estimated from the activating reply. When the kept sends
  // cannot prove which send was first, from the entry message (never later than the reply).
  const anchor = reply?.exact === true ? reply.at : entry;
  const closesAt = anchor + (options.fepEstimateMs ?? fepEstimate(entry));
  return {
    open: at >= entry && at < closesAt,
    closesAt,
    source: "estimated",
    activatableUntil: undefined,
    confirmed,
  };
}

/**
 * What a decision needs to know of a valid zone, looked up once per decision: its name and the
 * instants its eras start (PRICE-1, OPEN-6), memoised (the data is static). Only zones
 * `isValidTimeZone` accepts are remembered, and it accepts more than IANA names (any case of
 * one, strings holding an offset such as `"+05:30"`), so the map is bounded: dropped whole at
 * 1,024 zones.
 *
 * @internal
 */
export interface ZoneInfo {
  readonly name: string;
  readonly eraStarts: readonly number[];
  /** The first instant of the US marketing pause in the zone (CONSENT-8, OPEN-6). */
  readonly usPauseFrom: number;
}

const zones = new Map<string, ZoneInfo>();

/** The {@link ZoneInfo} of a zone already known to be valid. */
function zoneInfo(name: string): ZoneInfo {
  let zone = zones.get(name);
  if (zone === undefined) {
    zone = {
      name,
      eraStarts: ERAS.map((e) => startOfDayIn(e.from, name)),
      usPauseFrom: startOfDayIn(POLICY_DATES.usMarketingPause, name),
    };
    if (zones.size >= 1024) zones.clear();
    zones.set(name, zone);
  }
  return zone;
}

const UTC_ZONE = zoneInfo("UTC");

/** The zone {@link resolveZone} answered last (only zones already known to be valid). */
let lastZone: ZoneInfo = UTC_ZONE;

/**
 * Resolves the account time zone (OPEN-6) and validates it: one map lookup once known. `field`
 * names the options object in errors (`options`, or `options.decide` for the timeline).
 */
export function resolveZone(options: DecideOptions, field = "options"): ZoneInfo {
  return zoneFor(options.timeZone, field);
}

/**
 * {@link resolveZone} of an `options.timeZone` already read (the decision's options check reads
 * each member once); `field` names the options object in errors.
 *
 * @internal
 */
export function zoneFor(tz: string | undefined, field: string): ZoneInfo {
  if (tz === undefined) return UTC_ZONE;
  if (tz === lastZone.name) return lastZone; // a service decides in one account zone
  const known = zones.get(tz);
  if (known !== undefined) {
    lastZone = known;
    return known;
  }
  if (typeof tz !== "string" || !isValidTimeZone(tz)) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field}.timeZone ${describe(tz)} is not an IANA time zone`,
      `${field}.timeZone`,
    );
  }
  return zoneInfo(tz);
}

/** Resolves the account time zone (OPEN-6) and validates it. */
export const resolveTimeZone = (options: DecideOptions): string => resolveZone(options).name;

/**
 * The pricing era in force at `at` in `timeZone` (PRICE-1, PRICE-2), or the pinned one.
 *
 * @example
 * ```ts
 * eraAt(Date.parse("2026-11-26T00:00:00Z")).id; //=> "pmp-service-tier-2026"
 * ```
 */
export const eraAt = (at: Instant, timeZone = "UTC", pin?: EraId | PricingEra): PricingEra =>
  eraIn(
    at,
    zones.get(timeZone) ??
      (isValidTimeZone(timeZone)
        ? zoneInfo(timeZone)
        : { name: timeZone, eraStarts: [], usPauseFrom: Number.NaN }),
    pin,
  );

/**
 * {@link eraAt} with the zone already looked up (the decision's hot path); `field` names the
 * options object in errors.
 */
export function eraIn(
  at: Instant,
  zone: ZoneInfo,
  pin?: EraId | PricingEra,
  field = "options",
): PricingEra {
  if (pin !== undefined) return pinnedEra(pin, field);
  // An unknown zone has no starts: the first era, as before (zones are validated upstream).
  const starts = zone.eraStarts;
  for (let i = starts.length - 1; i > 0; i--) {
    if (at >= (starts[i] as number)) return ERAS[i] as PricingEra;
  }
  return ERAS[0] as PricingEra;
}

/** The era `options.era` pins, checked (out of line: the hot path pins none). */
function pinnedEra(pin: EraId | PricingEra, field: string): PricingEra {
  if (typeof pin !== "string") {
    // A custom era is read deep inside pricing: its members are checked first (issue 10).
    checkEra(pin as unknown as Record<string, unknown>, `${field}.era`);
    return pin;
  }
  const found = ERAS.find((e) => e.id === pin);
  if (found === undefined) {
    throw new InvalidInputError(
      "invalid-argument",
      `${field}.era "${pin}" is not a known era`,
      `${field}.era`,
    );
  }
  return found;
}

export { isOn } from "./state.js";

/** The opt-out record that blocks `scope`, if any (CONSENT-4). */
export function blockingOptOut(
  state: ThreadState,
  scope: ConsentScope,
): { readonly scope: ConsentScope; readonly record: ConsentRecord } | undefined {
  const all = state.consent.all;
  if (scope !== "all") {
    const own = state.consent[scope];
    if (optOutHolds(own, all)) return { scope, record: own };
  }
  return optOutHolds(all, all) ? { scope: "all", record: all } : undefined;
}

/** The opt-in record covering `category`, if any (CONSENT-2). */
export function coveringOptIn(
  state: ThreadState,
  category: TemplateCategory,
): ConsentRecord | undefined {
  const own = state.consent[category];
  if (own?.action === "opt-in") return own;
  const all = state.consent.all;
  return all?.action === "opt-in" ? all : undefined;
}

/** ISO codes of the countries and territories on the +1 (NANP) calling code, for BSUIDs. */
const NANP: ReadonlySet<string> = new Set([
  "US",
  "CA",
  "PR",
  "VI",
  "GU",
  "AS",
  "MP",
  "AG",
  "AI",
  "BB",
  "BM",
  "BS",
  "DM",
  "DO",
  "GD",
  "JM",
  "KN",
  "KY",
  "LC",
  "MS",
  "SX",
  "TC",
  "TT",
  "VC",
  "VG",
]);

/**
 * A +1 customer id (CONSENT-8, OPEN-18): a phone number whose digits (ID-3: everything but the
 * digits stripped) are 1 + 10 digits, or a BSUID of a +1 country or territory.
 */
export function isNanpCustomer(customer: string | undefined): boolean {
  if (customer === undefined) return false;
  const dot = customer.indexOf(".");
  if (dot === 2) return NANP.has(customer.slice(0, 2));
  const digits = customer.replace(/\D/g, "");
  return digits.length === 11 && digits.charCodeAt(0) === 49; // "1"
}
