/**
 * zod 4 schemas of the WhatsApp Cloud API webhooks (Meta's webhook reference – §8).
 *
 * Every object schema is **loose**: unknown keys are kept, because Meta, BSP relays and
 * undocumented 2026 fields add keys all the time (Meta's webhook reference, §12.19). Timestamps are
 * `string | number` (§12.3). Enumerations that Meta keeps extending (`status`, `type`,
 * categories) are plain strings: the parser maps the values it knows.
 *
 * {@link parseWebhook} validates **one item at a time** with these schemas, so a malformed item
 * never drops its valid siblings. Hosts may use them directly for their own typing.
 *
 * Built with `zod/mini` (issue 14 item 3): compose them with its functions (`z.extend(Schema, …)`,
 * `z.optional(Schema)`), not chained methods. Objects use zod's compiled object parser and
 * issues read in zod's English locale, as on classic zod (see `zod-mini.ts`).
 *
 * @module
 */
import * as z from "zod/mini";
import { ensureEnglishIssues, looseObject } from "./zod-mini.js";

// zod/mini loads no locale: keep classic zod's English issue messages (see zod-mini.ts).
ensureEnglishIssues();

// ---------------------------------------------------------------------------------------------
// Shared pieces
// ---------------------------------------------------------------------------------------------

/**
 * A Meta timestamp in Unix seconds: a string (`"1749416383"`) or an integer (Meta's webhook reference).
 *
 * @example
 * ```ts
 * TimestampSchema.parse("1749416383"); // ok
 * TimestampSchema.parse(1763990000);   // ok
 * ```
 */
export const TimestampSchema = z.union([z.string(), z.number()]);
/**
 * Inferred type of {@link TimestampSchema}.
 *
 * @example
 * ```ts
 * const t: Timestamp = "1749416383";
 * ```
 */
export type Timestamp = z.infer<typeof TimestampSchema>;

/**
 * `value.metadata`: the business number. `phone_number_id` is the routing key (ID-1).
 *
 * @example
 * ```ts
 * MetadataSchema.parse({ display_phone_number: "15550783881", phone_number_id: "106540352242922" });
 * ```
 */
export const MetadataSchema = looseObject({
  display_phone_number: z.optional(z.string()),
  phone_number_id: z.string().check(z.minLength(1)),
});
/**
 * Inferred type of {@link MetadataSchema}.
 *
 * @example
 * ```ts
 * const m: Metadata = { phone_number_id: "106540352242922" };
 * ```
 */
export type Metadata = z.infer<typeof MetadataSchema>;

/**
 * An error object as found in `value.errors[]`, `messages[].errors[]` and `statuses[].errors[]`
 * (Meta's webhook reference, §5). `code` is numeric in real traffic; a numeric string is tolerated.
 * The 2022 shape had `details` at the top level (§4.14).
 *
 * @example
 * ```ts
 * WhatsAppErrorSchema.parse({ code: 131047, title: "Re-engagement message" });
 * ```
 */
export const WhatsAppErrorSchema = looseObject({
  code: z.union([z.number(), z.string()]),
  title: z.optional(z.string()),
  message: z.optional(z.string()),
  details: z.optional(z.string()),
  href: z.optional(z.string()),
  error_data: z.optional(looseObject({ details: z.optional(z.string()) })),
});
/**
 * Inferred type of {@link WhatsAppErrorSchema}.
 *
 * @example
 * ```ts
 * const e: WhatsAppError = { code: 130429, title: "Rate limit hit" };
 * ```
 */
export type WhatsAppError = z.infer<typeof WhatsAppErrorSchema>;

/**
 * One `contacts[]` entry: profile, `wa_id` (optional since 2026, ID-5) and the BSUID `user_id`
 * (ID-4), with the optional parent BSUID, identity hash and undocumented `country_code`.
 *
 * @example
 * ```ts
 * ContactSchema.parse({ profile: { name: "Ana" }, wa_id: "5511987654321", user_id: "BR.1502576394655843" });
 * ```
 */
export const ContactSchema = looseObject({
  profile: z.optional(
    looseObject({ name: z.optional(z.string()), username: z.optional(z.string()) }),
  ),
  wa_id: z.optional(z.string()),
  user_id: z.optional(z.string()),
  parent_user_id: z.optional(z.string()),
  identity_key_hash: z.optional(z.string()),
  country_code: z.optional(z.string()),
});
/**
 * Inferred type of {@link ContactSchema}.
 *
 * @example
 * ```ts
 * const c: Contact = { wa_id: "5511987654321", user_id: "BR.1502576394655843" };
 * ```
 */
export type Contact = z.infer<typeof ContactSchema>;

/**
 * A Click-to-WhatsApp `referral` (Meta's webhook reference, FEP-6). Only `source_type` is required.
 *
 * @example
 * ```ts
 * ReferralSchema.parse({ source_type: "ad", source_id: "120226305854810726", ctwa_clid: "Aff-n8ZT" });
 * ```
 */
export const ReferralSchema = looseObject({
  source_type: z.string(),
  source_id: z.optional(z.string()),
  source_url: z.optional(z.string()),
  headline: z.optional(z.string()),
  body: z.optional(z.string()),
  media_type: z.optional(z.string()),
  image_url: z.optional(z.string()),
  video_url: z.optional(z.string()),
  thumbnail_url: z.optional(z.string()),
  ctwa_clid: z.optional(z.string()),
  welcome_message: z.optional(looseObject({ text: z.optional(z.string()) })),
});
/**
 * Inferred type of {@link ReferralSchema}.
 *
 * @example
 * ```ts
 * const r: WebhookReferral = { source_type: "ad", source_id: "120226305854810726" };
 * ```
 */
export type WebhookReferral = z.infer<typeof ReferralSchema>;

/**
 * A message's `context`: reply target, referred product, forwarding flags (Meta's webhook reference).
 *
 * @example
 * ```ts
 * ContextSchema.parse({ from: "15550783881", id: "wamid.BIZ_MSG" });
 * ```
 */
export const ContextSchema = looseObject({
  from: z.optional(z.string()),
  id: z.optional(z.string()),
  forwarded: z.optional(z.boolean()),
  frequently_forwarded: z.optional(z.boolean()),
  referred_product: z.optional(
    looseObject({
      catalog_id: z.optional(z.string()),
      product_retailer_id: z.optional(z.string()),
    }),
  ),
});
/**
 * Inferred type of {@link ContextSchema}.
 *
 * @example
 * ```ts
 * const c: MessageContext = { forwarded: true };
 * ```
 */
export type MessageContext = z.infer<typeof ContextSchema>;

// ---------------------------------------------------------------------------------------------
// Inbound messages (Meta's webhook reference)
// ---------------------------------------------------------------------------------------------

/**
 * The essentials of an inbound message: the fields that decide whether there is an event and
 * whose thread it is (`id`, `timestamp`, `type`, `from`, `from_user_id`, `group_id`). A message
 * that passes this schema always becomes an inbound event; a malformed side field (`referral`,
 * `context`, `errors`, `identity`, the content object) is reported as `invalid-content` and
 * ignored (Meta's webhook reference).
 *
 * @example
 * ```ts
 * MessageEssentialsSchema.parse({ id: "wamid.A", timestamp: "1749416383", type: "text", from: "16505551234", referral: { headline: "no source_type" } }); // ok
 * ```
 */
export const MessageEssentialsSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  timestamp: TimestampSchema,
  type: z.string(),
  from: z.optional(z.string()),
  from_user_id: z.optional(z.string()),
  group_id: z.optional(z.string()),
});
/**
 * Inferred type of {@link MessageEssentialsSchema}.
 *
 * @example
 * ```ts
 * const m: MessageEssentials = { id: "wamid.A", timestamp: "1749416383", type: "text", from_user_id: "BR.1" };
 * ```
 */
export type MessageEssentials = z.infer<typeof MessageEssentialsSchema>;

/**
 * Fields every inbound message has (Meta's webhook reference), whatever its `type`. Also the catch-all
 * schema for unknown types. `from` is optional since 2026 (ID-5); `from_user_id` is the BSUID.
 *
 * @example
 * ```ts
 * MessageBaseSchema.parse({ id: "wamid.A", timestamp: "1749416383", type: "poll_update", from: "16505551234" });
 * ```
 */
export const MessageBaseSchema = z.extend(MessageEssentialsSchema, {
  from_parent_user_id: z.optional(z.string()),
  from_logical_id: z.optional(z.string()),
  context: z.optional(ContextSchema),
  referral: z.optional(ReferralSchema),
  errors: z.optional(z.array(WhatsAppErrorSchema)),
  identity: z.optional(looseObject({})),
});
/**
 * Inferred type of {@link MessageBaseSchema}.
 *
 * @example
 * ```ts
 * const m: MessageBase = { id: "wamid.A", timestamp: "1749416383", type: "text" };
 * ```
 */
export type MessageBase = z.infer<typeof MessageBaseSchema>;

/**
 * `text` content (Meta's webhook reference).
 *
 * @example
 * ```ts
 * TextContentSchema.parse({ body: "oi" });
 * ```
 */
export const TextContentSchema = looseObject({ body: z.string() });

/**
 * Media content of `image`, `audio`, `video`, `document` and `sticker` (Meta's webhook reference).
 * `url` arrives only on accounts that got the 2025-11 rollout.
 *
 * @example
 * ```ts
 * MediaContentSchema.parse({ id: "1003383421387256", mime_type: "image/jpeg", caption: "photo" });
 * ```
 */
export const MediaContentSchema = looseObject({
  id: z.optional(z.string()),
  mime_type: z.optional(z.string()),
  sha256: z.optional(z.string()),
  caption: z.optional(z.string()),
  filename: z.optional(z.string()),
  url: z.optional(z.string()),
  voice: z.optional(z.boolean()),
  animated: z.optional(z.boolean()),
});

/**
 * `location` content: coordinates are numbers (one SDK says strings: both accepted, §4.4).
 *
 * @example
 * ```ts
 * LocationContentSchema.parse({ latitude: 37.44, longitude: -122.16, name: "Loja Centro" });
 * ```
 */
export const LocationContentSchema = looseObject({
  latitude: z.union([z.number(), z.string()]),
  longitude: z.union([z.number(), z.string()]),
  name: z.optional(z.string()),
  address: z.optional(z.string()),
  url: z.optional(z.string()),
});

/**
 * One shared contact card of a `contacts` message (Meta's webhook reference). Many keys may be missing.
 *
 * @example
 * ```ts
 * SharedContactSchema.parse({ name: { formatted_name: "Bruno Lima" }, phones: [{ phone: "+14125550829" }] });
 * ```
 */
export const SharedContactSchema = looseObject({
  name: z.optional(looseObject({ formatted_name: z.optional(z.string()) })),
  phones: z.optional(z.array(looseObject({}))),
  origin: z.optional(z.string()),
  vcard: z.optional(z.string()),
});

/**
 * `interactive` content: `type` is the reply kind (`button_reply`, `list_reply`, `nfm_reply`,
 * `call_permission_reply`, …, open set, Meta's webhook reference).
 *
 * @example
 * ```ts
 * InteractiveContentSchema.parse({ type: "button_reply", button_reply: { id: "yes", title: "Yes" } });
 * ```
 */
export const InteractiveContentSchema = looseObject({
  type: z.string(),
  button_reply: z.optional(looseObject({ id: z.string(), title: z.optional(z.string()) })),
  list_reply: z.optional(
    looseObject({
      id: z.string(),
      title: z.optional(z.string()),
      description: z.optional(z.string()),
    }),
  ),
  nfm_reply: z.optional(
    looseObject({
      name: z.optional(z.string()),
      body: z.optional(z.string()),
      response_json: z.optional(z.string()),
    }),
  ),
  call_permission_reply: z.optional(
    looseObject({
      response: z.string(),
      expiration_timestamp: z.optional(TimestampSchema),
      response_source: z.optional(z.string()),
      is_permanent: z.optional(z.boolean()),
    }),
  ),
});

/**
 * `button` content: a quick-reply tap on a template (Meta's webhook reference).
 *
 * @example
 * ```ts
 * ButtonContentSchema.parse({ payload: "STOP_PROMO", text: "Stop promotions" });
 * ```
 */
export const ButtonContentSchema = looseObject({
  payload: z.optional(z.string()),
  text: z.optional(z.string()),
});

/**
 * `reaction` content: `emoji` missing or `""` means the reaction was removed (Meta's webhook reference).
 *
 * @example
 * ```ts
 * ReactionContentSchema.parse({ message_id: "wamid.BIZ_MSG" }); // a removal
 * ```
 */
export const ReactionContentSchema = looseObject({
  message_id: z.string(),
  emoji: z.optional(z.string()),
});

/**
 * `order` content: quantities and prices are numbers (relays may send strings, §4.9).
 *
 * @example
 * ```ts
 * OrderContentSchema.parse({ catalog_id: "194836987003835", product_items: [{ product_retailer_id: "x", quantity: 2 }] });
 * ```
 */
export const OrderContentSchema = looseObject({
  catalog_id: z.optional(z.string()),
  text: z.optional(z.string()),
  product_items: z.optional(
    z.array(
      looseObject({
        product_retailer_id: z.optional(z.string()),
        quantity: z.optional(z.union([z.number(), z.string()])),
        item_price: z.optional(z.union([z.number(), z.string()])),
        currency: z.optional(z.string()),
      }),
    ),
  ),
});

/**
 * `system` content: number and user-id changes, current and legacy (Meta's webhook reference, ID-7).
 *
 * @example
 * ```ts
 * SystemContentSchema.parse({ type: "user_changed_number", wa_id: "12195555358", body: "User Ana changed…" });
 * ```
 */
export const SystemContentSchema = looseObject({
  type: z.optional(z.string()),
  body: z.optional(z.string()),
  wa_id: z.optional(z.string()),
  new_wa_id: z.optional(z.string()),
  user_id: z.optional(z.string()),
  parent_user_id: z.optional(z.string()),
  previous_user_id: z.optional(z.string()),
  identity: z.optional(z.string()),
  customer: z.optional(z.string()),
});

/**
 * `unsupported` sub-object, added in 2025 (Meta's webhook reference).
 *
 * @example
 * ```ts
 * UnsupportedContentSchema.parse({ type: "poll_update" });
 * ```
 */
export const UnsupportedContentSchema = looseObject({ type: z.optional(z.string()) });

/**
 * `edit` content (Coexistence numbers, Meta's webhook reference).
 *
 * @example
 * ```ts
 * EditContentSchema.parse({ original_message_id: "wamid.ORIG", message: { type: "text", text: { body: "new" } } });
 * ```
 */
export const EditContentSchema = looseObject({
  original_message_id: z.string(),
  message: z.optional(looseObject({})),
});

/**
 * `revoke` content (Coexistence numbers, Meta's webhook reference).
 *
 * @example
 * ```ts
 * RevokeContentSchema.parse({ original_message_id: "wamid.ORIG" });
 * ```
 */
export const RevokeContentSchema = looseObject({ original_message_id: z.string() });

/**
 * Inbound `text` message.
 *
 * @example
 * ```ts
 * TextMessageSchema.parse({ id: "wamid.A", timestamp: "1749416383", from: "16505551234", type: "text", text: { body: "hi" } });
 * ```
 */
export const TextMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("text"),
  text: TextContentSchema,
});
/**
 * Inbound `image` message.
 *
 * @example
 * ```ts
 * ImageMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "image", image: { id: "1003383421387256" } });
 * ```
 */
export const ImageMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("image"),
  image: MediaContentSchema,
});
/**
 * Inbound `audio` message (`voice: true` for voice notes).
 *
 * @example
 * ```ts
 * AudioMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "audio", audio: { id: "9", voice: true } });
 * ```
 */
export const AudioMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("audio"),
  audio: MediaContentSchema,
});
/**
 * Inbound `video` message.
 *
 * @example
 * ```ts
 * VideoMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "video", video: { id: "9" } });
 * ```
 */
export const VideoMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("video"),
  video: MediaContentSchema,
});
/**
 * Inbound `document` message.
 *
 * @example
 * ```ts
 * DocumentMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "document", document: { id: "9", filename: "inv.pdf" } });
 * ```
 */
export const DocumentMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("document"),
  document: MediaContentSchema,
});
/**
 * Inbound `sticker` message.
 *
 * @example
 * ```ts
 * StickerMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "sticker", sticker: { id: "9", animated: true } });
 * ```
 */
export const StickerMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("sticker"),
  sticker: MediaContentSchema,
});
/**
 * Inbound `location` message.
 *
 * @example
 * ```ts
 * LocationMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "location", location: { latitude: 1, longitude: 2 } });
 * ```
 */
export const LocationMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("location"),
  location: LocationContentSchema,
});
/**
 * Inbound `contacts` message (shared contact cards; `origin` may sit on the message or a card).
 *
 * @example
 * ```ts
 * ContactsMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "contacts", contacts: [{ name: { formatted_name: "B" } }] });
 * ```
 */
export const ContactsMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("contacts"),
  contacts: z.array(SharedContactSchema),
  origin: z.optional(z.string()),
});
/**
 * Inbound `interactive` reply. The `interactive` object may be missing (ERR-28: a 131000 value
 * error then explains it), so it is optional here.
 *
 * @example
 * ```ts
 * InteractiveMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "interactive", interactive: { type: "list_reply", list_reply: { id: "r1" } } });
 * ```
 */
export const InteractiveMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("interactive"),
  interactive: z.optional(InteractiveContentSchema),
});
/**
 * Inbound `button` message: a template quick-reply tap (CSW-7).
 *
 * @example
 * ```ts
 * ButtonMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "button", button: { payload: "P", text: "T" } });
 * ```
 */
export const ButtonMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("button"),
  button: ButtonContentSchema,
});
/**
 * Inbound `reaction` (or its removal).
 *
 * @example
 * ```ts
 * ReactionMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "reaction", reaction: { message_id: "wamid.B", emoji: "👍" } });
 * ```
 */
export const ReactionMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("reaction"),
  reaction: ReactionContentSchema,
});
/**
 * Inbound `order` (catalog cart).
 *
 * @example
 * ```ts
 * OrderMessageSchema.parse({ id: "wamid.A", timestamp: "1", type: "order", order: { catalog_id: "1", product_items: [] } });
 * ```
 */
export const OrderMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("order"),
  order: OrderContentSchema,
});
/**
 * Inbound `system` message: number or user-id change (no `contacts[]`; `from` may be missing).
 *
 * @example
 * ```ts
 * SystemMessageSchema.parse({ id: "wamid.S", timestamp: "1", type: "system", system: { type: "user_changed_user_id", user_id: "US.NEW" } });
 * ```
 */
export const SystemMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("system"),
  system: SystemContentSchema,
});
/**
 * Inbound `request_welcome`: the user opened the chat for the first time (no content object).
 *
 * @example
 * ```ts
 * RequestWelcomeMessageSchema.parse({ id: "wamid.W", timestamp: "1", type: "request_welcome", from: "16505551234" });
 * ```
 */
export const RequestWelcomeMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("request_welcome"),
});
/**
 * Inbound `unsupported` message (131051, 131060); the sub-object exists since 2025.
 *
 * @example
 * ```ts
 * UnsupportedMessageSchema.parse({ id: "wamid.U", timestamp: "1", type: "unsupported", unsupported: { type: "poll_update" } });
 * ```
 */
export const UnsupportedMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("unsupported"),
  unsupported: z.optional(UnsupportedContentSchema),
});
/**
 * Legacy (≤ v15) `unknown` message, with `errors[{ code, title, details }]`.
 *
 * @example
 * ```ts
 * UnknownMessageSchema.parse({ id: "wamid.U", timestamp: "1", type: "unknown", errors: [{ code: 131051, details: "…" }] });
 * ```
 */
export const UnknownMessageSchema = z.extend(MessageBaseSchema, { type: z.literal("unknown") });
/**
 * Inbound `edit` (Coexistence numbers).
 *
 * @example
 * ```ts
 * EditMessageSchema.parse({ id: "wamid.E", timestamp: "1", type: "edit", edit: { original_message_id: "wamid.O" } });
 * ```
 */
export const EditMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("edit"),
  edit: EditContentSchema,
});
/**
 * Inbound `revoke` (Coexistence numbers).
 *
 * @example
 * ```ts
 * RevokeMessageSchema.parse({ id: "wamid.R", timestamp: "1", type: "revoke", revoke: { original_message_id: "wamid.O" } });
 * ```
 */
export const RevokeMessageSchema = z.extend(MessageBaseSchema, {
  type: z.literal("revoke"),
  revoke: RevokeContentSchema,
});

/**
 * Inferred type of {@link TextMessageSchema}.
 *
 * @example
 * ```ts
 * const m: TextMessage = { id: "wamid.A", timestamp: "1", type: "text", text: { body: "hi" } };
 * ```
 */
export type TextMessage = z.infer<typeof TextMessageSchema>;
/**
 * Inferred type of {@link ImageMessageSchema}.
 *
 * @example
 * ```ts
 * const m: ImageMessage = { id: "wamid.A", timestamp: "1", type: "image", image: { id: "9" } };
 * ```
 */
export type ImageMessage = z.infer<typeof ImageMessageSchema>;
/**
 * Inferred type of {@link AudioMessageSchema}.
 *
 * @example
 * ```ts
 * const m: AudioMessage = { id: "wamid.A", timestamp: "1", type: "audio", audio: { id: "9" } };
 * ```
 */
export type AudioMessage = z.infer<typeof AudioMessageSchema>;
/**
 * Inferred type of {@link VideoMessageSchema}.
 *
 * @example
 * ```ts
 * const m: VideoMessage = { id: "wamid.A", timestamp: "1", type: "video", video: { id: "9" } };
 * ```
 */
export type VideoMessage = z.infer<typeof VideoMessageSchema>;
/**
 * Inferred type of {@link DocumentMessageSchema}.
 *
 * @example
 * ```ts
 * const m: DocumentMessage = { id: "wamid.A", timestamp: "1", type: "document", document: { id: "9" } };
 * ```
 */
export type DocumentMessage = z.infer<typeof DocumentMessageSchema>;
/**
 * Inferred type of {@link StickerMessageSchema}.
 *
 * @example
 * ```ts
 * const m: StickerMessage = { id: "wamid.A", timestamp: "1", type: "sticker", sticker: { id: "9" } };
 * ```
 */
export type StickerMessage = z.infer<typeof StickerMessageSchema>;
/**
 * Inferred type of {@link LocationMessageSchema}.
 *
 * @example
 * ```ts
 * const m: LocationMessage = { id: "wamid.A", timestamp: "1", type: "location", location: { latitude: 1, longitude: 2 } };
 * ```
 */
export type LocationMessage = z.infer<typeof LocationMessageSchema>;
/**
 * Inferred type of {@link ContactsMessageSchema}.
 *
 * @example
 * ```ts
 * const m: ContactsMessage = { id: "wamid.A", timestamp: "1", type: "contacts", contacts: [] };
 * ```
 */
export type ContactsMessage = z.infer<typeof ContactsMessageSchema>;
/**
 * Inferred type of {@link InteractiveMessageSchema}.
 *
 * @example
 * ```ts
 * const m: InteractiveMessage = { id: "wamid.A", timestamp: "1", type: "interactive", interactive: { type: "nfm_reply" } };
 * ```
 */
export type InteractiveMessage = z.infer<typeof InteractiveMessageSchema>;
/**
 * Inferred type of {@link ButtonMessageSchema}.
 *
 * @example
 * ```ts
 * const m: ButtonMessage = { id: "wamid.A", timestamp: "1", type: "button", button: { payload: "P" } };
 * ```
 */
export type ButtonMessage = z.infer<typeof ButtonMessageSchema>;
/**
 * Inferred type of {@link ReactionMessageSchema}.
 *
 * @example
 * ```ts
 * const m: ReactionMessage = { id: "wamid.A", timestamp: "1", type: "reaction", reaction: { message_id: "wamid.B" } };
 * ```
 */
export type ReactionMessage = z.infer<typeof ReactionMessageSchema>;
/**
 * Inferred type of {@link OrderMessageSchema}.
 *
 * @example
 * ```ts
 * const m: OrderMessage = { id: "wamid.A", timestamp: "1", type: "order", order: {} };
 * ```
 */
export type OrderMessage = z.infer<typeof OrderMessageSchema>;
/**
 * Inferred type of {@link SystemMessageSchema}.
 *
 * @example
 * ```ts
 * const m: SystemMessage = { id: "wamid.S", timestamp: "1", type: "system", system: { type: "user_changed_number" } };
 * ```
 */
export type SystemMessage = z.infer<typeof SystemMessageSchema>;
/**
 * Inferred type of {@link RequestWelcomeMessageSchema}.
 *
 * @example
 * ```ts
 * const m: RequestWelcomeMessage = { id: "wamid.W", timestamp: "1", type: "request_welcome" };
 * ```
 */
export type RequestWelcomeMessage = z.infer<typeof RequestWelcomeMessageSchema>;
/**
 * Inferred type of {@link UnsupportedMessageSchema}.
 *
 * @example
 * ```ts
 * const m: UnsupportedMessage = { id: "wamid.U", timestamp: "1", type: "unsupported" };
 * ```
 */
export type UnsupportedMessage = z.infer<typeof UnsupportedMessageSchema>;
/**
 * Inferred type of {@link UnknownMessageSchema}.
 *
 * @example
 * ```ts
 * const m: UnknownMessage = { id: "wamid.U", timestamp: "1", type: "unknown" };
 * ```
 */
export type UnknownMessage = z.infer<typeof UnknownMessageSchema>;
/**
 * Inferred type of {@link EditMessageSchema}.
 *
 * @example
 * ```ts
 * const m: EditMessage = { id: "wamid.E", timestamp: "1", type: "edit", edit: { original_message_id: "wamid.O" } };
 * ```
 */
export type EditMessage = z.infer<typeof EditMessageSchema>;
/**
 * Inferred type of {@link RevokeMessageSchema}.
 *
 * @example
 * ```ts
 * const m: RevokeMessage = { id: "wamid.R", timestamp: "1", type: "revoke", revoke: { original_message_id: "wamid.O" } };
 * ```
 */
export type RevokeMessage = z.infer<typeof RevokeMessageSchema>;

/**
 * Any inbound message: one of the known types, or the catch-all {@link MessageBase} for a type
 * Meta adds later (Meta's webhook reference).
 *
 * @example
 * ```ts
 * function describe(m: InboundMessage): string { return m.type === "text" ? "text" : m.type; }
 * ```
 */
export type InboundMessage =
  | TextMessage
  | ImageMessage
  | AudioMessage
  | VideoMessage
  | DocumentMessage
  | StickerMessage
  | LocationMessage
  | ContactsMessage
  | InteractiveMessage
  | ButtonMessage
  | ReactionMessage
  | OrderMessage
  | SystemMessage
  | RequestWelcomeMessage
  | UnsupportedMessage
  | UnknownMessage
  | EditMessage
  | RevokeMessage
  | MessageBase;

/** The schema per known inbound `type` (a `Map`, so `"constructor"` is not a type). */
const MESSAGE_SCHEMAS: ReadonlyMap<string, z.ZodMiniType<MessageBase>> = new Map<
  string,
  z.ZodMiniType<MessageBase>
>([
  ["text", TextMessageSchema],
  ["image", ImageMessageSchema],
  ["audio", AudioMessageSchema],
  ["video", VideoMessageSchema],
  ["document", DocumentMessageSchema],
  ["sticker", StickerMessageSchema],
  ["location", LocationMessageSchema],
  ["contacts", ContactsMessageSchema],
  ["interactive", InteractiveMessageSchema],
  ["button", ButtonMessageSchema],
  ["reaction", ReactionMessageSchema],
  ["order", OrderMessageSchema],
  ["system", SystemMessageSchema],
  ["request_welcome", RequestWelcomeMessageSchema],
  ["unsupported", UnsupportedMessageSchema],
  ["unknown", UnknownMessageSchema],
  ["edit", EditMessageSchema],
  ["revoke", RevokeMessageSchema],
]);

/**
 * The schema of a known inbound message `type`, or `undefined` for a type this version does
 * not know (validate those with {@link MessageBaseSchema}).
 *
 * @example
 * ```ts
 * messageSchemaFor("text")?.safeParse(item);
 * messageSchemaFor("poll_update"); //=> undefined
 * ```
 */
export function messageSchemaFor(type: string): z.ZodMiniType<MessageBase> | undefined {
  return MESSAGE_SCHEMAS.get(type);
}

// ---------------------------------------------------------------------------------------------
// Statuses (Meta's webhook reference)
// ---------------------------------------------------------------------------------------------

/**
 * `statuses[].pricing`: `pricing_model` is `CBP` (before 2025-07-01) or `PMP`; `type` exists
 * from PMP on; `billable` is deprecated (PRICE-17 … PRICE-20).
 *
 * @example
 * ```ts
 * PricingSchema.parse({ pricing_model: "PMP", type: "free_entry_point", category: "referral_conversion", billable: false });
 * ```
 */
export const PricingSchema = looseObject({
  billable: z.optional(z.boolean()),
  pricing_model: z.optional(z.string()),
  type: z.optional(z.string()),
  category: z.optional(z.string()),
  /** `paid_exempt` from 2026-10-12 (PRICE-24); other values kept verbatim (OPEN-14). */
  subtype: z.optional(z.string()),
});
/**
 * Inferred type of {@link PricingSchema}.
 *
 * @example
 * ```ts
 * const p: Pricing = { pricing_model: "CBP", category: "service", billable: false };
 * ```
 */
export type Pricing = z.infer<typeof PricingSchema>;

/**
 * `statuses[].conversation`: on every `sent` up to v23, only inside an FEP from v24
 * (Meta's webhook reference, FEP-7). `expiration_timestamp` is a string, on `sent` only.
 *
 * @example
 * ```ts
 * ConversationSchema.parse({ id: "8f84", expiration_timestamp: "1750116480", origin: { type: "referral_conversion" } });
 * ```
 */
export const ConversationSchema = looseObject({
  id: z.optional(z.string()),
  expiration_timestamp: z.optional(TimestampSchema),
  origin: z.optional(looseObject({ type: z.optional(z.string()) })),
});
/**
 * Inferred type of {@link ConversationSchema}.
 *
 * @example
 * ```ts
 * const c: Conversation = { id: "8f84", origin: { type: "service" } };
 * ```
 */
export type Conversation = z.infer<typeof ConversationSchema>;

/**
 * The essentials of a `statuses[]` item: `id`, `status` and `timestamp`. A status that passes
 * this schema always becomes an event (when a recipient is named); malformed side fields
 * (`pricing.billable` not a boolean, an `errors[]` entry without `code`, …) are reported as
 * `invalid-content` and left out, every valid error code is kept (Meta's webhook reference).
 *
 * @example
 * ```ts
 * StatusEssentialsSchema.parse({ id: "wamid.OUT", status: "failed", timestamp: "1751142888", errors: [{ title: "no code" }] }); // ok
 * ```
 */
export const StatusEssentialsSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  timestamp: TimestampSchema,
});
/**
 * Inferred type of {@link StatusEssentialsSchema}.
 *
 * @example
 * ```ts
 * const s: StatusEssentials = { id: "wamid.OUT", status: "sent", timestamp: "1750030073" };
 * ```
 */
export type StatusEssentials = z.infer<typeof StatusEssentialsSchema>;

/**
 * One `statuses[]` item of an outbound message (Meta's webhook reference). `recipient_id` is optional
 * since BSUID sends; `recipient_parent_user_id` was `parent_recipient_user_id` until
 * 2026-05-05 (ID-9): both are accepted.
 *
 * @example
 * ```ts
 * StatusSchema.parse({ id: "wamid.OUT", status: "failed", timestamp: "1751142888", recipient_id: "16505551234", errors: [{ code: 131047 }] });
 * ```
 */
export const StatusSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  status: z.string(),
  timestamp: TimestampSchema,
  type: z.optional(z.string()),
  recipient_id: z.optional(z.string()),
  recipient_user_id: z.optional(z.string()),
  recipient_parent_user_id: z.optional(z.string()),
  parent_recipient_user_id: z.optional(z.string()),
  recipient_type: z.optional(z.string()),
  recipient_participant_id: z.optional(z.string()),
  recipient_participant_user_id: z.optional(z.string()),
  recipient_participant_parent_user_id: z.optional(z.string()),
  /** Undocumented, seen in real traffic (Meta's webhook reference): any value is accepted, never read. */
  recipient_logical_id: z.optional(z.unknown()),
  biz_opaque_callback_data: z.optional(z.string()),
  conversation: z.optional(ConversationSchema),
  pricing: z.optional(PricingSchema),
  errors: z.optional(z.array(WhatsAppErrorSchema)),
});
/**
 * Inferred type of {@link StatusSchema}.
 *
 * @example
 * ```ts
 * const s: Status = { id: "wamid.OUT", status: "read", timestamp: "1750030073" };
 * ```
 */
export type Status = z.infer<typeof StatusSchema>;

// ---------------------------------------------------------------------------------------------
// Calls (Meta's webhook reference)
// ---------------------------------------------------------------------------------------------

/**
 * One `calls[]` item: `connect` or `terminate`, `USER_INITIATED` or `BUSINESS_INITIATED`.
 * On `connect`, `session.sdp_type` is `offer` (user call) or `answer` (business call picked up).
 *
 * @example
 * ```ts
 * CallSchema.parse({ id: "wacid.1", event: "connect", direction: "USER_INITIATED", timestamp: "1671644824", from: "5511987654321" });
 * ```
 */
export const CallSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  event: z.string(),
  direction: z.optional(z.string()),
  timestamp: TimestampSchema,
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  from_user_id: z.optional(z.string()),
  to_user_id: z.optional(z.string()),
  from_parent_user_id: z.optional(z.string()),
  to_parent_user_id: z.optional(z.string()),
  session: z.optional(
    looseObject({ sdp_type: z.optional(z.string()), sdp: z.optional(z.string()) }),
  ),
  status: z.optional(z.string()),
  start_time: z.optional(TimestampSchema),
  end_time: z.optional(TimestampSchema),
  duration: z.optional(z.union([z.number(), z.string()])),
  biz_opaque_callback_data: z.optional(z.string()),
});
/**
 * Inferred type of {@link CallSchema}.
 *
 * @example
 * ```ts
 * const c: Call = { id: "wacid.1", event: "terminate", timestamp: "1749197480", status: "COMPLETED" };
 * ```
 */
export type Call = z.infer<typeof CallSchema>;

/**
 * One `statuses[]` item under the `calls` field: a business-initiated call's `RINGING`,
 * `ACCEPTED` or `REJECTED` (CSW-5: `ACCEPTED` opens the window).
 *
 * @example
 * ```ts
 * CallStatusSchema.parse({ id: "wacid.2", type: "call", status: "ACCEPTED", timestamp: "1671644824", recipient_id: "5511987654321" });
 * ```
 */
export const CallStatusSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  type: z.optional(z.string()),
  status: z.string(),
  timestamp: TimestampSchema,
  recipient_id: z.optional(z.string()),
  recipient_user_id: z.optional(z.string()),
  biz_opaque_callback_data: z.optional(z.string()),
});
/**
 * Inferred type of {@link CallStatusSchema}.
 *
 * @example
 * ```ts
 * const s: CallStatus = { id: "wacid.2", status: "RINGING", timestamp: "1671644824" };
 * ```
 */
export type CallStatus = z.infer<typeof CallStatusSchema>;

// ---------------------------------------------------------------------------------------------
// Other fields (Meta's webhook reference, §8, §2)
// ---------------------------------------------------------------------------------------------

/**
 * One `user_preferences[]` item: marketing `stop` / `resume` (CONSENT-5). `timestamp` is an
 * integer here.
 *
 * @example
 * ```ts
 * UserPreferenceSchema.parse({ wa_id: "5511987654321", category: "marketing_messages", value: "stop", timestamp: 1763990000 });
 * ```
 */
export const UserPreferenceSchema = looseObject({
  wa_id: z.optional(z.string()),
  user_id: z.optional(z.string()),
  detail: z.optional(z.string()),
  category: z.string(),
  value: z.string(),
  timestamp: TimestampSchema,
});
/**
 * Inferred type of {@link UserPreferenceSchema}.
 *
 * @example
 * ```ts
 * const p: UserPreference = { user_id: "BR.1", category: "marketing_messages", value: "resume", timestamp: 1763990000 };
 * ```
 */
export type UserPreference = z.infer<typeof UserPreferenceSchema>;

/**
 * One `user_id_update[]` item: a user's BSUID changed (ID-7).
 *
 * @example
 * ```ts
 * UserIdUpdateSchema.parse({ wa_id: "5511987654321", user_id: { previous: "BR.111", current: "BR.222" }, timestamp: "1763990000" });
 * ```
 */
export const UserIdUpdateSchema = looseObject({
  wa_id: z.optional(z.string()),
  detail: z.optional(z.string()),
  user_id: looseObject({
    previous: z.string().check(z.minLength(1)),
    current: z.string().check(z.minLength(1)),
  }),
  timestamp: TimestampSchema,
});
/**
 * Inferred type of {@link UserIdUpdateSchema}.
 *
 * @example
 * ```ts
 * const u: UserIdUpdate = { user_id: { previous: "BR.111", current: "BR.222" }, timestamp: "1763990000" };
 * ```
 */
export type UserIdUpdate = z.infer<typeof UserIdUpdateSchema>;

/**
 * `value` of `template_category_update` (TPL-7). An *impending* notice carries
 * `correct_category` (the category to come) and `category_update_timestamp`; a *completed* one
 * carries `previous_category` and the applied `new_category`.
 *
 * @example
 * ```ts
 * TemplateCategoryUpdateSchema.parse({ message_template_name: "order_update", previous_category: "UTILITY", new_category: "MARKETING" });
 * ```
 */
export const TemplateCategoryUpdateSchema = looseObject({
  message_template_id: z.optional(z.union([z.number(), z.string()])),
  message_template_name: z.optional(z.string()),
  message_template_language: z.optional(z.string()),
  previous_category: z.optional(z.string()),
  new_category: z.string(),
  correct_category: z.optional(z.string()),
  category_update_timestamp: z.optional(TimestampSchema),
});
/**
 * Inferred type of {@link TemplateCategoryUpdateSchema}.
 *
 * @example
 * ```ts
 * const u: TemplateCategoryUpdate = { message_template_name: "order_update", new_category: "MARKETING" };
 * ```
 */
export type TemplateCategoryUpdate = z.infer<typeof TemplateCategoryUpdateSchema>;

/**
 * `value` of `message_template_status_update` (TPL-8). `message_template_id` is a number.
 * `message_template_category` is present on current payloads.
 *
 * @example
 * ```ts
 * MessageTemplateStatusUpdateSchema.parse({ event: "APPROVED", message_template_id: 1689556908129832, message_template_name: "order_confirmation" });
 * ```
 */
export const MessageTemplateStatusUpdateSchema = looseObject({
  event: z.string(),
  message_template_id: z.optional(z.union([z.number(), z.string()])),
  message_template_name: z.string().check(z.minLength(1)),
  message_template_language: z.optional(z.string()),
  message_template_category: z.optional(z.string()),
  reason: z.optional(z.nullable(z.string())),
});
/**
 * Inferred type of {@link MessageTemplateStatusUpdateSchema}.
 *
 * @example
 * ```ts
 * const u: MessageTemplateStatusUpdate = { event: "PAUSED", message_template_name: "promo" };
 * ```
 */
export type MessageTemplateStatusUpdate = z.infer<typeof MessageTemplateStatusUpdateSchema>;

/**
 * One `message_echoes[]` item of `smb_message_echoes`: a message the business typed in the
 * Business app (Coexistence). Timestamps are integers per the docs (Meta's webhook reference).
 *
 * @example
 * ```ts
 * MessageEchoSchema.parse({ from: "15550783881", to: "5511987654321", id: "wamid.E", timestamp: 1763990000, type: "text", text: { body: "hi" } });
 * ```
 */
export const MessageEchoSchema = looseObject({
  id: z.string().check(z.minLength(1)),
  timestamp: TimestampSchema,
  type: z.string(),
  from: z.optional(z.string()),
  to: z.optional(z.string()),
  to_user_id: z.optional(z.string()),
  to_parent_user_id: z.optional(z.string()),
});
/**
 * Inferred type of {@link MessageEchoSchema}.
 *
 * @example
 * ```ts
 * const e: MessageEcho = { id: "wamid.E", timestamp: 1763990000, type: "image", to: "5511987654321" };
 * ```
 */
export type MessageEcho = z.infer<typeof MessageEchoSchema>;

// ---------------------------------------------------------------------------------------------
// Values and envelope (Meta's webhook reference)
// ---------------------------------------------------------------------------------------------

/**
 * `value` of the `messages` field, fully typed (messages, statuses, contacts, errors). The
 * parser validates item by item instead; use this for whole-value typing in host code.
 *
 * @example
 * ```ts
 * MessagesValueSchema.parse({ messaging_product: "whatsapp", metadata: { phone_number_id: "1" }, statuses: [] });
 * ```
 */
export const MessagesValueSchema = looseObject({
  messaging_product: z.optional(z.string()),
  metadata: MetadataSchema,
  contacts: z.optional(z.array(ContactSchema)),
  messages: z.optional(z.array(MessageBaseSchema)),
  statuses: z.optional(z.array(StatusSchema)),
  errors: z.optional(z.array(WhatsAppErrorSchema)),
});
/**
 * Inferred type of {@link MessagesValueSchema}.
 *
 * @example
 * ```ts
 * const v: MessagesValue = { metadata: { phone_number_id: "1" } };
 * ```
 */
export type MessagesValue = z.infer<typeof MessagesValueSchema>;

/**
 * `value` of the `calls` field: calls, business-call statuses, contacts and errors.
 *
 * @example
 * ```ts
 * CallsValueSchema.parse({ metadata: { phone_number_id: "436666719526789" }, calls: [] });
 * ```
 */
export const CallsValueSchema = looseObject({
  messaging_product: z.optional(z.string()),
  metadata: MetadataSchema,
  contacts: z.optional(z.array(ContactSchema)),
  calls: z.optional(z.array(CallSchema)),
  statuses: z.optional(z.array(CallStatusSchema)),
  errors: z.optional(z.array(WhatsAppErrorSchema)),
});
/**
 * Inferred type of {@link CallsValueSchema}.
 *
 * @example
 * ```ts
 * const v: CallsValue = { metadata: { phone_number_id: "436666719526789" }, calls: [] };
 * ```
 */
export type CallsValue = z.infer<typeof CallsValueSchema>;

/**
 * `value` of the `user_preferences` field.
 *
 * @example
 * ```ts
 * UserPreferencesValueSchema.parse({ metadata: { phone_number_id: "1" }, user_preferences: [] });
 * ```
 */
export const UserPreferencesValueSchema = looseObject({
  messaging_product: z.optional(z.string()),
  metadata: MetadataSchema,
  contacts: z.optional(z.array(ContactSchema)),
  user_preferences: z.array(UserPreferenceSchema),
});
/**
 * Inferred type of {@link UserPreferencesValueSchema}.
 *
 * @example
 * ```ts
 * const v: UserPreferencesValue = { metadata: { phone_number_id: "1" }, user_preferences: [] };
 * ```
 */
export type UserPreferencesValue = z.infer<typeof UserPreferencesValueSchema>;

/**
 * `value` of the `user_id_update` field (ID-7).
 *
 * @example
 * ```ts
 * UserIdUpdateValueSchema.parse({ metadata: { phone_number_id: "1" }, user_id_update: [] });
 * ```
 */
export const UserIdUpdateValueSchema = looseObject({
  messaging_product: z.optional(z.string()),
  metadata: MetadataSchema,
  contacts: z.optional(z.array(ContactSchema)),
  user_id_update: z.array(UserIdUpdateSchema),
});
/**
 * Inferred type of {@link UserIdUpdateValueSchema}.
 *
 * @example
 * ```ts
 * const v: UserIdUpdateValue = { metadata: { phone_number_id: "1" }, user_id_update: [] };
 * ```
 */
export type UserIdUpdateValue = z.infer<typeof UserIdUpdateValueSchema>;

/**
 * `value` of `smb_message_echoes` (Coexistence).
 *
 * @example
 * ```ts
 * MessageEchoesValueSchema.parse({ metadata: { phone_number_id: "1" }, message_echoes: [] });
 * ```
 */
export const MessageEchoesValueSchema = looseObject({
  messaging_product: z.optional(z.string()),
  metadata: MetadataSchema,
  message_echoes: z.array(MessageEchoSchema),
});
/**
 * Inferred type of {@link MessageEchoesValueSchema}.
 *
 * @example
 * ```ts
 * const v: MessageEchoesValue = { metadata: { phone_number_id: "1" }, message_echoes: [] };
 * ```
 */
export type MessageEchoesValue = z.infer<typeof MessageEchoesValueSchema>;

/**
 * One `entry[].changes[]` item: `field` names the subscription, `value` its payload. Unknown
 * fields are valid (Meta's webhook reference).
 *
 * @example
 * ```ts
 * ChangeSchema.parse({ field: "account_update", value: { event: "VERIFIED_ACCOUNT" } });
 * ```
 */
export const ChangeSchema = looseObject({
  field: z.string(),
  value: looseObject({}),
});
/**
 * Inferred type of {@link ChangeSchema}.
 *
 * @example
 * ```ts
 * const c: Change = { field: "messages", value: {} };
 * ```
 */
export type Change = z.infer<typeof ChangeSchema>;

/**
 * One `entry[]` item: the WABA id (`"0"` in Dashboard tests, CSW-15), `time` on some fields.
 *
 * @example
 * ```ts
 * EntrySchema.parse({ id: "102290129340398", changes: [] });
 * ```
 */
export const EntrySchema = looseObject({
  id: z.string(),
  time: z.optional(TimestampSchema),
  changes: z.array(ChangeSchema),
});
/**
 * Inferred type of {@link EntrySchema}.
 *
 * @example
 * ```ts
 * const e: Entry = { id: "102290129340398", changes: [] };
 * ```
 */
export type Entry = z.infer<typeof EntrySchema>;

/**
 * The webhook POST body (Meta's webhook reference): `object` is `whatsapp_business_account`.
 *
 * @example
 * ```ts
 * WebhookBodySchema.parse({ object: "whatsapp_business_account", entry: [] });
 * ```
 */
export const WebhookBodySchema = looseObject({
  object: z.literal("whatsapp_business_account"),
  entry: z.array(EntrySchema),
});
/**
 * Inferred type of {@link WebhookBodySchema}.
 *
 * @example
 * ```ts
 * const body: WebhookBody = { object: "whatsapp_business_account", entry: [] };
 * ```
 */
export type WebhookBody = z.infer<typeof WebhookBodySchema>;
