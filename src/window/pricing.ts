/**
 * What a message costs under an era (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, OPEN-5,
 * OPEN-7, OPEN-14). Says whether it is charged, never how much (rates are data, PRICE-6).
 *
 * @module
 */
import type { Instant, TemplateCategory } from "../domain/types.js";
import { POLICY_DATES, type PricingEra } from "../policy/eras.js";
import { startOfDayIn } from "../policy/time.js";
import type { PricingCategory, PricingInfo, ServiceTierInfo } from "./decision.js";

/**
 * What is being priced.
 *
 * @example
 * ```ts
 * const m: PricedMessage = { category: "service", reaction: false, directSend: false };
 * ```
 */
export interface PricedMessage {
  /** `service` for free-form; a template category; `unknown` for an uncatalogued template. */
  readonly category: PricingCategory;
  /** Reactions are free and never use up the tier (PRICE-4). */
  readonly reaction: boolean;
  /** A Direct Send (DIRECT-6), priced at its category's rate. */
  readonly directSend: boolean;
}

/**
 * The circumstances at delivery.
 *
 * @example
 * ```ts
 * const c: PricingContext = { windowOpen: true, fepOpen: false, at: Date.parse("2026-11-26T09:00:00Z") };
 * ```
 */
export interface PricingContext {
  readonly windowOpen: boolean;
  /** An FEP counts for pricing (open, or activated by this very reply, FEP-2). */
  readonly fepOpen: boolean;
  readonly at: Instant;
  readonly tier?: ServiceTierInfo | undefined;
  readonly governmentExempt?: boolean | undefined;
  /** First instant after the PRICE-8 exemption in the account's time zone. Default: UTC. */
  readonly governmentExemptUntil?: Instant | undefined;
  readonly directSendFreeInFep?: boolean | undefined;
}

const priced = (
  era: PricingEra,
  category: PricingCategory,
  charge: PricingInfo["charge"],
  type: PricingInfo["type"],
  note: string,
  tier?: ServiceTierInfo,
): PricingInfo =>
  tier === undefined
    ? { charge, category, type, era: era.id, note }
    : { charge, category, type, era: era.id, note, tier };

/** Notes of the charged-template rows of PRICE-4, built once. */
const CHARGED_IN_WINDOW: Readonly<Record<TemplateCategory, string>> = {
  marketing: "Marketing templates are charged (PRICE-4).",
  utility: "Utility templates are charged (PRICE-4).",
  authentication: "Authentication templates are charged (PRICE-4).",
};
const CHARGED_OUTSIDE: Readonly<Record<TemplateCategory, string>> = {
  marketing: "Marketing templates are charged outside a free entry point (PRICE-4).",
  utility: "Utility templates are charged outside a free entry point (PRICE-4).",
  authentication: "Authentication templates are charged outside a free entry point (PRICE-4).",
};

/**
 * Prices one message under `era`.
 *
 * @example
 * ```ts
 * priceMessage(era2026, { category: "utility", reaction: false, directSend: false },
 *   { windowOpen: true, fepOpen: false, at }).charge; //=> "charged"
 * ```
 */
export function priceMessage(
  era: PricingEra,
  message: PricedMessage,
  context: PricingContext,
): PricingInfo {
  const { category } = message;
  const service = category === "service" && !message.directSend;
  if (service && !context.windowOpen) {
    // PRICE-4 / CSW-11 / FEP-5: a free-form message outside the window is not allowed at all,
    // not even inside a free entry point.
    return priced(
      era,
      category,
      "unknown",
      "regular",
      "A free-form message cannot be delivered outside the 24-hour window, so it has no price (CSW-11).",
    );
  }
  if (era.model === "hsm") {
    // PRICE-23: in-window replies free; template notifications charged at an unknown rate.
    return service
      ? priced(
          era,
          category,
          "free",
          "free_customer_service",
          "Session replies were free in the 2019 care-window model (PRICE-23).",
        )
      : priced(
          era,
          category,
          "charged",
          "regular",
          "Template notifications were charged; the historical rate is not modelled (PRICE-23, OPEN-13).",
        );
  }
  if (context.fepOpen && !(message.directSend && context.directSendFreeInFep !== true)) {
    return priced(
      era,
      category,
      "free",
      "free_entry_point",
      "Delivered inside an open free entry point, so free (FEP-4).",
    );
  }
  if (era.model === "conversation") {
    if (service && context.windowOpen && era.id === "cbp-free-service-2024") {
      return priced(
        era,
        category,
        "free",
        "free_customer_service",
        "Service conversations were free from November 2024 (PRICE-23).",
      );
    }
    return priced(
      era,
      category,
      "unknown",
      "regular",
      "Conversation-based pricing charged 24-hour conversations, so a single message has no defined price (PRICE-23).",
    );
  }
  if (message.directSend) {
    return priced(
      era,
      category,
      "charged",
      "regular",
      message.directSend && context.fepOpen
        ? "Direct Send inside an FEP is treated as charged until Meta says otherwise (OPEN-7)."
        : "Direct Send is charged at its category's rate (DIRECT-6).",
    );
  }
  if (category === "unknown") {
    return priced(
      era,
      category,
      "charged",
      "regular",
      "The template's category is unknown, so it is treated as charged (OPEN-14).",
    );
  }
  if (service) {
    if (message.reaction) {
      return priced(
        era,
        category,
        "free",
        "free_customer_service",
        "Reactions are free and do not use up the service tier (PRICE-4).",
      );
    }
    if (era.serviceTier === null) {
      return priced(
        era,
        category,
        "free",
        "free_customer_service",
        "Service messages inside the window are free in this era (PRICE-4).",
      );
    }
    const tier = context.tier;
    if (tier === undefined) {
      return priced(
        era,
        category,
        "unknown",
        "free_customer_service",
        `Free within the first ${era.serviceTier} service messages of the month, but this month's usage was not given (PRICE-5, OPEN-5).`,
      );
    }
    if (tier.used < tier.limit) {
      return priced(
        era,
        category,
        "free",
        "free_customer_service",
        `Free: ${tier.used} of ${tier.limit} free service messages used in ${tier.month} (PRICE-5).`,
        tier,
      );
    }
    if (
      context.governmentExempt === true &&
      context.at <
        (context.governmentExemptUntil ?? startOfDayIn(POLICY_DATES.governmentExemptUntil, "UTC"))
    ) {
      return priced(
        era,
        category,
        "free",
        "regular",
        "Beyond the free tier, but exempt as a government or non-profit sender (PRICE-8).",
        tier,
      );
    }
    return priced(
      era,
      category,
      "charged",
      "regular",
      `Charged at the utility rate: all ${tier.limit} free service messages of ${tier.month} are used (PRICE-5, PRICE-6).`,
      tier,
    );
  }
  const templateCategory = category as TemplateCategory;
  if (templateCategory === "utility" && context.windowOpen) {
    return era.utilityInWindow === "free"
      ? priced(
          era,
          category,
          "free",
          "free_customer_service",
          "Utility templates inside an open window are free in this era (PRICE-4).",
        )
      : priced(
          era,
          category,
          "charged",
          "regular",
          "Utility templates inside the window are charged from 2026-10-01 (PRICE-4).",
        );
  }
  return priced(
    era,
    category,
    "charged",
    "regular",
    (context.windowOpen ? CHARGED_IN_WINDOW : CHARGED_OUTSIDE)[templateCategory],
  );
}
