/**
 * The events the core folds, as plain TypeScript types (`types.ts` re-exports them). The one
 * event contract (`event.ts`) describes each of them field by field.
 *
 * @module
 */

import type {
  Channel,
  ConsentScope,
  Instant,
  KnownOr,
  TemplateCategory,
  Thread,
} from "./basics.js";

/**
 * Inbound WhatsApp message types (Meta's webhook reference). Open to future types.
 *
 * @example
 * ```ts
 * const type: InboundType = "interactive";
 * ```
 */
export type InboundType = KnownOr<
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "contacts"
  | "interactive"
  | "button"
  | "reaction"
  | "order"
  | "system"
  | "request_welcome"
  | "unsupported"
  | "unknown"
  | "edit"
  | "revoke"
>;

/**
 * The ad (or post) that brought the customer, from an inbound `referral` (FEP-6).
 *
 * @example
 * ```ts
 * const referral: Referral = { sourceType: "ad", sourceId: "120226305854810726" };
 * ```
 */
export interface Referral {
  /** `"ad"`, legacy `"post"`, or whatever Meta sends. Only `ad` starts an FEP by default (OPEN-4). */
  readonly sourceType: KnownOr<"ad" | "post">;
  readonly sourceId?: string;
  readonly sourceUrl?: string;
  readonly ctwaClid?: string;
  readonly headline?: string;
}

/** Fields every event carries. */
interface EventBase {
  /** Provider timestamp in epoch ms (CSW-3); never the receipt time. `Date` accepted on input. */
  readonly at: Instant;
}

/** Fields of events that belong to one thread. */
interface ThreadEventBase extends EventBase {
  readonly thread: Thread;
}

/**
 * A message the customer sent (CSW-1, CSW-7). `type` decides whether it qualifies: the CSW-7
 * kinds always do, the OPEN-3 kinds only when switched on in {@link DecideOptions}.
 *
 * @example
 * ```ts
 * const e: InboundEvent = {
 *   kind: "inbound", id: "wamid.A", type: "text", at: 1_795_683_600_000,
 *   thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface InboundEvent extends ThreadEventBase {
  readonly kind: "inbound";
  /** Provider message id (`wamid.…`, Messenger `mid`), the deduplication key (CSW-4). */
  readonly id: string;
  readonly type: InboundType;
  /** For `interactive`: `button_reply`, `list_reply`, `nfm_reply`, `call_permission_reply`, … */
  readonly subtype?: string;
  /** Present on the first message after a Click-to-WhatsApp ad (FEP-6). */
  readonly referral?: Referral;
  /** For Messenger / Instagram: what the user did (MSG-1, IG-4, OPEN-20). */
  readonly action?: KnownOr<
    "message" | "postback" | "reaction" | "referral" | "story_mention" | "read" | "optin"
  >;
}

/**
 * A voice call event (CSW-5). A user-initiated `connect`, and a business-initiated call that the
 * user accepted (`accepted`, or `connect` with an SDP `answer`), open or restart the window.
 *
 * @example
 * ```ts
 * const e: CallEvent = {
 *   kind: "call", id: "wacid.1", direction: "user-initiated", phase: "connect",
 *   at: 1_795_683_600_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface CallEvent extends ThreadEventBase {
  readonly kind: "call";
  readonly id: string;
  readonly direction: "user-initiated" | "business-initiated";
  /** `connect` (user call), `accepted` / `answer` (business call picked up), others ignored. */
  readonly phase: KnownOr<"connect" | "accepted" | "answer" | "ringing" | "rejected" | "terminate">;
}

/**
 * How an outbound message went out: free-form (service), template, or Direct Send (DIRECT-1).
 *
 * @example
 * ```ts
 * const k: OutboundKind = "template";
 * ```
 */
export type OutboundKind = "free-form" | "template" | "direct-send";

/**
 * A message the business sent (host-recorded, or learned from a `smb_message_echoes` echo).
 * It never opens or extends the window (CSW-6); it can activate an FEP (FEP-2).
 *
 * @example
 * ```ts
 * const e: OutboundEvent = {
 *   kind: "outbound", id: "wamid.OUT", message: "free-form", type: "text",
 *   at: 1_795_683_700_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface OutboundEvent extends ThreadEventBase {
  readonly kind: "outbound";
  readonly id: string;
  readonly message: OutboundKind;
  /** Free-form message type (`text`, `image`, `reaction`, …). */
  readonly type?: string;
  /** Template or Direct Send category. */
  readonly category?: TemplateCategory;
  /** `true` for Business-app (Coexistence) echoes, which are outside the window rules (CSW-14). */
  readonly echo?: boolean;
}

/**
 * Delivery status values (Meta's webhook reference). Open to On-Premises leftovers.
 *
 * @example
 * ```ts
 * const s: DeliveryStatus = "delivered";
 * ```
 */
export type DeliveryStatus = KnownOr<"sent" | "delivered" | "read" | "played" | "failed">;

/**
 * The `pricing` object of a status (PRICE-17 … PRICE-20), values kept verbatim.
 *
 * @example
 * ```ts
 * const p: StatusPricing = { model: "PMP", type: "free_entry_point", category: "referral_conversion" };
 * ```
 */
export interface StatusPricing {
  readonly model?: KnownOr<"CBP" | "PMP">;
  readonly type?: KnownOr<
    "regular" | "free_customer_service" | "free_entry_point" | "free_group_customer_service"
  >;
  readonly category?: string;
  readonly billable?: boolean;
  /**
   * `pricing.subtype`, kept verbatim (OPEN-14). `paid_exempt` (from 2026-10-12) marks a delivery
   * exempt from its charge, e.g. one of the month's free service messages (PRICE-24).
   */
  readonly subtype?: KnownOr<"paid_exempt">;
}

/**
 * A delivery status of an outbound message (CSW-12, CSW-13, FEP-7, ERR-*).
 *
 * @example
 * ```ts
 * const e: StatusEvent = {
 *   kind: "status", id: "wamid.OUT", status: "failed", errors: [131047],
 *   at: 1_795_683_800_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface StatusEvent extends ThreadEventBase {
  readonly kind: "status";
  /** The outbound message's wamid. */
  readonly id: string;
  readonly status: DeliveryStatus;
  readonly pricing?: StatusPricing;
  /** `conversation.expiration_timestamp` in epoch ms: the platform's FEP end (FEP-3). */
  readonly conversationExpiresAt?: Instant;
  readonly conversationId?: string;
  /** `conversation.origin.type`. */
  readonly origin?: string;
  /** Numeric error codes of a `failed` status (ERR-1: codes, never titles). */
  readonly errors?: readonly number[];
  /** What was sent, when the host knows it (classifies 131047 and service-tier counting). */
  readonly message?: OutboundKind;
  /** Free-form type of the message, when known (reactions never use up the tier, PRICE-4). */
  readonly type?: string;
  /**
   * For 131049: when marketing may be retried (CONSENT-7); for 131064: when the account's
   * enforcement period ends (ERR-30) — if the host or platform says.
   */
  readonly retryAfter?: Instant;
  /**
   * Messenger / Instagram: the Send API error's `error_subcode`, when known (ERR-31, ERR-33:
   * code 10 with subcode 1893063 is a page restriction, any other code 10 a closed window).
   */
  readonly errorSubcode?: number;
  /** Messenger / Instagram: the message tag the failed send carried, when any (ERR-32, MSG-5). */
  readonly tag?: string;
}

/**
 * A host-recorded opt-in or opt-out (CONSENT-1 … CONSENT-4, OPEN-17).
 *
 * @example
 * ```ts
 * const e: ConsentEvent = {
 *   kind: "consent", action: "opt-in", scope: "marketing", source: "checkout-form",
 *   at: 1_795_683_600_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface ConsentEvent extends ThreadEventBase {
  readonly kind: "consent";
  readonly action: "opt-in" | "opt-out";
  readonly scope: ConsentScope;
  /** Where the consent was collected (form, keyword, agent, …). */
  readonly source: string;
}

/**
 * The customer stopped or resumed marketing from this number (`user_preferences`, CONSENT-5),
 * or a 131050 failure implied a stop (CONSENT-6).
 *
 * @example
 * ```ts
 * const e: MarketingPreferenceEvent = {
 *   kind: "marketing-preference", value: "stop",
 *   at: 1_795_683_600_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface MarketingPreferenceEvent extends ThreadEventBase {
  readonly kind: "marketing-preference";
  readonly value: "stop" | "resume";
}

/**
 * The business blocked or unblocked the customer (CONSENT-9).
 *
 * @example
 * ```ts
 * const e: BlockEvent = {
 *   kind: "block", value: "block",
 *   at: 1_795_683_600_000, thread: { business: "106540352242922", customer: "5511987654321" },
 * };
 * ```
 */
export interface BlockEvent extends ThreadEventBase {
  readonly kind: "block";
  readonly value: "block" | "unblock";
}

/**
 * A template's latest category (TPL-7). Not thread-scoped: it feeds the template catalog.
 *
 * @example
 * ```ts
 * const e: TemplateCategoryEvent = {
 *   kind: "template-category", name: "order_update", category: "marketing", at: 1_795_683_600_000,
 * };
 * ```
 */
export interface TemplateCategoryEvent extends EventBase {
  readonly kind: "template-category";
  /** WABA / account id when known. */
  readonly account?: string;
  readonly name: string;
  readonly language?: string;
  readonly category: TemplateCategory;
  /** Template status when learned from `message_template_status_update` (TPL-8). */
  readonly status?: string;
}

/**
 * One customer's identifiers were linked or changed (ID-6, ID-7, OPEN-15).
 *
 * @example
 * ```ts
 * const e: IdentityEvent = {
 *   kind: "identity", change: "alias", from: "5511987654321", to: "BR.1502576394655843",
 *   at: 1_795_683_600_000, business: "106540352242922",
 * };
 * ```
 */
export interface IdentityEvent extends EventBase {
  readonly kind: "identity";
  readonly channel?: Channel;
  readonly business: string;
  /** `alias`: same person, two ids; `number-changed` / `user-id-changed`: a new identifier. */
  readonly change: "alias" | "number-changed" | "user-id-changed";
  readonly from: string;
  readonly to: string;
}

/**
 * Every event the core folds. Thread-scoped events carry `thread`; catalog and identity events
 * do not.
 *
 * @example
 * ```ts
 * const events: CareEvent[] = [
 *   { kind: "inbound", id: "wamid.A", type: "text", at: 1_795_683_600_000,
 *     thread: { business: "106540352242922", customer: "5511987654321" } },
 * ];
 * ```
 */
export type CareEvent =
  | InboundEvent
  | CallEvent
  | OutboundEvent
  | StatusEvent
  | ConsentEvent
  | MarketingPreferenceEvent
  | BlockEvent
  | TemplateCategoryEvent
  | IdentityEvent;

/**
 * Events that belong to one thread and fold into its {@link ThreadState}.
 *
 * @example
 * ```ts
 * const isThreadEvent = (e: CareEvent): e is ThreadEvent => "thread" in e;
 * ```
 */
export type ThreadEvent = Extract<CareEvent, { thread: Thread }>;
