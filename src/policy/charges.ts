/**
 * What each pricing era charges, as data: an ordered list of (category, window, FEP, tier)
 * cases per era, first match wins (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, FEP-4, OPEN-7,
 * OPEN-14). `priceMessage` only reads these; no era is special-cased anywhere else.
 *
 * @module
 */
import type { DecisionRuleId } from "./rules.js";

/**
 * What a priced message is, for matching a {@link ChargeCase}: a free-form `service` message, a
 * `reaction`, a `direct-send` (DIRECT-6), a template of a category, or an `unknown`-category
 * template (OPEN-14).
 *
 * @example
 * ```ts
 * const k: ChargeKind = "utility";
 * ```
 */
export type ChargeKind =
  | "service"
  | "reaction"
  | "direct-send"
  | "unknown"
  | "marketing"
  | "utility"
  | "authentication";

/**
 * Where the monthly service tier stands for a service message (PRICE-5, PRICE-8): `none` when
 * the era has no tier, `unknown` when this month's usage was not given, `within` / `beyond` the
 * free messages, `exempt` beyond them but under the PRICE-8 exemption.
 *
 * @example
 * ```ts
 * const t: ChargeTier = "within";
 * ```
 */
export type ChargeTier = "none" | "unknown" | "within" | "beyond" | "exempt";

/**
 * Values a charge note may read: the tier count, the era's first day in words, the category.
 *
 * @example
 * ```ts
 * const v: ChargeNoteVars = { used: 12, limit: 1000, month: "2026-11", from: () => "2026-10-01 00:00 UTC", category: "utility" };
 * ```
 */
export interface ChargeNoteVars {
  readonly used: number;
  readonly limit: number;
  readonly month: string;
  /** The era's first instant in words, in the account's zone (from the era's `from`). */
  readonly from: () => string;
  readonly category: string;
}

/**
 * One (category, window, FEP, tier) case of an era's charges. A case matches when every field it
 * states matches; an era's cases are tried in order and the first match prices the message.
 *
 * @example
 * ```ts
 * const c: ChargeCase = { kind: ["service"], window: "open", charge: "free", type: "free_customer_service", note: "Free.", rules: [] };
 * ```
 */
export interface ChargeCase {
  /** Message kinds this case covers; absent: every kind. */
  readonly kind?: readonly ChargeKind[];
  readonly window?: "open" | "closed";
  /** An FEP counts for pricing (FEP-4). */
  readonly fep?: boolean;
  /** The host treats Direct Send inside an FEP as free (OPEN-7). */
  readonly directSendFreeInFep?: boolean;
  readonly tier?: readonly ChargeTier[];
  readonly charge: "free" | "charged" | "unknown";
  readonly type: "regular" | "free_customer_service" | "free_entry_point";
  /** Why; a function when it reads the tier count, the era's date or the category. */
  readonly note: string | ((vars: ChargeNoteVars) => string);
  /** The service-tier figures are reported with the price (PRICE-5). */
  readonly withTier?: boolean;
  /** Rules the decision cites when this case prices it. */
  readonly rules: readonly DecisionRuleId[];
}

/** CSW-11 / FEP-5: a free-form message outside the window is not allowed, so it has no price. */
const SERVICE_OUTSIDE: ChargeCase = {
  kind: ["service", "reaction"],
  window: "closed",
  charge: "unknown",
  type: "regular",
  note: "A free-form message cannot be delivered outside the 24-hour window, so it has no price (CSW-11).",
  rules: [],
};
const FEP_FREE: ChargeCase = {
  kind: ["service", "reaction", "unknown", "marketing", "utility", "authentication"],
  fep: true,
  charge: "free",
  type: "free_entry_point",
  note: "Delivered inside an open free entry point, so free (FEP-4).",
  rules: [],
};
const CONVERSATION_UNKNOWN: ChargeCase = {
  charge: "unknown",
  type: "regular",
  note: "Conversation-based pricing charged 24-hour conversations, so a single message has no defined price (PRICE-23).",
  rules: ["PRICE-23"],
};
/** OPEN-7: Direct Send inside an FEP is free only when the host says so. */
const DIRECT_FEP_FREE: ChargeCase = {
  ...FEP_FREE,
  kind: ["direct-send"],
  directSendFreeInFep: true,
};
/** The conversation-based eras (2022, 2023). */
export const CHARGES_CONVERSATION: readonly ChargeCase[] = [
  SERVICE_OUTSIDE,
  DIRECT_FEP_FREE,
  FEP_FREE,
  CONVERSATION_UNKNOWN,
];

/** Per-message pricing, before the service tier's rows (PRICE-4, DIRECT-6, OPEN-7, OPEN-14). */
const PER_MESSAGE_HEAD: readonly ChargeCase[] = [
  SERVICE_OUTSIDE,
  DIRECT_FEP_FREE,
  {
    kind: ["direct-send"],
    fep: true,
    charge: "charged",
    type: "regular",
    note: "Direct Send inside an FEP is treated as charged until Meta says otherwise (OPEN-7).",
    rules: [],
  },
  {
    kind: ["direct-send"],
    charge: "charged",
    type: "regular",
    note: "Direct Send is charged at its category's rate (DIRECT-6).",
    rules: [],
  },
  FEP_FREE,
  {
    kind: ["unknown"],
    charge: "charged",
    type: "regular",
    note: "The template's category is unknown, so it is treated as charged (OPEN-14).",
    rules: [],
  },
  {
    kind: ["reaction"],
    charge: "free",
    type: "free_customer_service",
    note: "Reactions are free and do not use up the service tier (PRICE-4).",
    rules: [],
  },
];

/** Templates charged at their category's rate, inside and outside the window (PRICE-4). */
const TEMPLATES_CHARGED: readonly ChargeCase[] = (
  [
    ["marketing", "Marketing"],
    ["utility", "Utility"],
    ["authentication", "Authentication"],
  ] as const
).flatMap(([kind, name]): ChargeCase[] => [
  {
    kind: [kind],
    window: "open",
    charge: "charged",
    type: "regular",
    note: `${name} templates are charged (PRICE-4).`,
    rules: [],
  },
  {
    kind: [kind],
    charge: "charged",
    type: "regular",
    note: `${name} templates are charged outside a free entry point (PRICE-4).`,
    rules: [],
  },
]);

/** The 2019 care-window / HSM model (PRICE-23, OPEN-13). */
export const CHARGES_2019: readonly ChargeCase[] = [
  SERVICE_OUTSIDE,
  {
    kind: ["service", "reaction"],
    charge: "free",
    type: "free_customer_service",
    note: "Session replies were free in the 2019 care-window model (PRICE-23).",
    rules: [],
  },
  {
    charge: "charged",
    type: "regular",
    note: "Template notifications were charged; the historical rate is not modelled (PRICE-23, OPEN-13).",
    rules: [],
  },
];

/** Free service conversations from November 2024 (PRICE-23). */
export const CHARGES_2024: readonly ChargeCase[] = [
  SERVICE_OUTSIDE,
  DIRECT_FEP_FREE,
  FEP_FREE,
  {
    kind: ["service", "reaction"],
    charge: "free",
    type: "free_customer_service",
    note: (v) => `Service conversations were free from ${v.from()} (PRICE-23).`,
    rules: [],
  },
  CONVERSATION_UNKNOWN,
];

/** Per-message pricing from July 2025 (PRICE-3, PRICE-4). */
export const CHARGES_2025: readonly ChargeCase[] = [
  ...PER_MESSAGE_HEAD,
  {
    kind: ["service"],
    charge: "free",
    type: "free_customer_service",
    note: "Service messages inside the window are free in this era (PRICE-4).",
    rules: [],
  },
  {
    kind: ["utility"],
    window: "open",
    charge: "free",
    type: "free_customer_service",
    note: "Utility templates inside an open window are free in this era (PRICE-4).",
    rules: [],
  },
  ...TEMPLATES_CHARGED,
];

/** The service tier from October 2026 (PRICE-4, PRICE-5, PRICE-8). */
export const CHARGES_2026: readonly ChargeCase[] = [
  ...PER_MESSAGE_HEAD,
  {
    kind: ["service"],
    tier: ["unknown"],
    charge: "unknown",
    type: "free_customer_service",
    note: (v) =>
      `Free within the first ${v.limit} service messages of the month, but this month's usage was not given (PRICE-5, OPEN-5).`,
    rules: ["PRICE-5", "OPEN-5"],
  },
  {
    kind: ["service"],
    tier: ["within"],
    charge: "free",
    type: "free_customer_service",
    note: (v) =>
      `Free: ${v.used} of ${v.limit} free service messages used in ${v.month} (PRICE-5).`,
    withTier: true,
    rules: ["PRICE-5", "OPEN-5"],
  },
  {
    kind: ["service"],
    tier: ["exempt"],
    charge: "free",
    type: "regular",
    note: "Beyond the free tier, but exempt as a government or non-profit sender (PRICE-8).",
    withTier: true,
    rules: ["PRICE-5", "OPEN-5", "PRICE-8"],
  },
  {
    kind: ["service"],
    charge: "charged",
    type: "regular",
    note: (v) =>
      `Charged at the utility rate: all ${v.limit} free service messages of ${v.month} are used (PRICE-5, PRICE-6).`,
    withTier: true,
    rules: ["PRICE-5", "OPEN-5"],
  },
  {
    kind: ["utility"],
    window: "open",
    charge: "charged",
    type: "regular",
    note: (v) => `Utility templates inside the window are charged from ${v.from()} (PRICE-4).`,
    rules: [],
  },
  ...TEMPLATES_CHARGED,
];
