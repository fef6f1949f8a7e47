/**
 * The basic vocabulary of the care-window domain (`types.ts` re-exports it): instants, open
 * string unions, channels, threads, template categories and consent scopes.
 *
 * @module
 */

/**
 * An absolute instant in epoch milliseconds (Unix seconds × 1000 for Meta's timestamps).
 *
 * @example
 * ```ts
 * const at: Instant = Date.parse("2026-11-26T09:00:00Z"); //=> 1795683600000
 * ```
 */
export type Instant = number;

/**
 * A string union that stays open to values Meta adds without a version bump
 * (Meta's webhook reference, OPEN-14): editors still suggest the known members.
 *
 * @example
 * ```ts
 * const type: KnownOr<"text" | "image"> = "poll_update"; // accepted
 * ```
 */
export type KnownOr<T extends string> = T | (string & {});

/**
 * The messaging channel of a thread. WhatsApp is the default everywhere.
 *
 * @example
 * ```ts
 * const channel: Channel = "instagram";
 * ```
 */
export type Channel = "whatsapp" | "messenger" | "instagram";

/**
 * A conversation thread: one business endpoint and one customer (CSW-8, ID-1, ID-6).
 *
 * - `business`: the WhatsApp `phone_number_id` (never the display number, ID-1), the Messenger
 *   page id or the Instagram account id.
 * - `customer`: a WhatsApp `wa_id` or BSUID (ID-4), a Messenger PSID or an Instagram IGSID.
 *
 * @example
 * ```ts
 * const thread: Thread = { business: "106540352242922", customer: "5511987654321" };
 * ```
 */
export interface Thread {
  /** Defaults to `"whatsapp"`. */
  readonly channel?: Channel;
  /** Business endpoint id: `phone_number_id`, page id or Instagram account id. */
  readonly business: string;
  /** Customer id: `wa_id`, BSUID, PSID or IGSID. */
  readonly customer: string;
}

/**
 * A template category (TPL-1).
 *
 * @example
 * ```ts
 * const category: TemplateCategory = "utility";
 * ```
 */
export type TemplateCategory = "marketing" | "utility" | "authentication";

/**
 * What a consent record covers (CONSENT-4): everything, or one template category.
 *
 * @example
 * ```ts
 * const scope: ConsentScope = "marketing";
 * ```
 */
export type ConsentScope = "all" | TemplateCategory;
