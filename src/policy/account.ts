/**
 * Account-level policy as dated data (PRICE-24, PRICE-25, ERR-30 … ERR-33): what the business
 * account's country, billing currency and enforcement state change, and from when.
 *
 * Pure data; no clock, no zod.
 *
 * @module
 */
import { FROGGY } from "./sources.js";

/**
 * A billing-currency requirement by country (PRICE-25): from `from` (00:00 in the account's time
 * zone, OPEN-6), messages from accounts based in `country` that are not billed in `currency` are
 * not delivered.
 *
 * @example
 * ```ts
 * const r: BillingCurrencyRule = { country: "IN", currency: "INR", from: "2027-01-01", rules: ["PRICE-25"], source: "…" };
 * ```
 */
export interface BillingCurrencyRule {
  /** ISO 3166-1 alpha-2 country code. */
  readonly country: string;
  /** ISO 4217 currency code the account must be billed in. */
  readonly currency: string;
  /** First day the requirement applies, `YYYY-MM-DD`. */
  readonly from: string;
  readonly rules: readonly string[];
  readonly source: string;
}

/**
 * The billing-currency requirements known as of the rulebook check of 2026-12-06 (PRICE-25):
 * India-based accounts must be billed in INR from 2027-01-01.
 *
 * @example
 * ```ts
 * BILLING_CURRENCY_RULES[0]?.currency; //=> "INR"
 * ```
 */
export const BILLING_CURRENCY_RULES: readonly BillingCurrencyRule[] = [
  {
    country: "IN",
    currency: "INR",
    from: "2027-01-01",
    rules: ["PRICE-25"],
    source: FROGGY,
  },
];

/**
 * Other dated account-level facts.
 *
 * @example
 * ```ts
 * ACCOUNT_DATES.paidExemptFrom; //=> "2026-10-12"
 * ```
 */
export const ACCOUNT_DATES = {
  /** PRICE-24: statuses report `pricing.subtype: "paid_exempt"` from this day. */
  paidExemptFrom: "2026-10-12",
  /** ERR-30: error 131064 (template classification violations) was added on this day. */
  accountLimitedCodeFrom: "2026-04-17",
  /** ERR-33: error 10 / 1893063 ("Page temporarily restricted") was reported from this day. */
  pageRestrictedCodeFrom: "2026-06-25",
} as const;

/**
 * Error codes with an account- or page-level effect (ERR-30, ERR-31, ERR-32, ERR-33).
 *
 * @example
 * ```ts
 * ACCOUNT_ERRORS.pageRestricted; //=> { code: 10, subcode: 1893063 }
 * ```
 */
export const ACCOUNT_ERRORS = {
  /** ERR-30: business-initiated sends from the account stop until the enforcement ends. */
  accountLimited: { code: 131064 },
  /** ERR-31: Messenger / Instagram "outside of allowed window" (reported subcode 2018278). */
  outsideWindow: { code: 10, subcode: 2018278 },
  /** ERR-32: a deprecated message tag, after 2026-04-27. */
  deprecatedTag: { code: 100 },
  /** ERR-33: the page is temporarily restricted. */
  pageRestricted: { code: 10, subcode: 1893063 },
} as const;
