/**
 * The evaluated facts the rule table's predicates read: window, FEP, consent, era, intent and
 * channel, computed once per decision. Pure; no clock, no I/O.
 *
 * @module
 * @internal
 */
import type { Instant, Intent, TemplateCategory } from "../domain/types.js";
import type { BillingCurrencyRule } from "../policy/account.js";
import type { PricingEra } from "../policy/eras.js";
import type { SocialChannel, UpdateTag } from "../policy/social.js";
import { grantedUpdateTags } from "../policy/social.js";
import {
  accountLimit,
  billingStop,
  pageRestriction,
  readAccount,
  refusedTags,
  usPauseCovers,
} from "./account.js";
import type { BlockedReason, ServiceTierInfo, TemplateReason } from "./decision.js";
import {
  blockingOptOut,
  coveringOptIn,
  eraIn,
  evaluateFep,
  type FepEval,
  isOn,
  toInstant,
  type ZoneInfo,
} from "./evaluate.js";
import type { HostRule } from "./host.js";
import type { DecideOptions, SocialOptions } from "./options.js";
import type { PricedCase } from "./pricing.js";
import { socialOptions } from "./social-options.js";
import type { ThreadState } from "./state.js";
import { tierInfo } from "./tier.js";
import { socialWindow, type WindowEval, whatsappWindow } from "./window.js";

/** Consent is checked for templates in this order; the first allowed prices a replacement. */
export const TEMPLATE_ORDER: readonly TemplateCategory[] = [
  "utility",
  "authentication",
  "marketing",
];

/** Validated inputs shared by every channel. */
export interface DecideContext {
  readonly state: ThreadState;
  readonly intent: Intent;
  readonly at: Instant;
  readonly options: DecideOptions;
  readonly timeZone: string;
  /** The account zone, looked up once (`timeZone` is its name). */
  readonly zone: ZoneInfo;
  readonly hostRules: readonly HostRule[];
}

/** What the consent check can answer: the reasons of the consent lanes (CONSENT-2 … 8). */
export type ConsentBlocker = Extract<
  BlockedReason,
  | "opted-out"
  | "marketing-stopped"
  | "marketing-limited"
  | "us-marketing-paused"
  | "category-unknown"
  | "no-opt-in"
>;

/**
 * The facts a WhatsApp lane of the rule table names as the condition it holds on (`Lane.holds`):
 * each is one bit of {@link WaFacts.signals}, set once per decision here, so that the runner
 * tests a bit per lane instead of calling a predicate per lane (a call costs ≈ 100 instructions,
 * the whole decision about 2,000; docs/benchmarks.md).
 *
 * - `business-blocked`: the business blocked the customer (CONSENT-9).
 * - `billing-stop`: a billing-currency requirement stops every send (PRICE-25).
 * - `account-limited`: the 131064 limit is in force and the send is business-initiated (ERR-30).
 * - a {@link ConsentBlocker}: the consent check's answer is that reason (CONSENT-2 … 8).
 * - `window-open`: the customer service window is open (CSW-2).
 * - a {@link TemplateReason}: the window is not open, for that reason (CSW-11, CSW-12).
 * - `no-payment-method`: the host says no payment method is on file (OPEN-8, PRICE-7).
 */
export type WaSignal =
  | "business-blocked"
  | "billing-stop"
  | "account-limited"
  | ConsentBlocker
  | "window-open"
  | TemplateReason
  | "no-payment-method";

/** The bit of each {@link WaSignal} in {@link WaFacts.signals}; a missing or extra one does not compile. */
export const SIGNAL = {
  "business-blocked": 1 << 0,
  "billing-stop": 1 << 1,
  "account-limited": 1 << 2,
  "opted-out": 1 << 3,
  "marketing-stopped": 1 << 4,
  "marketing-limited": 1 << 5,
  "us-marketing-paused": 1 << 6,
  "category-unknown": 1 << 7,
  "no-opt-in": 1 << 8,
  "window-open": 1 << 9,
  "no-inbound": 1 << 10,
  "window-closed-by-error": 1 << 11,
  "window-closed": 1 << 12,
  "no-payment-method": 1 << 13,
} as const satisfies Record<WaSignal, number>;

/** The facts of a WhatsApp decision. */
export interface WaFacts {
  readonly channel: "whatsapp";
  readonly ctx: DecideContext;
  readonly era: PricingEra;
  readonly w: WindowEval;
  readonly fep: FepEval;
  readonly onboarded: boolean;
  /** The business blocked the customer (CONSENT-9). */
  readonly businessBlocked: boolean;
  /** A plain free-form message (not a Direct Send). */
  readonly freeForm: boolean;
  /** What stops the intent consent-wise (hard stops first), if anything (CONSENT-2 … 8). */
  readonly blocker: ConsentBlocker | undefined;
  /** The template a free-form message outside the window becomes, if one may go (CSW-11). */
  readonly replacement: TemplateCategory | undefined;
  /** Why the window is not open, when it is not. */
  readonly closed: TemplateReason;
  /** The FEP counts for pricing (OPEN-4 `fepRequirePlatform` honoured). */
  readonly fepFree: boolean;
  readonly tier: ServiceTierInfo | undefined;
  /** The billing-currency requirement that stops every send, if any (PRICE-25). */
  readonly billing: BillingCurrencyRule | undefined;
  /** The 131064 account limit in force, if any (ERR-30). */
  readonly accountLimit: { readonly since?: Instant; readonly until?: Instant } | undefined;
  /**
   * A business-initiated send (ERR-30): a template, a Direct Send, or a free-form message that
   * would have to become a template because the window is not open.
   */
  readonly businessInitiated: boolean;
  /** The {@link WaSignal}s that hold, as {@link SIGNAL} bits: what the table's lanes test. */
  readonly signals: number;
}

/** The facts of a Messenger / Instagram decision. */
export interface SocialFacts {
  readonly channel: SocialChannel;
  readonly ctx: DecideContext;
  readonly social: SocialOptions;
  readonly w: WindowEval;
  /** Update tags the host re-enabled for `at` (OPEN-10), minus those Meta refused (ERR-32). */
  readonly granted: readonly UpdateTag[];
  /** Update tags Meta refused with code 100 from 2026-04-27: never offered again (ERR-32). */
  readonly refused: readonly UpdateTag[];
  /** The page restriction in force, if any (ERR-33). */
  readonly pageRestricted: { readonly since?: Instant } | undefined;
  /** Consent scope of the intent (TPL-7 / OPEN-14: unknown → marketing). */
  readonly scope: "all" | TemplateCategory;
  readonly businessBlocked: boolean;
  /** An opt-out covers the intent's scope (CONSENT-4). */
  readonly optedOut: boolean;
  /** A marketing intent and the customer stopped marketing (CONSENT-5). */
  readonly marketingStopped: boolean;
  /** Open only thanks to the ad-originated window (MSG-2). */
  readonly inAdExtension: boolean;
}

/** The facts of either channel, tagged by `channel`. */
export type Facts = WaFacts | SocialFacts;

/** A decision's facts plus the price its lane got (absent for blocked outcomes). */
export interface Priced<F> {
  readonly facts: F;
  readonly price: PricedCase | undefined;
}

/** The consent scope an intent is checked under (TPL-7 / OPEN-14: unknown → marketing). */
export function scopeOf(intent: Intent): "all" | TemplateCategory {
  if (intent.kind === "template") {
    return intent.category === "unknown" ? "marketing" : intent.category;
  }
  return intent.directSend ?? "all";
}

/** What stops a template of `category` at `at`, consent-wise (hard stops first), if anything. */
export function templateBlocker(
  ctx: DecideContext,
  category: TemplateCategory,
  windowOpen: boolean,
): ConsentBlocker | undefined {
  const { state, options, at } = ctx;
  // CONSENT-4: an opt-out blocks its scope.
  if (blockingOptOut(state, category) !== undefined) return "opted-out";
  if (category === "marketing") {
    if (isOn(state.marketing)) return "marketing-stopped"; // CONSENT-5 / CONSENT-6
    // CONSENT-7 / ERR-6.
    if (state.marketingLimitedUntil !== undefined && at < state.marketingLimitedUntil) {
      return "marketing-limited";
    }
    // CONSENT-8 / OPEN-18: US area codes only (Canada and the Caribbean are not covered).
    if (at >= ctx.zone.usPauseFrom && usPauseCovers(options)) return "us-marketing-paused";
  }
  // CONSENT-3: a reply inside a user-opened window needs no record; CONSENT-2 / OPEN-17 otherwise.
  if (
    !windowOpen &&
    options.requireOptIn !== false &&
    coveringOptIn(state, category) === undefined
  ) {
    return "no-opt-in";
  }
  return undefined;
}

/** The first template category that may go outside the window, if any (CSW-11). */
export const firstAllowedTemplate = (ctx: DecideContext): TemplateCategory | undefined =>
  TEMPLATE_ORDER.find((c) => templateBlocker(ctx, c, false) === undefined);

function consentBlocker(
  ctx: DecideContext,
  w: WindowEval,
  replacement: TemplateCategory | undefined,
): ConsentBlocker | undefined {
  const { intent, state } = ctx;
  if (intent.kind === "free-form" && intent.directSend === undefined) {
    // CONSENT-4: an opt-out of everything blocks replies too.
    if (blockingOptOut(state, "all") !== undefined) return "opted-out";
    if (w.open || replacement !== undefined) return undefined;
    // No template may go either: the reason is what stops the usual replacement, a utility one.
    return templateBlocker(ctx, "utility", false) ?? "no-opt-in";
  }
  const blocker = templateBlocker(ctx, scopeOf(intent) as TemplateCategory, w.open);
  // CONSENT-8 / TPL-7: an uncatalogued template is held back because it *may* be marketing.
  return blocker === "us-marketing-paused" &&
    intent.kind === "template" &&
    intent.category === "unknown"
    ? "category-unknown"
    : blocker;
}

/** Evaluates the facts of a WhatsApp decision. */
export function whatsappFacts(ctx: DecideContext): WaFacts {
  const { state, intent, at, options } = ctx;
  const era = eraIn(at, ctx.zone, options.era);
  const onboardedAt =
    options.onboardedAt === undefined
      ? undefined
      : toInstant(options.onboardedAt, "options.onboardedAt");
  const w = whatsappWindow(state, at, options, onboardedAt);
  const fep = evaluateFep(state, at, options, era);
  const freeForm = intent.kind === "free-form" && intent.directSend === undefined;
  const replacement = freeForm && !w.open ? firstAllowedTemplate(ctx) : undefined;
  const account = readAccount(options);
  const businessBlocked = isOn(state.blocked);
  const blocker = consentBlocker(ctx, w, replacement);
  const closed: TemplateReason =
    w.lastInbound === undefined
      ? "no-inbound"
      : w.closedByError
        ? "window-closed-by-error"
        : "window-closed";
  const billing = billingStop(account, at, ctx.timeZone);
  const limit = accountLimit(state, account, at);
  const businessInitiated = !freeForm || !w.open;
  // The count is read before `paymentMethodOnFile` below, as the price lane did (host getters).
  const tier = tierInfo(options.serviceTier, at, ctx.timeZone, era);
  // The signals the table's lanes test (WaSignal): one bit each, set from the facts above.
  let signals = w.open ? SIGNAL["window-open"] : SIGNAL[closed];
  if (businessBlocked) signals |= SIGNAL["business-blocked"];
  if (billing !== undefined) signals |= SIGNAL["billing-stop"];
  if (limit !== undefined && businessInitiated) signals |= SIGNAL["account-limited"];
  if (blocker !== undefined) signals |= SIGNAL[blocker];
  if (options.paymentMethodOnFile === false) signals |= SIGNAL["no-payment-method"];
  return {
    channel: "whatsapp",
    ctx,
    era,
    w,
    fep,
    onboarded: onboardedAt !== undefined,
    businessBlocked,
    freeForm,
    blocker,
    replacement,
    closed,
    fepFree:
      options.fepRequirePlatform === true
        ? fep.open && fep.confirmed
        : fep.open || (w.open && fep.activatableUntil !== undefined),
    tier,
    billing,
    accountLimit: limit,
    businessInitiated,
    signals,
  };
}

/** Evaluates the facts of a Messenger / Instagram decision. */
export function socialFacts(ctx: DecideContext): SocialFacts {
  const channel: SocialChannel = ctx.state.channel ?? "messenger";
  const social = socialOptions(ctx.options.social);
  const { state, at } = ctx;
  const w = socialWindow(state, at, ctx.options, social);
  const scope = ctx.intent.kind === "template" ? scopeOf(ctx.intent) : "all";
  const refused = refusedTags(state, ctx.timeZone);
  return {
    channel,
    ctx,
    social,
    w,
    granted: grantedUpdateTags(channel, at, social.updateTags).filter((t) => !refused.includes(t)),
    refused,
    pageRestricted: pageRestriction(state, readAccount(ctx.options)),
    scope,
    businessBlocked: isOn(state.blocked),
    optedOut: blockingOptOut(state, scope) !== undefined,
    marketingStopped: scope === "marketing" && isOn(state.marketing),
    inAdExtension:
      w.open && w.adEnd !== undefined && w.standardEnd !== undefined && at >= w.standardEnd,
  };
}
