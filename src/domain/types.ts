/**
 * Plain TypeScript types of the care-window domain: threads, events, intents.
 *
 * Nothing here imports zod or reads a clock. Every instant is an absolute epoch-millisecond
 * number (the provider's timestamp, CSW-3), so JSON round-trips are lossless and the host time
 * zone never matters (CSW-2).
 *
 * The basic vocabulary (instants, channels, threads, categories) is in `basics.ts` and the events
 * in `event-types.ts`; both are re-exported here, the one module to import domain types from.
 *
 * @module
 */

import type { KnownOr, TemplateCategory } from "./basics.js";

export type * from "./basics.js";
export type * from "./event-types.js";

/**
 * Who is sending: a person, or a bot / automation / campaign. Matters for Messenger and
 * Instagram HUMAN_AGENT (MSG-4), and for the explanation on WhatsApp.
 *
 * @example
 * ```ts
 * const sender: Sender = "automation";
 * ```
 */
export type Sender = "human" | "automation";

/**
 * Free-form message types a business can send (TPL-9 step 5).
 *
 * @example
 * ```ts
 * const type: FreeFormType = "interactive";
 * ```
 */
export type FreeFormType = KnownOr<
  | "text"
  | "image"
  | "audio"
  | "video"
  | "document"
  | "sticker"
  | "location"
  | "contacts"
  | "interactive"
  | "reaction"
>;

/**
 * A free-form (session) message the business wants to send.
 *
 * @example
 * ```ts
 * const intent: FreeFormIntent = { kind: "free-form", type: "text", sender: "human" };
 * ```
 */
export interface FreeFormIntent {
  readonly kind: "free-form";
  /** Defaults to `text`. Reactions are free and never use up the service tier (PRICE-4). */
  readonly type?: FreeFormType;
  readonly sender?: Sender;
  /** Direct Send category (DIRECT-1): a free-form body with a top-level `category`. */
  readonly directSend?: "utility" | "authentication";
}

/**
 * A template of a category the business wants to send. Pass the template's **latest** category
 * (TPL-7); the service resolves `name` through its catalog when given.
 *
 * @example
 * ```ts
 * const intent: TemplateIntent = { kind: "template", category: "utility", name: "order_update" };
 * ```
 */
export interface TemplateIntent {
  readonly kind: "template";
  /** `"unknown"` when the template is not in any catalog: priced and consented conservatively. */
  readonly category: TemplateCategory | "unknown";
  readonly name?: string;
  readonly sender?: Sender;
}

/**
 * What the business wants to send.
 *
 * @example
 * ```ts
 * const intents: Intent[] = [{ kind: "free-form" }, { kind: "template", category: "marketing" }];
 * ```
 */
export type Intent = FreeFormIntent | TemplateIntent;

/**
 * Template name → latest category (TPL-7). Hosts pass one; the service also learns categories
 * from `template_category_update` / `message_template_status_update` webhooks.
 *
 * @example
 * ```ts
 * const catalog: TemplateCatalog = { order_update: "utility", summer_sale: "marketing" };
 * ```
 */
export type TemplateCatalog = Readonly<Record<string, TemplateCategory>>;
