/**
 * Account- and page-level facts of a decision, as of the rulebook check of 2026-12-06: the US
 * marketing pause by area code (CONSENT-8, OPEN-18), India's billing currency (PRICE-25), the
 * 131064 account limit (ERR-30), the page restriction 10 / 1893063 (ERR-33) and refused update
 * tags (ERR-32). Each reads the folded state and the host's options at an instant.
 *
 * Pure: no clock, no I/O, no zod.
 *
 * @module
 * @internal
 */
import { InvalidInputError } from "../domain/errors.js";
import type { Instant } from "../domain/types.js";
import { BILLING_CURRENCY_RULES, type BillingCurrencyRule } from "../policy/account.js";
import { SOCIAL_DATES, type UpdateTag } from "../policy/social.js";
import { startOfDayIn } from "../policy/time.js";
import { isUsCustomer } from "../policy/us-area-codes.js";
import type { AccountOptions, DecideOptions } from "./options.js";
import type { RefusableTag, ThreadState } from "./state.js";

const fail = (field: string, message: string): never => {
  throw new InvalidInputError("invalid-argument", `${field} ${message}`, field);
};

/** Epoch ms of an optional `Date` / number option, or a typed error naming the field. */
function optionalInstant(value: unknown, field: string): Instant | undefined {
  if (value === undefined) return undefined;
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isFinite(ms)) {
    return fail(field, "must be a valid Date or a finite epoch-millisecond number");
  }
  return ms;
}

/**
 * `options.account`, validated, with its instants as epoch ms.
 *
 * @example
 * ```ts
 * readAccount({ account: { country: "IN", billingCurrency: "USD" } }).country; //=> "IN"
 * ```
 */
export interface AccountView {
  readonly country: string | undefined;
  readonly billingCurrency: string | undefined;
  readonly limitedUntil: Instant | undefined;
  readonly pageRestricted: boolean;
  readonly clearedAt: Instant | undefined;
}

const NO_ACCOUNT: AccountView = {
  country: undefined,
  billingCurrency: undefined,
  limitedUntil: undefined,
  pageRestricted: false,
  clearedAt: undefined,
};

/**
 * Validates `options.account`; throws {@link InvalidInputError} naming the field.
 *
 * @example
 * ```ts
 * readAccount({}).pageRestricted; //=> false
 * readAccount({ account: { country: 7 } }); // throws, field "options.account.country"
 * ```
 */
export function readAccount(options: DecideOptions): AccountView {
  const raw: unknown = options.account;
  // Small on the hot path (V8 inlines it into the facts); the checks are out of line.
  return raw === undefined ? NO_ACCOUNT : accountOf(raw);
}

/** {@link readAccount} of a given `options.account`. */
function accountOf(raw: unknown): AccountView {
  const f = "options.account";
  if (typeof raw !== "object" || raw === null) return fail(f, "must be an object");
  const a = raw as Record<keyof AccountOptions, unknown>;
  for (const key of ["country", "billingCurrency"] as const) {
    if (a[key] !== undefined && typeof a[key] !== "string") fail(`${f}.${key}`, "must be a string");
  }
  if (a.pageRestricted !== undefined && typeof a.pageRestricted !== "boolean") {
    fail(`${f}.pageRestricted`, "must be a boolean");
  }
  return {
    country: (a.country as string | undefined)?.toUpperCase(),
    billingCurrency: (a.billingCurrency as string | undefined)?.toUpperCase(),
    limitedUntil: optionalInstant(a.limitedUntil, `${f}.limitedUntil`),
    pageRestricted: a.pageRestricted === true,
    clearedAt: optionalInstant(a.restrictionsClearedAt, `${f}.restrictionsClearedAt`),
  };
}

/**
 * The billing-currency requirement that stops every send at `at`, if any (PRICE-25). Nothing
 * applies unless the host states both the country and the billing currency.
 *
 * @example
 * ```ts
 * const india = readAccount({ account: { country: "IN", billingCurrency: "USD" } });
 * billingStop(india, Date.parse("2027-01-01T00:00:00Z"), "UTC")?.currency; //=> "INR"
 * billingStop(india, Date.parse("2026-12-31T23:59:59Z"), "UTC");           //=> undefined
 * ```
 */
export function billingStop(
  account: AccountView,
  at: Instant,
  timeZone: string,
): BillingCurrencyRule | undefined {
  const { country, billingCurrency } = account;
  if (country === undefined || billingCurrency === undefined) return undefined;
  return billingRule(country, billingCurrency, at, timeZone);
}

/** {@link billingStop} for a stated country and currency (out of line: the hot path has none). */
function billingRule(
  country: string,
  billingCurrency: string,
  at: Instant,
  timeZone: string,
): BillingCurrencyRule | undefined {
  for (const rule of BILLING_CURRENCY_RULES) {
    if (rule.country !== country || rule.currency === billingCurrency) continue;
    if (at >= startOfDayIn(rule.from, timeZone)) return rule;
  }
  return undefined;
}

/**
 * The 131064 account limit in force at `at` (ERR-30): `until` when an end is known, absent when
 * it lasts until the host clears it (`account.restrictionsClearedAt`). `undefined` when none.
 *
 * @example
 * ```ts
 * accountLimit(state, readAccount({}), now); //=> { since: 1_795_683_600_000, until: 1_795_770_000_000 }
 * ```
 */
export function accountLimit(
  state: ThreadState,
  account: AccountView,
  at: Instant,
): { readonly since?: Instant; readonly until?: Instant } | undefined {
  const seen = state.accountLimited;
  // The usual thread: no limit seen, none declared (the rest is out of line).
  if (seen === undefined && account.limitedUntil === undefined) return undefined;
  return limitOf(seen, account, at);
}

/** {@link accountLimit} once a limit was seen or declared. */
function limitOf(
  seen: ThreadState["accountLimited"],
  account: AccountView,
  at: Instant,
): { readonly since?: Instant; readonly until?: Instant } | undefined {
  let since: Instant | undefined;
  let until: Instant | undefined;
  let open = false; // a limit without a known end
  const cleared = account.clearedAt;
  if (seen !== undefined && !(cleared !== undefined && cleared >= seen.at)) {
    if (seen.until !== undefined && seen.until > seen.at) {
      if (at < seen.until) {
        since = seen.at;
        until = seen.until;
      }
    } else {
      since = seen.at;
      open = true;
    }
  }
  if (account.limitedUntil !== undefined && at < account.limitedUntil) {
    until = until === undefined || account.limitedUntil > until ? account.limitedUntil : until;
  }
  if (open) return since === undefined ? {} : { since };
  if (until === undefined) return undefined;
  return since === undefined ? { until } : { since, until };
}

/**
 * The page restriction in force (ERR-33): from a 10 / 1893063 folded into the thread and not
 * cleared by the host since, or declared by the host (`account.pageRestricted`).
 *
 * @example
 * ```ts
 * pageRestriction(state, readAccount({ account: { pageRestricted: true } })); //=> {}
 * ```
 */
export function pageRestriction(
  state: ThreadState,
  account: AccountView,
): { readonly since?: Instant } | undefined {
  const seen = state.pageRestrictedAt;
  const cleared = account.clearedAt;
  if (seen !== undefined && !(cleared !== undefined && cleared >= seen)) return { since: seen };
  return account.pageRestricted ? {} : undefined;
}

/**
 * Update tags Meta refused with code 100 on or after 2026-04-27 (00:00 in the account's time
 * zone): never offered again on this thread (ERR-32, MSG-5).
 *
 * @example
 * ```ts
 * refusedTags(state, "UTC"); //=> ["ACCOUNT_UPDATE"]
 * ```
 */
export function refusedTags(state: ThreadState, timeZone: string): UpdateTag[] {
  const refused = state.tagRefusedAt;
  if (refused === undefined) return [];
  const from = startOfDayIn(SOCIAL_DATES.updateTagsRetiredReported, timeZone);
  const out: UpdateTag[] = [];
  for (const tag of Object.keys(refused) as RefusableTag[]) {
    const at = refused[tag];
    if (at !== undefined && at >= from) out.push(tag);
  }
  return out;
}

/**
 * Whether the US marketing pause covers the decision's customer (CONSENT-8, OPEN-18): `false`
 * when switched off or when no customer id is known; the host's resolver when given; otherwise a
 * +1 number with a US area code, or a `US.` BSUID.
 *
 * @example
 * ```ts
 * usPauseCovers({ customer: "12125550100" }); //=> true  (New York)
 * usPauseCovers({ customer: "14165550100" }); //=> false (Toronto)
 * usPauseCovers({ customer: "14165550100", usMarketingPause: () => true }); //=> true
 * ```
 */
export function usPauseCovers(options: DecideOptions): boolean {
  const pause: unknown = options.usMarketingPause;
  if (pause === false) return false;
  const customer = options.customer;
  if (typeof pause === "function") {
    if (customer === undefined) return false;
    const covered: unknown = pause(customer);
    if (typeof covered !== "boolean") {
      return fail("options.usMarketingPause", "must return a boolean");
    }
    return covered;
  }
  if (pause !== undefined && pause !== true) {
    return fail(
      "options.usMarketingPause",
      "must be a boolean or a function (customer) => boolean",
    );
  }
  return isUsCustomer(customer);
}
