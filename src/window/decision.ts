/**
 * The Decision: session, template or blocked — why, until when, at what price.
 *
 * @module
 */
import type { Channel, ConsentScope, Intent, TemplateCategory } from "../domain/types.js";
import type { EraId } from "../policy/eras.js";

/**
 * What may happen to the intended message.
 *
 * - `session`: a session (customer service window) is open; the intent may go as it is, free-form
 *   included.
 * - `template`: no session; only a template may go. A template intent may go; a free-form intent
 *   must become one (or a Direct Send, DIRECT-3).
 * - `blocked`: must not be sent.
 *
 * @example
 * ```ts
 * const o: Outcome = "template";
 * ```
 */
export type Outcome = "session" | "template" | "blocked";

/**
 * Why a `session` decision was reached.
 *
 * - `window-open`: the 24-hour window is open (CSW-1, CSW-2; MSG-1, IG-1).
 * - `ad-window-open`: a Messenger / Instagram ad-originated window is open (MSG-2).
 * - `human-agent`: a person may reply with the HUMAN_AGENT tag (MSG-4, IG-2).
 *
 * @example
 * ```ts
 * const r: SessionReason = "window-open";
 * ```
 */
export type SessionReason = "window-open" | "ad-window-open" | "human-agent";

/**
 * Why a `template` decision was reached.
 *
 * - `no-inbound`: the customer has never written (or called) on this thread.
 * - `window-closed`: the last qualifying inbound is 24 h or more ago (CSW-2, CSW-11).
 * - `window-closed-by-error`: Meta refused a free-form send with 131047 after the customer's last
 *   message (CSW-12, ERR-3).
 *
 * @example
 * ```ts
 * const r: TemplateReason = "window-closed";
 * ```
 */
export type TemplateReason = "no-inbound" | "window-closed" | "window-closed-by-error";

/**
 * Why a `blocked` decision was reached.
 *
 * - `opted-out`: a recorded opt-out covers this message (CONSENT-4).
 * - `marketing-stopped`: the customer stopped marketing from this number (CONSENT-5, CONSENT-6).
 * - `no-opt-in`: a business-initiated send without a recorded opt-in (CONSENT-2, OPEN-17).
 * - `business-blocked`: the business has blocked this customer (CONSENT-9).
 * - `marketing-limited`: the per-user marketing cap (131049) — retry later (CONSENT-7).
 * - `us-marketing-paused`: marketing templates to US numbers (+1 and a US area code) are not
 *   delivered (CONSENT-8, OPEN-18).
 * - `category-unknown`: an uncatalogued template to a US number, held back because it may be
 *   marketing; record its category (CONSENT-8, TPL-7).
 * - `account-limited`: 131064, business-initiated sends from the account are stopped until the
 *   enforcement ends or the host clears it (ERR-30).
 * - `account-billing`: an India-based account not billed in INR, from 2027-01-01 (PRICE-25).
 * - `page-restricted`: Messenger / Instagram 10 / 1893063, the page may not send until the host
 *   clears it (ERR-33).
 * - `payment-method-missing`: the host declared no valid payment method (OPEN-8).
 * - `no-inbound` / `window-closed`: Messenger / Instagram have no template lane here (MSG-6).
 * - `automation-outside-window`: only a person may reply after 24 h, with HUMAN_AGENT (MSG-4).
 * - `host-rule`: one of the host's own rules (`options.rules`) held back what Meta allows; its id
 *   is in `rules`.
 *
 * @example
 * ```ts
 * const r: BlockedReason = "opted-out";
 * ```
 */
export type BlockedReason =
  | "opted-out"
  | "marketing-stopped"
  | "no-opt-in"
  | "business-blocked"
  | "marketing-limited"
  | "us-marketing-paused"
  | "category-unknown"
  | "account-limited"
  | "account-billing"
  | "page-restricted"
  | "payment-method-missing"
  | "no-inbound"
  | "window-closed"
  | "automation-outside-window"
  | "host-rule";

/**
 * Every reason code, stable across releases (new codes may be added in minor versions).
 *
 * @example
 * ```ts
 * const r: Reason = "marketing-stopped";
 * ```
 */
export type Reason = SessionReason | TemplateReason | BlockedReason;

/**
 * The customer service window at the decision's `now` (CSW-2).
 *
 * @example
 * ```ts
 * const w: WindowInfo = { open: true, closesAt: new Date("2026-11-27T09:00:00Z"), remainingMs: 3_600_000, lastInboundAt: new Date("2026-11-26T09:00:00Z") };
 * ```
 */
export interface WindowInfo {
  readonly open: boolean;
  /** End of the window (exclusive), when the customer has ever written; may be in the past. */
  readonly closesAt: Date | null;
  /** Milliseconds until `closesAt`, 0 when closed. */
  readonly remainingMs: number;
  /** Provider timestamp of the latest qualifying inbound event (T). */
  readonly lastInboundAt: Date | null;
}

/**
 * The free entry point at the decision's `now` (FEP-*).
 *
 * @example
 * ```ts
 * const f: FreeEntryPointInfo = { open: true, closesAt: new Date("2026-11-29T09:00:00Z"), source: "estimated" };
 * ```
 */
export interface FreeEntryPointInfo {
  readonly open: boolean;
  readonly closesAt: Date | null;
  /** `platform`: from a status's `conversation.expiration_timestamp`; `estimated`: OPEN-1;
   * `none`: no FEP is known on this thread. */
  readonly source: "platform" | "estimated" | "none";
}

/**
 * The pricing category a decision reports. `service` is a free-form message; `unknown` a
 * template whose category no catalog knows.
 *
 * @example
 * ```ts
 * const c: PricingCategory = "service";
 * ```
 */
export type PricingCategory = TemplateCategory | "service" | "unknown";

/**
 * Where the 1,000-message monthly service tier stands (PRICE-5), when known.
 *
 * @example
 * ```ts
 * const t: ServiceTierInfo = { used: 640, limit: 1000, month: "2026-11" };
 * ```
 */
export interface ServiceTierInfo {
  readonly used: number;
  readonly limit: number;
  /** The calendar month in the account's time zone, `YYYY-MM` (OPEN-6). */
  readonly month: string;
}

/**
 * What the message would cost under the era in force at `now` (PRICE-1, PRICE-2, PRICE-4).
 *
 * @example
 * ```ts
 * const p: PricingInfo = { charge: "free", category: "service", type: "free_customer_service", era: "pmp-2025" };
 * ```
 */
export interface PricingInfo {
  /** Whether it is charged. The amount is a separate question (rates are data, PRICE-6). */
  readonly charge: "free" | "charged" | "unknown";
  readonly category: PricingCategory;
  readonly type: "regular" | "free_customer_service" | "free_entry_point";
  /** The WhatsApp pricing era in force; `not-applicable` on channels without per-message prices. */
  readonly era: EraId | "not-applicable";
  /** Why the charge is what it is, or why it is unknown (PRICE-23, OPEN-5, OPEN-16). */
  readonly note: string;
  /** The service tier, for free-form messages from 2026-10-01 when usage was given. */
  readonly tier?: ServiceTierInfo;
}

/**
 * The pricing of a `blocked` decision: nothing is sent, so nothing is charged (`charge:
 * "not-sent"`). `wouldBe` is what the message would have cost, when the price is the reason it
 * was held back (`payment-method-missing`, PRICE-7, OPEN-8).
 *
 * @example
 * ```ts
 * const p: UnsentPricing = { charge: "not-sent", category: "marketing", type: "not-sent", era: "pmp-service-tier-2026", note: "Nothing is sent, so nothing is charged." };
 * ```
 */
export interface UnsentPricing {
  readonly charge: "not-sent";
  readonly category: PricingCategory;
  /** Always `not-sent`: no delivery, so no Meta pricing type. */
  readonly type: "not-sent";
  /** The WhatsApp pricing era in force, or `not-applicable` (Messenger, Instagram). */
  readonly era: EraId | "not-applicable";
  readonly note: string;
  /** The price the message would have had, when that price is why it is blocked (OPEN-8). */
  readonly wouldBe?: PricingInfo;
  /** Never set: nothing is sent, so no service-tier message is used. */
  readonly tier?: undefined;
}

/**
 * Something the business can do instead (CASL-style "why not, and what then").
 *
 * @example
 * ```ts
 * const a: Alternative = { action: "send-template", category: "utility", text: "Send an approved utility template." };
 * ```
 */
export type Alternative =
  | {
      readonly action: "send-template";
      readonly category: TemplateCategory;
      /** Free until this instant because an FEP is open (FEP-4, FEP-5). */
      readonly freeUntil?: Date;
      readonly text: string;
    }
  | { readonly action: "direct-send"; readonly category: "utility"; readonly text: string }
  | { readonly action: "wait-for-customer"; readonly text: string }
  | { readonly action: "record-opt-in"; readonly scope: ConsentScope; readonly text: string }
  | {
      /** Record a template's category (catalog or `template-category` event, TPL-7). */
      readonly action: "record-category";
      readonly name?: string;
      readonly text: string;
    }
  | { readonly action: "retry-after"; readonly at: Date; readonly text: string }
  | {
      readonly action: "human-agent-tag";
      readonly until: Date;
      readonly text: string;
    }
  | { readonly action: "send-free-form"; readonly until: Date; readonly text: string };

/**
 * A rule that took part in the decision, with its source (docs/policy.md).
 *
 * @example
 * ```ts
 * const r: RuleRef = { id: "CSW-2", title: "Boundary: [T, T+24h)", source: "https://developers.facebook.com/…" };
 * ```
 */
export interface RuleRef {
  readonly id: string;
  readonly title: string;
  readonly source: string;
}

/**
 * How a Messenger / Instagram send must be tagged (MSG-4). Absent on WhatsApp.
 *
 * @example
 * ```ts
 * const t: MessagingTag = { messagingType: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
 * ```
 */
export interface MessagingTag {
  readonly messagingType: "RESPONSE" | "MESSAGE_TAG" | "UPDATE";
  readonly tag?: "HUMAN_AGENT";
}

interface DecisionBase {
  readonly channel: Channel;
  /** The intent that was decided on, as resolved (template category from the catalog). */
  readonly intent: Intent;
  /** The instant the decision is for. */
  readonly at: Date;
  /** One plain sentence a support agent understands. */
  readonly explanation: string;
  readonly window: WindowInfo;
  readonly freeEntryPoint: FreeEntryPointInfo;
  readonly alternatives: readonly Alternative[];
  /** The rules that decided, with sources. */
  readonly rules: readonly RuleRef[];
  /** Caveats: defaults assumed (time zone, tier usage), estimates made. */
  readonly notes: readonly string[];
  /**
   * The rule-table entries that fired, in table order: the deciding reason, the context entries
   * that apply (time zone defaulted, FEP estimated, …), then host rule ids. `rules`,
   * `explanation`, `alternatives` and `notes` are rendered from this list.
   */
  readonly fired: readonly string[];
  /** Messenger / Instagram only: `messaging_type` and `tag` for the send. */
  readonly tag?: MessagingTag;
}

/**
 * A `session` decision.
 *
 * @example
 * ```ts
 * if (d.outcome === "session") console.log(d.window.closesAt);
 * ```
 */
export interface SessionDecision extends DecisionBase {
  readonly outcome: "session";
  readonly reason: SessionReason;
  readonly pricing: PricingInfo;
}

/**
 * A `template` decision.
 *
 * @example
 * ```ts
 * if (d.outcome === "template") console.log(d.alternatives);
 * ```
 */
export interface TemplateDecision extends DecisionBase {
  readonly outcome: "template";
  readonly reason: TemplateReason;
  readonly pricing: PricingInfo;
}

/**
 * A `blocked` decision.
 *
 * @example
 * ```ts
 * if (d.outcome === "blocked") console.warn(d.explanation);
 * ```
 */
export interface BlockedDecision extends DecisionBase {
  readonly outcome: "blocked";
  readonly reason: BlockedReason;
  /** Nothing is sent, so nothing is charged (what it would have cost is in `wouldBe`). */
  readonly pricing: UnsentPricing;
}

/**
 * The answer to "may this message go, and how?" — a discriminated union on `outcome`.
 *
 * A decision is plain data: every field is an own, enumerable data property, so an object
 * spread, `structuredClone`, `postMessage` and `JSON.stringify` keep all of it (`Date`s become
 * ISO strings in JSON). The prose (`explanation`, `alternatives`, `rules`, `notes`) is rendered
 * from the rule-table entries that fired (`fired`). For the hot path without prose, see
 * {@link verdict}.
 *
 * @example
 * ```ts
 * switch (d.outcome) {
 *   case "session": return sendFreeForm();
 *   case "template": return sendTemplate();
 *   case "blocked": return log(d.reason, d.explanation);
 * }
 * ```
 */
export type Decision = SessionDecision | TemplateDecision | BlockedDecision;

export type { FreeEntryPointAt, Verdict, WindowAt } from "./verdict.js";
