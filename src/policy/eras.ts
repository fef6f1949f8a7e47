/**
 * Meta's WhatsApp pricing eras as dated data (PRICE-1, PRICE-2, PRICE-23, FEP-9, OPEN-13).
 *
 * @module
 */

import {
  CHARGES_2019,
  CHARGES_2024,
  CHARGES_2025,
  CHARGES_2026,
  CHARGES_CONVERSATION,
  type ChargeCase,
} from "./charges.js";

export type { ChargeCase, ChargeKind, ChargeNoteVars, ChargeTier } from "./charges.js";

/**
 * The six pricing eras of PRICE-1.
 *
 * @example
 * ```ts
 * const id: EraId = "pmp-service-tier-2026";
 * ```
 */
export type EraId =
  | "hsm-2019"
  | "cbp-2022"
  | "cbp-categories-2023"
  | "cbp-free-service-2024"
  | "pmp-2025"
  | "pmp-service-tier-2026";

/**
 * One pricing era: what was free and what was charged, from when, and where that is written.
 *
 * @example
 * ```ts
 * const era = ERAS.find((e) => e.id === "pmp-2025");
 * era?.utilityInWindow; //=> "free"
 * ```
 */
export interface PricingEra {
  readonly id: EraId;
  readonly title: string;
  /** `hsm`: template notifications billed; `conversation`: 24 h conversations; `message`: per message. */
  readonly model: "hsm" | "conversation" | "message";
  /** First day in force, `YYYY-MM-DD`, from 00:00 in {@link PricingEra.zone} (PRICE-2). */
  readonly from: string;
  /** First day no longer in force, or `null` for the current era. */
  readonly until: string | null;
  /** Whose time zone sets the boundary (OPEN-6): the WABA's, the Messaging account's, or unknown. */
  readonly zone: "unknown" | "waba" | "messaging-account";
  /** Free delivered service messages per number per month (PRICE-5), or `null` (no tier). */
  readonly serviceTier: number | null;
  /** Utility templates inside an open CSW (PRICE-4). */
  readonly utilityInWindow: "free" | "charged" | "unknown";
  /** Whether an FEP makes deliveries free in this era (FEP-4, FEP-9). */
  readonly freeEntryPoint: boolean;
  /** The rules that describe this era. */
  readonly rules: readonly string[];
  /** Where the facts come from. */
  readonly sources: readonly string[];
  /**
   * What the era charges for each (category, window, FEP, tier) case, first match wins
   * (PRICE-4, PRICE-5, PRICE-8, PRICE-23, DIRECT-6, FEP-4, OPEN-7, OPEN-14).
   */
  readonly charges: readonly ChargeCase[];
}

const PRICING = "https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing";
const NON_TEMPLATE =
  "https://developers.facebook.com/documentation/business-messaging/whatsapp/pricing/non-template-messages";
const UPDATES = "https://developers.secure.facebook.com/docs/whatsapp/pricing/updates-to-pricing";
const EDNA = "https://docs.edna.io/kb/whatsapp-conversations";

/**
 * The eras in chronological order (PRICE-1). Exact from 2025-07-01 on; the conversation eras
 * price single messages as `unknown` except for the certain cases of PRICE-23.
 *
 * @example
 * ```ts
 * ERAS.map((e) => e.id);
 * //=> ["hsm-2019", "cbp-2022", "cbp-categories-2023", "cbp-free-service-2024", "pmp-2025", "pmp-service-tier-2026"]
 * ```
 */
export const ERAS: readonly PricingEra[] = [
  {
    id: "hsm-2019",
    title: "2019 care-window / HSM model: session replies free, template notifications charged",
    model: "hsm",
    from: "2018-08-01",
    until: "2022-02-01",
    zone: "unknown",
    serviceTier: null,
    utilityInWindow: "charged",
    freeEntryPoint: false,
    rules: ["PRICE-1", "PRICE-23", "OPEN-13"],
    sources: [EDNA, "https://developers.facebook.com/docs/whatsapp/cloud-vs-onprem/"],
    charges: CHARGES_2019,
  },
  {
    id: "cbp-2022",
    title: "Conversation-based pricing: 24-hour user- or business-initiated conversations",
    model: "conversation",
    from: "2022-02-01",
    until: "2023-06-01",
    zone: "unknown",
    serviceTier: null,
    utilityInWindow: "unknown",
    freeEntryPoint: true,
    rules: ["PRICE-1", "PRICE-23", "FEP-9"],
    sources: [EDNA],
    charges: CHARGES_CONVERSATION,
  },
  {
    id: "cbp-categories-2023",
    title: "Four conversation categories: marketing, utility, authentication, service",
    model: "conversation",
    from: "2023-06-01",
    until: "2024-11-01",
    zone: "unknown",
    serviceTier: null,
    utilityInWindow: "unknown",
    freeEntryPoint: true,
    rules: ["PRICE-1", "PRICE-23", "FEP-9"],
    sources: [EDNA],
    charges: CHARGES_CONVERSATION,
  },
  {
    id: "cbp-free-service-2024",
    title: "Free service conversations, business-initiated conversations charged",
    model: "conversation",
    from: "2024-11-01",
    until: "2025-07-01",
    zone: "unknown",
    serviceTier: null,
    utilityInWindow: "unknown",
    freeEntryPoint: true,
    rules: ["PRICE-1", "PRICE-23"],
    sources: [PRICING, EDNA],
    charges: CHARGES_2024,
  },
  {
    id: "pmp-2025",
    title: "Per-message pricing: service and in-window utility free, other templates charged",
    model: "message",
    from: "2025-07-01",
    until: "2026-10-01",
    zone: "waba",
    serviceTier: null,
    utilityInWindow: "free",
    freeEntryPoint: true,
    rules: ["PRICE-1", "PRICE-3", "PRICE-4"],
    sources: [PRICING, UPDATES],
    charges: CHARGES_2025,
  },
  {
    id: "pmp-service-tier-2026",
    title:
      "Service tier: 1,000 free service messages per number per month, in-window utility charged",
    model: "message",
    from: "2026-10-01",
    until: null,
    zone: "messaging-account",
    serviceTier: 1000,
    utilityInWindow: "charged",
    freeEntryPoint: true,
    rules: ["PRICE-1", "PRICE-4", "PRICE-5", "PRICE-6"],
    sources: [PRICING, NON_TEMPLATE],
    charges: CHARGES_2026,
  },
];

/**
 * Estimated FEP lengths by date when the platform has not said (OPEN-1, OPEN-13, FEP-3): 24 h
 * before 2023-03-01, 72 h from then on (the last documented fixed length).
 *
 * @example
 * ```ts
 * FEP_ESTIMATES.at(-1); //=> { from: "2023-03-01", ms: 259200000 }
 * ```
 */
export const FEP_ESTIMATES: readonly { readonly from: string; readonly ms: number }[] = [
  { from: "2022-02-01", ms: 86_400_000 },
  { from: "2023-03-01", ms: 259_200_000 },
];

/**
 * Other dated facts the decision uses.
 *
 * @example
 * ```ts
 * POLICY_DATES.usMarketingPause; //=> "2025-04-01"
 * ```
 */
export const POLICY_DATES = {
  /** CONSENT-8: marketing templates to +1 numbers are not delivered (no end date, OPEN-18). */
  usMarketingPause: "2025-04-01",
  /** PRICE-8: the first day after the government / non-profit exemption (which ends 2027-12-31). */
  governmentExemptUntil: "2028-01-01",
} as const;
