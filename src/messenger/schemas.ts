/**
 * zod 4 schemas of the Messenger Platform webhooks for Messenger (`object: "page"`) and
 * Instagram (`object: "instagram"`): `entry[].messaging[]` (and `entry[].standby[]`) items.
 *
 * Every object schema is **loose**: unknown keys are kept, because Meta adds fields without
 * notice. Timestamps are epoch **milliseconds** (unlike WhatsApp's Unix seconds), as numbers or,
 * from some relays, digit strings. {@link parseMessengerWebhook} validates one item at a time, so a
 * malformed item never drops its valid siblings.
 *
 * @module
 */
import * as z from "zod";

/**
 * A Messenger Platform timestamp: epoch milliseconds, a number (a digit string is tolerated).
 *
 * @example
 * ```ts
 * MessengerTimestampSchema.parse(1795683600000); // ok
 * ```
 */
export const MessengerTimestampSchema = z.union([z.number(), z.string()]);

/**
 * `sender` / `recipient`: a PSID, IGSID, page id or Instagram account id; Messenger plugins may
 * send a `user_ref` instead of an `id`.
 *
 * @example
 * ```ts
 * ParticipantSchema.parse({ id: "6024153281234567" });
 * ```
 */
export const ParticipantSchema = z.looseObject({
  id: z.string().min(1).optional(),
  user_ref: z.string().min(1).optional(),
});
/**
 * Inferred type of {@link ParticipantSchema}.
 *
 * @example
 * ```ts
 * const p: Participant = { id: "6024153281234567" };
 * ```
 */
export type Participant = z.infer<typeof ParticipantSchema>;

/**
 * A `referral` object: on `messaging_referrals` items, inside `postback` (new threads), inside
 * `message` (Instagram Click-to-Direct) or next to `message`. `source: "ADS"` with `ad_id` marks
 * a Click-to-Messenger / Click-to-Direct ad (MSG-2).
 *
 * @example
 * ```ts
 * MessengerReferralSchema.parse({ source: "ADS", type: "OPEN_THREAD", ad_id: "120210000000000" });
 * ```
 */
export const MessengerReferralSchema = z.looseObject({
  source: z.string().optional(),
  type: z.string().optional(),
  ref: z.string().optional(),
  ad_id: z.union([z.string(), z.number()]).optional(),
  referer_uri: z.string().optional(),
  ads_context_data: z.looseObject({ ad_title: z.string().optional() }).optional(),
});
/**
 * Inferred type of {@link MessengerReferralSchema}.
 *
 * @example
 * ```ts
 * const r: MessengerReferral = { source: "SHORTLINK", ref: "spring" };
 * ```
 */
export type MessengerReferral = z.infer<typeof MessengerReferralSchema>;

/**
 * One `message.attachments[]` entry: `image`, `video`, `audio`, `file`, `location`, `fallback`,
 * `template`, and on Instagram `story_mention`, `share`, `ig_reel`, … (open set).
 *
 * @example
 * ```ts
 * AttachmentSchema.parse({ type: "story_mention", payload: { url: "https://lookaside.fbsbx.com/x" } });
 * ```
 */
export const AttachmentSchema = z.looseObject({ type: z.string(), payload: z.unknown() });
/**
 * Inferred type of {@link AttachmentSchema}.
 *
 * @example
 * ```ts
 * const a: Attachment = { type: "image", payload: { url: "https://example.com/a.jpg" } };
 * ```
 */
export type Attachment = z.infer<typeof AttachmentSchema>;

/**
 * The window-relevant core of a `message`: its id and whether it is the page's own echo
 * (MSG-8). A message whose content is malformed but whose core is valid still counts as written.
 *
 * @example
 * ```ts
 * MessageCoreSchema.parse({ mid: "m_AbC", is_echo: true });
 * ```
 */
export const MessageCoreSchema = z.looseObject({
  mid: z.string().min(1),
  is_echo: z.boolean().optional(),
});

/**
 * A full `message` object: text, quick reply, attachments, reply-to (Instagram story replies),
 * referral, echo markers, Instagram deletion and unsupported markers.
 *
 * @example
 * ```ts
 * MessageSchema.parse({ mid: "m_AbC", text: "Hi", quick_reply: { payload: "SIZE_M" } });
 * ```
 */
export const MessageSchema = MessageCoreSchema.extend({
  text: z.string().optional(),
  app_id: z.union([z.number(), z.string()]).optional(),
  metadata: z.string().optional(),
  quick_reply: z.looseObject({ payload: z.string().optional() }).optional(),
  attachments: z.array(AttachmentSchema).optional(),
  reply_to: z
    .looseObject({
      mid: z.string().optional(),
      story: z.looseObject({ id: z.string().optional(), url: z.string().optional() }).optional(),
    })
    .optional(),
  referral: MessengerReferralSchema.optional(),
  sticker_id: z.union([z.number(), z.string()]).optional(),
  is_deleted: z.boolean().optional(),
  is_unsupported: z.boolean().optional(),
});
/**
 * Inferred type of {@link MessageSchema}.
 *
 * @example
 * ```ts
 * const m: MessengerMessage = { mid: "m_AbC", text: "Hi" };
 * ```
 */
export type MessengerMessage = z.infer<typeof MessageSchema>;

/**
 * A `postback` (button tap, Get Started, persistent menu). `mid` is absent on older payloads;
 * `referral` is present when a new thread started from an ad or link.
 *
 * @example
 * ```ts
 * PostbackSchema.parse({ mid: "m_Pb1", title: "Get Started", payload: "GET_STARTED" });
 * ```
 */
export const PostbackSchema = z.looseObject({
  mid: z.string().optional(),
  title: z.string().optional(),
  payload: z.string().optional(),
  referral: MessengerReferralSchema.optional(),
});
/**
 * Inferred type of {@link PostbackSchema}.
 *
 * @example
 * ```ts
 * const p: MessengerPostback = { payload: "GET_STARTED" };
 * ```
 */
export type MessengerPostback = z.infer<typeof PostbackSchema>;

/**
 * A `reaction` to a message: `mid` is the **reacted-to** message, `action` is `react` or
 * `unreact`.
 *
 * @example
 * ```ts
 * ReactionSchema.parse({ mid: "m_AbC", action: "react", reaction: "love", emoji: "❤️" });
 * ```
 */
export const ReactionSchema = z.looseObject({
  mid: z.string().optional(),
  action: z.string().optional(),
  reaction: z.string().optional(),
  emoji: z.string().optional(),
});
/**
 * Inferred type of {@link ReactionSchema}.
 *
 * @example
 * ```ts
 * const r: MessengerReaction = { mid: "m_AbC", action: "unreact" };
 * ```
 */
export type MessengerReaction = z.infer<typeof ReactionSchema>;

/**
 * A `message_edit` item (the user edited a message): it never opens a window by default.
 *
 * @example
 * ```ts
 * MessageEditSchema.parse({ mid: "m_AbC", text: "Hi!", num_edit: 1 });
 * ```
 */
export const MessageEditSchema = z.looseObject({
  mid: z.string().min(1),
  text: z.string().optional(),
  num_edit: z.number().optional(),
});

/**
 * The envelope of one `messaging[]` / `standby[]` item: who, to whom, when.
 *
 * @example
 * ```ts
 * MessagingEnvelopeSchema.parse({ sender: { id: "6024153281234567" }, recipient: { id: "104857372012345" }, timestamp: 1795683600000 });
 * ```
 */
export const MessagingEnvelopeSchema = z.looseObject({
  sender: ParticipantSchema.optional(),
  recipient: ParticipantSchema.optional(),
  timestamp: MessengerTimestampSchema,
});
/**
 * Inferred type of {@link MessagingEnvelopeSchema}.
 *
 * @example
 * ```ts
 * const e: MessagingEnvelope = { sender: { id: "1" }, recipient: { id: "2" }, timestamp: 1795683600000 };
 * ```
 */
export type MessagingEnvelope = z.infer<typeof MessagingEnvelopeSchema>;
