/**
 * Options of {@link decide}: every uncertain rule of the rulebook is an option here, with the
 * conservative default that its OPEN- entry names.
 *
 * @module
 */
import type { Instant } from "../domain/types.js";
import type { EraId, PricingEra } from "../policy/eras.js";
import type { UpdateTagGrant } from "../policy/social.js";
import type { HostRule } from "./host.js";

/**
 * Inbound kinds whose effect on the window Meta never states (OPEN-3). All off by default.
 *
 * @example
 * ```ts
 * const open: UncertainInbound = "reaction";
 * ```
 */
export type UncertainInbound =
  | "reaction"
  | "system"
  | "welcome"
  | "unsupported"
  | "edit"
  | "revoke"
  | "callPermission"
  | "other";

/**
 * Messenger / Instagram user actions besides messages, each switchable (OPEN-20).
 *
 * @example
 * ```ts
 * const a: SocialAction = "postback";
 * ```
 */
export type SocialAction = "postback" | "reaction" | "referral" | "storyMention" | "read" | "optin";

/**
 * Options for Messenger and Instagram threads (MSG-*, IG-*, OPEN-10, OPEN-20).
 *
 * @example
 * ```ts
 * const o: SocialOptions = { adWindow: "7d", openOn: { postback: true } };
 * ```
 */
export interface SocialOptions {
  /** Length of an ad-originated window (MSG-2, OPEN-20). Default `"24h"`. */
  readonly adWindow?: "24h" | "7d";
  /**
   * Actions besides messages that open the window (OPEN-20): `referral` and `postback` are on by
   * default (since 2026-12-06), `reaction`, `storyMention`, `read` and `optin` off; each switchable.
   */
  readonly openOn?: Readonly<Partial<Record<SocialAction, boolean>>>;
  /**
   * The app has the Human Agent permission (App Review, MSG-4). Default `true`; `false` means
   * nothing is proposed after the standard window.
   */
  readonly humanAgent?: boolean;
  /**
   * Re-enable CONFIRMED_EVENT_UPDATE / POST_PURCHASE_UPDATE / ACCOUNT_UPDATE for a date range
   * (OPEN-10). Default none: only HUMAN_AGENT is ever proposed. Granted tags are reported in the
   * explanation and notes of a refused automated send; never applied to templates (MSG-3) or to
   * Instagram's CONFIRMED_EVENT_UPDATE (IG-3).
   */
  readonly updateTags?: readonly UpdateTagGrant[];
}

/**
 * What the host knows about the business account (WhatsApp) or page (Messenger / Instagram).
 * Nothing changes without it.
 *
 * @example
 * ```ts
 * const account: AccountOptions = { country: "IN", billingCurrency: "USD" };
 * ```
 */
export interface AccountOptions {
  /**
   * ISO 3166-1 alpha-2 country the business is based in. With `billingCurrency`: an India-based
   * account not billed in INR is `blocked` (`account-billing`) from 2027-01-01 (PRICE-25).
   */
  readonly country?: string;
  /** ISO 4217 currency the WhatsApp Business Account is billed in (PRICE-25). */
  readonly billingCurrency?: string;
  /**
   * 131064 seen on another thread of the account: business-initiated sends (templates, Direct
   * Send) are `blocked` (`account-limited`) until this instant (ERR-30).
   */
  readonly limitedUntil?: Instant | Date;
  /** 10 / 1893063 seen on another thread of the page: every send is `blocked` (ERR-33). */
  readonly pageRestricted?: boolean;
  /**
   * The host cleared the account's or page's restriction at this instant: a 131064 without a
   * known end and a 10 / 1893063 folded into a thread at or before it no longer apply (ERR-30,
   * ERR-33).
   */
  readonly restrictionsClearedAt?: Instant | Date;
}

/**
 * Options of {@link decide}. Every member is optional; the defaults are the rulebook's
 * conservative choices.
 *
 * @example
 * ```ts
 * const options: DecideOptions = {
 *   requireOptIn: true,
 *   timeZone: "America/Sao_Paulo",
 *   serviceTier: { used: 640 },
 *   openWindowOn: { reaction: true },
 * };
 * ```
 */
export interface DecideOptions {
  /** A template outside an open window needs a recorded opt-in (OPEN-17). Default `true`. */
  readonly requireOptIn?: boolean;
  /** Milliseconds subtracted from the window's end (OPEN-2). Default `0`. */
  readonly safetyMarginMs?: number;
  /** A host clock behind Meta's (`now` < T) counts as open (OPEN-2). Default `true`. */
  readonly openWhenClockBehind?: boolean;
  /** Uncertain inbound kinds that open the window (OPEN-3). All off by default. */
  readonly openWindowOn?: Readonly<Partial<Record<UncertainInbound, boolean>>>;
  /** Estimated FEP length when the platform has not said (OPEN-1). Default: the era's (72 h). */
  readonly fepEstimateMs?: number;
  /** Count legacy `post` referrals as FEP entries (OPEN-4). Default `false`. */
  readonly fepFromPostReferral?: boolean;
  /** Price as free only with platform FEP evidence (OPEN-4). Default `false`. */
  readonly fepRequirePlatform?: boolean;
  /** The account's IANA time zone for era boundaries and monthly resets (OPEN-6). Default UTC. */
  readonly timeZone?: string;
  /** Pin a pricing era by id, or supply a custom one (PRICE-2). Default: the era at `now`. */
  readonly era?: EraId | PricingEra;
  /**
   * Month-to-date delivered service messages of this number (PRICE-5, OPEN-5). `seenOnly`: the
   * count covers only what one store has seen (the service sets it), which the notes then say.
   */
  readonly serviceTier?: {
    readonly used: number;
    readonly month?: string;
    readonly seenOnly?: boolean;
  };
  /** A valid payment method is on file (OPEN-8, PRICE-7). Default `true`. */
  readonly paymentMethodOnFile?: boolean;
  /** The government / non-profit exemption applies (PRICE-8). Default `false`. */
  readonly governmentExempt?: boolean;
  /** The account may use Direct Send (DIRECT-2). Default `false`. */
  readonly directSendEligible?: boolean;
  /** Treat Direct Send inside an open FEP as free (OPEN-7). Default `false`. */
  readonly directSendFreeInFep?: boolean;
  /**
   * The US marketing pause (CONSENT-8, OPEN-18). Default `true`: +1 numbers with a US area code
   * (the dated list in `US_AREA_CODES_BY_STATE`) and `US.` BSUIDs; Canada and the Caribbean are
   * not covered. `false` switches it off; a resolver `(customer) => boolean` decides for the
   * numbers the host knows better (it must return a boolean).
   */
  readonly usMarketingPause?: boolean | ((customer: string) => boolean);
  /** What the host knows about the business account or page (PRICE-25, ERR-30, ERR-33). */
  readonly account?: AccountOptions;
  /** Cloud API onboarding instant of the number: earlier inbound does not count (CSW-14, OPEN-19). */
  readonly onboardedAt?: Instant | Date;
  /**
   * Periods in which the number was deregistered from the Cloud API, `[from, until)` (OPEN-19).
   * When the latest qualifying inbound falls inside one, it does not count and the window is
   * treated as closed (an earlier inbound, if any, is older and its window ends sooner).
   */
  readonly deregistered?: readonly {
    readonly from: Instant | Date;
    readonly until: Instant | Date;
  }[];
  /** Customer id used for market checks (CONSENT-8), when the state's thread id is not given. */
  readonly customer?: string;
  /** Messenger / Instagram options. */
  readonly social?: SocialOptions;
  /**
   * The host's own rules ({@link quietHours}, {@link marketingCooldown} or yours), run after
   * Meta's: they can only hold back a send Meta allows (reason `host-rule`). Default none.
   */
  readonly rules?: readonly HostRule[];
}
